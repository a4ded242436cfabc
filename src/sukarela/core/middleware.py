from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    """Answer 400 when the path or a query parameter holds a NUL character.

    PostgreSQL text cannot store NUL, so such input would otherwise surface as a
    database error (500) wherever it reached a query. Form fields reject NUL
    themselves (Django's CharField, RegionField) and so do API body schemas.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = "path" if "\x00" in request.path else next(
            (key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)), None
        )
        if bad is None:
            return self.get_response(request)
        message = _("Karakter NUL tidak diizinkan.")
        if request.path.startswith("/api/"):
            loc = ["path"] if bad == "path" else ["query", bad.replace("\x00", "")]
            return JsonResponse({"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}, status=400)
        return HttpResponseBadRequest(f"{message} ({bad})", content_type="text/plain; charset=utf-8")


class IndonesianFirstMiddleware:
    """Pages speak Bahasa Indonesia unless the user chose English with the switch.

    Field phones and office PCs are often set to English; the ministry's UI must
    still open in Indonesian, so for pages only the language cookie counts, not
    the browser's Accept-Language. API clients keep content negotiation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
