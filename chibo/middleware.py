"""Project wiring: language choice and clean form input (NFC, no control
characters)."""

import unicodedata

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Like LocaleMiddleware, but ignores the browser's Accept-Language: the language
    is the one chosen with the switcher (cookie), else LANGUAGE_CODE (vi)."""

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
CONTROL[0x7F] = None
# Invisible format characters: bidi overrides and isolates, zero-width spaces and
# joiners, the BOM. They make two names that look the same differ (defeating
# de-duplication and search) or show text in another order than it is stored.
for _start, _end in (
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
):
    CONTROL.update(dict.fromkeys(range(_start, _end + 1)))


def clean_text(value):
    """Form text as the party's documents want it: Unicode NFC (TCVN 6909:2001), no
    control characters (PostgreSQL refuses NUL; the others only hide text) and no
    invisible bidi or zero-width characters."""
    return unicodedata.normalize("NFC", value).translate(CONTROL)


class CleanInputMiddleware:
    """Normalises every query parameter and submitted form value with clean_text
    before any view sees it, so what is stored, searched and printed is always NFC
    (and a NUL in a search, which PostgreSQL refuses, never reaches a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.GET:
            cleaned = request.GET.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [clean_text(v) for v in cleaned.getlist(key)])
            cleaned._mutable = False
            request.GET = cleaned
        if request.method == "POST" and request.content_type in {
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        }:
            cleaned = request.POST.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [clean_text(v) for v in cleaned.getlist(key)])
            cleaned._mutable = False
            request.POST = cleaned
        return self.get_response(request)
