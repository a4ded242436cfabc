"""The HTTP API under /api/, described at /api/openapi.json.

Callers authenticate with the browser session (CSRF-checked) or a bearer token
(`sukarela apitoken USERNAME`). Region scope comes from the same selectors the
pages use. Every error is a JSON body with `detail`; validation errors list the
fields they concern as `loc`, so a client always learns which field was wrong.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, SessionAuth

from sukarela.core import selectors, services
from sukarela.core.api import router as core_router
from sukarela.groups.api import router as groups_router
from sukarela.recruitment.api import router as recruitment_router
from sukarela.regions.api import router as regions_router
from sukarela.training.api import router as training_router
from sukarela.assignments.api import router as assignments_router
from sukarela.mentoring.api import router as mentoring_router
from sukarela.alumni.api import router as alumni_router
from sukarela.partners.api import router as partners_router
from sukarela.monitoring.api import router as monitoring_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = selectors.active_token(token)
        if found is None:
            return None
        services.touch_api_token(found)
        request.user = found.user
        return found.user


class CookieSessionAuth(SessionAuth):
    """Django's session, CSRF-checked, but only when a session cookie is sent: an
    anonymous or token caller then learns 401 (sign in) rather than a CSRF 403."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)


api = NinjaAPI(
    title="Sukarela API",
    version="1",
    description="TKS volunteer-mentor programme. Every list and object is limited to the caller's region scope.",
    urls_namespace="api",
    auth=[TokenAuth(), CookieSessionAuth()],
)
# Django tries URL patterns in order, one by one (115 here): the field sync's, the busiest by far
# (hundreds of visits a second at peak), come first.
api.add_router("/", mentoring_router)
api.add_router("/", regions_router)
api.add_router("/", core_router)
api.add_router("/", recruitment_router)
api.add_router("/", training_router)
api.add_router("/", assignments_router)
api.add_router("/", groups_router)
api.add_router("/", alumni_router)
api.add_router("/", partners_router)
api.add_router("/", monitoring_router)


# By convention an operation names its body schema `payload` and its query schema
# `filters`; those names are plumbing, so error locations leave them out.
PARAMETER_NAMES = {"payload", "filters"}


def _clean_loc(loc) -> list:
    loc = list(loc)
    head, rest = loc[:1], [p for p in loc[1:] if p not in PARAMETER_NAMES]
    # pydantic names the union branch it tried ("literal['tks',...]"), which says nothing to a client.
    return head + [p for p in rest if not (isinstance(p, str) and "[" in p)]


@api.exception_handler(SchemaValidationError)
def schema_validation_error(request, exc: SchemaValidationError):
    detail = [{**error, "loc": _clean_loc(error.get("loc", ()))} for error in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def _field_loc(field: str) -> list:
    """A service names an item of a list as "marks.2.participant"; clients get pydantic's shape.
    Only ASCII digits are an index: str.isdigit() is also true of "²" or "١", which int() refuses."""
    return ["body", *(int(p) if p.isascii() and p.isdigit() else p for p in field.split("."))]


@api.exception_handler(DjangoValidationError)
def service_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": _field_loc(field), "msg": message, "type": "value_error"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        detail = [{"loc": ["body"], "msg": m, "type": "value_error"} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)
