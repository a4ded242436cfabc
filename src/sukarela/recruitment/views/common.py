"""Recruitment's form plumbing: a service error on a declaration rule lands on its `rule_<key>`
field; any other unknown field is named by its import header."""

from functools import partial

from sukarela.core import web
from sukarela.core.web import download, page, spreadsheet

__all__ = ["download", "page", "spreadsheet", "run_service", "service_errors_to_form"]


def _target(form_fields, field: str) -> str:
    return field if field in form_fields or f"rule_{field}" not in form_fields else f"rule_{field}"


def form_label(field: str) -> str:
    from sukarela.recruitment.columns import HEADER_OF

    return HEADER_OF.get(field, field)


def service_errors_to_form(form, exc) -> None:
    web.service_errors_to_form(form, exc, target_of=partial(_target, form.fields), label_of=form_label)


def run_service(form, call):
    return web.run_service(form, call, target_of=partial(_target, form.fields), label_of=form_label)
