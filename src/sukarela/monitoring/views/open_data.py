"""Placeholder: filled by its owner (see /tmp/spec/mon-common.md)."""

urlpatterns = []
