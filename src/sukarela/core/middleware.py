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
