"""What other apps may use from meetings (their one door into this app).

- `render_pdf(html, *, stylesheet, base_url=None, archival=False, attachments=())`:
  the one WeasyPrint engine; `html` a string, `stylesheet` a file under static/
  ("evaluations/dashboard_print.css") whose @font-face rules use static/fonts. Only
  static files may be fetched while rendering. Returns the PDF bytes.
- `FileAttachment(name, string, description="", relationship="Data")`: a file
  embedded in an archival (PDF/A-3b) document.
- the modules evaluations works through: `services` (the meeting's life), `selectors`
  (reads), `notify` (registering reminder kinds), `pdf_services` (rendering stored
  PDFs) and `model_meeting_selectors` (model meetings and their invitees).
"""

from . import notify, selectors, services
from .model_meetings import selectors as model_meeting_selectors
from .pdf import services as pdf_services
from .pdf.engine import FileAttachment, render_pdf

__all__ = [
    "FileAttachment",
    "model_meeting_selectors",
    "notify",
    "pdf_services",
    "render_pdf",
    "selectors",
    "services",
]
