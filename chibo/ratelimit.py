"""Rate limits for the endpoints an attacker can hit without an account: the login
form and the calendar-token feeds; and a logging filter that keeps secrets in URLs
(feed tokens, unsubscribe tokens) out of every log line.

Counters live in the Django cache: Redis in production (shared by every web
process), local memory in the embedded default. Fixed windows; keys hold a hash of
the address or token, never the value itself. When the cache is unreachable the
request goes through: a rate limit must not take the login page down with Redis.
"""

import hashlib
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# (requests, seconds) per key; settings may override each one.
DEFAULT_RATES = {
    # every login attempt from one address, right or wrong (axes locks a username
    # and address apart after a few wrong passwords)
    "login-ip": (20, 300),
    # calendar servers fetch for many users from one address: generous per address,
    # strict per token; guessing tokens costs an address its quota quickly.
    "feed-ip": (300, 600),
    "feed-token": (30, 600),
}


def rate_for(scope):
    return getattr(settings, "CHIBO_RATE_LIMITS", {}).get(scope, DEFAULT_RATES[scope])


def client_ip(request):
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies (the TLS
    proxy of the deployment guide: 1) every request comes from the proxy, so the
    address is the one the outermost trusted proxy appended to X-Forwarded-For —
    the N-th from the right; anything left of it was written by the client and is
    not trusted. Without proxies (0) or a shorter header: REMOTE_ADDR. Used by the
    rate limits and by django-axes (AXES_CLIENT_IP_CALLABLE)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.headers.get("x-forwarded-for", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def _digest(value):
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def hit(scope, value, *, now=None):
    """Count one request of `value` in `scope`. Returns the seconds to wait when
    the limit is exceeded, else None."""
    limit, period = rate_for(scope)
    now = time.time() if now is None else now
    window = int(now // period)
    prefix = getattr(settings, "CHIBO_RATE_LIMIT_PREFIX", "rl")
    key = f"{prefix}:{scope}:{window}:{_digest(value)}"
    try:
        if cache.add(key, 1, timeout=period + 1):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=period + 1)
                count = 1
    except Exception:  # the cache is down: let the request through
        logger.warning("Rate limit %s not checked: the cache is unreachable", scope)
        return None
    if count > limit:
        return max(1, int((window + 1) * period - now))
    return None


def too_many_requests(request, retry_after, *, plain=False):
    message = _(
        "Too many requests from your connection. Please wait %(minutes)s minute(s) "
        "and try again."
    ) % {"minutes": max(1, round(retry_after / 60))}
    if plain:
        response = HttpResponse(
            message, status=429, content_type="text/plain; charset=utf-8"
        )
    else:
        response = render(
            request,
            "429.html",
            {"message": message, "retry_after": retry_after},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit(*limits, methods=None, plain=False):
    """Limit a view by one or more (scope, key function) pairs; the key function
    gets the request and the view's arguments and returns the value to count, or
    "" to skip. Only `methods` are counted (all when None). Over the limit: 429
    with a Vietnamese message and Retry-After."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if methods is None or request.method in methods:
                for scope, key in limits:
                    value = key(request, *args, **kwargs)
                    if not value:
                        continue
                    retry_after = hit(scope, value)
                    if retry_after:
                        logger.warning("Rate limit %s exceeded", scope)
                        return too_many_requests(request, retry_after, plain=plain)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def by_ip(request, *args, **kwargs):
    return client_ip(request)


def by_token(request, token="", *args, **kwargs):
    return token


# --- keeping secrets out of logs ------------------------------------------------------

SECRET_IN_PATH = re.compile(
    r"(/calendar/)(?!cells?/)[^/\s\"?]+(?=\.ics|/cells/)"
    r"|(/notifications/unsubscribe/)[^/\s\"?]+"
)


def redact(text):
    """`text` with the secret part of feed and unsubscribe URLs replaced."""
    return SECRET_IN_PATH.sub(lambda m: (m.group(1) or m.group(2)) + "[redacted]", text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter (on every handler) that removes URL tokens from messages,
    such as django.request's "Not Found: /calendar/<token>.ics" or runserver's
    access lines."""

    def filter(self, record):
        # A logging filter must never raise: a failure here would hide the record
        # it was given (and, in the dev server, drop the connection it logs).
        try:
            self._redact(record)
        except Exception:  # any record shape from any library
            # Arguments that do not fit the format: keep both, as text.
            try:
                text = redact(f"{record.msg} {record.args!r}")
            except Exception:  # an object whose str() itself fails
                text = "[unprintable log record]"
            record.msg, record.args = text, None
        return True

    @staticmethod
    def _redact(record):
        # A refused or missing page (403, 404, 405) is the client's doing: one line,
        # not a traceback that buries the server's real errors.
        if (
            record.name == "django.request"
            and getattr(record, "status_code", 500) < 500
        ):
            record.exc_info, record.exc_text = None, None
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        # django.request attaches the HttpRequest (its repr shows the URL) for error
        # reporters; django.server attaches the socket, which has no path.
        path = getattr(getattr(record, "request", None), "path", None)
        if isinstance(path, str) and redact(path) != path:
            del record.request


def _gunicorn_logger():
    try:
        from gunicorn.glogging import Logger
    except ImportError:  # the embedded default runs without gunicorn
        return None

    class RedactingGunicornLogger(Logger):
        """gunicorn's logger with tokens removed from access lines:
        `gunicorn --logger-class chibo.ratelimit.RedactingGunicornLogger`."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {
                key: redact(value) if isinstance(value, str) else value
                for key, value in atoms.items()
            }

    return RedactingGunicornLogger


RedactingGunicornLogger = _gunicorn_logger()
