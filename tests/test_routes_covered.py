"""Every URL and API operation is either proven by the scope harness or named here as public."""

import importlib
import pkgutil
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

import tests
from sukarela.api import api
from tests.scope_harness import RouteCase

# Routes open to everyone, each with the reason.
PUBLIC = {
    "healthz": "load balancer probe; reports only database status",
    "set_language": "language switch for anyone, signed in or not",
    "core:home": "landing page for visitors, the scoped home for users (tested in test_views)",
    "core:login": "the login form",
    "core:logout": "ends the caller's own session",
    "regions:list": "Kemendagri regions are public reference data",
    "regions:detail": "Kemendagri regions are public reference data",
    "regions:picker": "region picker partial, public reference data",
    "regions:search": "region picker search, public reference data",
    "api:api-root": "the API index",
    "api:openapi-json": "the OpenAPI document",
    "api:openapi-view": "the API documentation page",
    "GET /api/regions": "public reference data",
    "GET /api/regions/{code}": "public reference data",
    "core:activate": "a new account's first password, behind Django's one-time signed token",
    "recruitment:apply_index": "the public list of open campaigns",
    "recruitment:apply": "the public application form (no login, by design)",
    "recruitment:erased": "a static confirmation that personal data was erased; shows nothing personal",
    "recruitment:request_link": "asks for a new private link; the same answer whether or not anything matched",
    "recruitment:my_application": "the applicant's private link, keyed by an unguessable token (TestPrivateLink)",
    "recruitment:my_application_edit": "the applicant's private link, keyed by an unguessable token (TestPrivateLink)",
    "recruitment:my_document": "the applicant's own document, behind the private-link token (TestPrivateLink)",
    "training:verify": "the public certificate check form; anyone holding a certificate may ask",
    "training:verify_code": "the public certificate check (QR target): valid, revoked or unknown; misses throttled",
    "GET /api/training/certificates/verify/{code}": "the public certificate check as JSON; misses throttled",
    "mentoring:field_sw": "the field app's service worker: code and static URLs only; browsers re-check it "
                          "without a session (TestFieldAppPage covers the app itself)",
    "mentoring:field_manifest": "the field app's web manifest: name, icons, start URL; fetched without credentials",
    "monitoring:open_data": "open data: aggregate figures per province, small counts suppressed "
                            "(engines.disclosure); no personal data; throttled per address",
    "monitoring:open_data_csv": "the open data table as CSV, the same suppressed aggregates; throttled",
    "GET /api/open/provinces": "the open data table as JSON, the same suppressed aggregates; throttled",
    "alumni:survey": "the alumni tracer survey's private link, keyed by an unguessable one-time token that "
                     "expires (tests/alumni/test_surveys.py); names nobody; POSTs throttled",
}


def _url_names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name


def _harness_routes() -> set[str]:
    root = Path(tests.__file__).parent
    for info in pkgutil.walk_packages([str(root)], prefix="tests."):
        if info.name.split(".")[-1].startswith("test_") and "browser" not in info.name:
            importlib.import_module(info.name)
    found, stack = set(), list(RouteCase.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.route and cls.__name__.startswith("Test"):
            found.add(cls.route)
    return found


def test_every_route_is_covered_or_public():
    ui = {n for n in _url_names(get_resolver().url_patterns) if not n.startswith("api:")}
    ui |= {n for n in _url_names(get_resolver().url_patterns) if n in PUBLIC}
    schema = api.get_openapi_schema()
    operations = {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}
    covered = _harness_routes()
    missing = sorted((ui | operations) - covered - set(PUBLIC))
    assert not missing, f"routes with no scope-harness case and not declared public: {missing}"
    stale = sorted(covered - ui - operations)
    assert not stale, f"harness cases for routes that do not exist: {stale}"
