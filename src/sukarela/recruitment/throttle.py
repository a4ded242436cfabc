"""A per-address limit on the public forms, which need no login (the counting: core.throttle)."""

from functools import wraps

from django.shortcuts import render

from sukarela.core.throttle import over_limit


def limited(name: str):
    """Decorate a public view: past SUKARELA_PUBLIC_POSTS_PER_HOUR POSTs from one address, answer 429."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and over_limit(name, request.META.get("REMOTE_ADDR", "-")):
                return render(request, "recruitment/too_many.html", status=429)
            return view(request, *args, **kwargs)
        return wrapper
    return decorate
