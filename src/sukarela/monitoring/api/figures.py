"""Placeholder: filled by its owner (see /tmp/spec/mon-common.md)."""

from sukarela.monitoring.api import router  # noqa: F401
