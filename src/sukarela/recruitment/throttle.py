"""A per-address limit on the public forms, which need no login (axes guards only the login).

Counts live in the shared cache for a fixed window: enough to stop a script trying NIKs
or flooding the form, not meant as an exact rate. Behind a proxy, REMOTE_ADDR is the
proxy unless the server passes the client address through.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def limited(name: str):
    """Decorate a public view: past SUKARELA_PUBLIC_POSTS_PER_HOUR POSTs from one address, answer 429."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                key = f"throttle:{name}:{request.META.get('REMOTE_ADDR', '-')}"
                cache.add(key, 0, 3600)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, 3600)
                    count = 1
                if count > settings.SUKARELA_PUBLIC_POSTS_PER_HOUR:
                    return render(request, "recruitment/too_many.html", status=429)
            return view(request, *args, **kwargs)
        return wrapper
    return decorate
