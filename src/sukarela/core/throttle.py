"""Per-address counting for what anyone may do without logging in (axes guards only the login).

Counts live in the shared cache for a fixed hour: enough to stop a script trying NIKs or
certificate codes, not meant as an exact rate. Behind a proxy, REMOTE_ADDR is the proxy
unless the server passes the client address through.
"""

from django.conf import settings
from django.core.cache import cache

WINDOW = 3600  # seconds


def over_limit(name: str, client: str | None, limit: int | None = None) -> bool:
    """Count one more `name` event from `client`; True once this hour's count passes the limit
    (SUKARELA_PUBLIC_POSTS_PER_HOUR unless given). The caller decides what counts: the public
    forms count every POST, the certificate check only its misses."""
    key = f"throttle:{name}:{client or '-'}"
    cache.add(key, 0, WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        count = 1
    return count > (settings.SUKARELA_PUBLIC_POSTS_PER_HOUR if limit is None else limit)
