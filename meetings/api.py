"""What other apps may use from meetings (their one door into this app).

- `render_pdf(html, *, stylesheet, base_url=None, archival=False, attachments=())`:
  the one WeasyPrint engine; `html` a string, `stylesheet` a file under static/
  ("evaluations/dashboard_print.css") whose @font-face rules use static/fonts. Only
  static files may be fetched while rendering. Returns the PDF bytes.
- `FileAttachment(name, string, description="", relationship="Data")`: a file
  embedded in an archival (PDF/A-3b) document.
"""

from . import notify, selectors, services
from .pdf.engine import FileAttachment, render_pdf

__all__ = [
    "FileAttachment",
    "notify",
    "render_pdf",
    "selectors",
    "services",
]
