"""The one WeasyPrint engine of chibo: HTML → PDF bytes for any printed document
(minutes, resolutions, minute books, dashboard summaries).

Stylesheets live under static/ and are named relative to it ("pdf/print.css"). Each
stylesheet is parsed once per process with its own font configuration (its
@font-face rules embed the vendored fonts of static/fonts); while rendering, only our
own static files may be fetched. A document laid out with `srgb=True` carries the
sRGB profile PDF/A needs, so it can be written as PDF/A-3b (`archival=True`) with
files attached.

WeasyPrint is imported inside the functions: its import is slow.
"""

import atexit
import shutil
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

PDF_VARIANT = "pdf/a-3b"
OUTPUT_INTENT = "chibo-srgb"
# The folder whose files a document may use (fonts, print stylesheets).
STATIC_DIR = Path(settings.BASE_DIR) / "static"


@dataclass(frozen=True)
class FileAttachment:
    """A file embedded in the PDF (PDF/A-3 "associated file")."""

    name: str
    string: str
    description: str = ""
    relationship: str = "Data"


def forget_font_folder(font_config):
    """Remove the font configuration's temporary folder while the interpreter is
    still whole (its own __del__ runs too late at exit and prints an error)."""
    folder = getattr(font_config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        font_config._folder = None


def is_static_file_url(url):
    """Whether `url` names a file inside STATIC_DIR once resolved: a prefix check
    alone lets `…/static/../../etc/passwd` through."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(STATIC_DIR.resolve()) and path.is_file()


def static_url_fetcher(url, *args, **kwargs):
    """Fetch `url` if it is one of our own static files, else raise ValueError."""
    return _static_fetcher().fetch(url)


@lru_cache(maxsize=1)
def _static_fetcher():
    """A WeasyPrint URL fetcher (used for the HTML and its stylesheets) that fetches
    only our own static files (fonts): anything else is refused while rendering."""
    from weasyprint.urls import URLFetcher  # noqa: TID251 — imported when rendering

    class StaticURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_static_file_url(url):
                raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
            return super().fetch(url, headers)

    return StaticURLFetcher(allowed_protocols=("file",))


@lru_cache(maxsize=8)
def _stylesheet(name):
    """(font configuration, parsed stylesheet) of static/`name`: once per process."""
    from weasyprint import CSS  # noqa: TID251 — imported when rendering
    from weasyprint.text.fonts import (  # noqa: TID251 — imported when rendering
        FontConfiguration,
    )

    font_config = FontConfiguration()
    atexit.register(forget_font_folder, font_config)
    stylesheet = CSS(
        filename=str(STATIC_DIR / name),
        font_config=font_config,
        url_fetcher=_static_fetcher(),
    )
    return font_config, stylesheet


@lru_cache(maxsize=1)
def _color_profiles():
    """The sRGB output intent PDF/A needs, loaded once from WeasyPrint's own ICC
    file, with the file closed after reading (WeasyPrint's default leaves it open)."""
    from weasyprint.css import ColorProfile  # noqa: TID251 — imported when rendering

    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        srgb = ColorProfile(
            icc, "sRGB2014.icc", "relative-colorimetric", ("r", "g", "b")
        )
    return {OUTPUT_INTENT: srgb}


def layout(html, *, stylesheet, base_url=None, srgb=False):
    """Lay `html` (a string) out in pages with static/`stylesheet`: a WeasyPrint
    document (its `.pages` can be counted, copied and combined). `srgb=True` gives it
    the colour profile that `write(..., archival=True)` needs."""
    from weasyprint import HTML  # noqa: TID251 — imported when rendering

    font_config, parsed = _stylesheet(stylesheet)
    document = HTML(
        string=html,
        base_url=base_url or STATIC_DIR.as_uri() + "/",
        url_fetcher=_static_fetcher(),
    )
    return document.render(
        stylesheets=[parsed],
        font_config=font_config,
        color_profiles=_color_profiles() if srgb else None,
    )


def write(document, *, archival=False, attachments=()):
    """The laid-out `document` as PDF bytes; PDF/A-3b when `archival` (lay it out
    with `srgb=True`), with `attachments` (FileAttachment) embedded."""
    from weasyprint import Attachment  # noqa: TID251 — imported when rendering

    options = {}
    if archival:
        options["pdf_variant"] = PDF_VARIANT
        options["output_intent"] = OUTPUT_INTENT
    embedded = [
        Attachment(
            string=item.string,
            name=item.name,
            description=item.description,
            relationship=item.relationship,
        )
        for item in attachments
    ]
    if embedded:
        options["attachments"] = embedded
    return document.write_pdf(**options)


def render_pdf(html, *, stylesheet, base_url=None, archival=False, attachments=()):
    """`html` (a string) as PDF bytes, styled by static/`stylesheet`; PDF/A-3b with
    `attachments` embedded when `archival`."""
    document = layout(html, stylesheet=stylesheet, base_url=base_url, srgb=archival)
    return write(document, archival=archival, attachments=attachments)
