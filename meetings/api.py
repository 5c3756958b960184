"""What other apps may use from meetings (their one door into this app).

- `render_pdf(html, *, stylesheet, base_url=None, archival=False, attachments=())`:
  the one WeasyPrint engine; `html` a string, `stylesheet` a file under static/
  ("evaluations/dashboard_print.css") whose @font-face rules use static/fonts. Only
  static files may be fetched while rendering. Returns the PDF bytes.
- `FileAttachment(name, string, description="", relationship="Data")`: a file
  embedded in an archival (PDF/A-3b) document.
- reads: get_meeting_for_user (the authorising read), attendance_rows and
  attendance_stats (a meeting's roll call), committee_officials (of a model meeting);
- reminders other apps register (meetings/notify): register_reminder_kinds (from an
  AppConfig.ready()), ReminderWork (one thing to tell), REMINDER_HORIZON and
  REMINDER_LOOKBACK_DAYS, in_sending_hours, rules_for_cells, supervisors_of,
  unique_members, report_reminder_kind;
- render_pending: render the stored PDFs still waiting (the demo);
- the meeting's life, as services (the demo and seed_demo drive meetings through
  them): create_meeting, update_meeting, generate_year_plan, reschedule_meeting,
  cancel_meeting, mark_notified, mark_documents_sent, add_document, add_guest,
  request_excuse, decide_excuse, start_meeting, record_attendance, save_minutes,
  record_vote, adopt_minutes, sign_minutes, lock_minutes, submit_minutes,
  review_minutes, add_addendum, sign_addendum, issue_resolution.

Callers import these names (`from meetings.api import get_meeting_for_user`), never
the modules behind them.
"""

from .model_meetings.selectors import committee_officials
from .notify import HORIZON as REMINDER_HORIZON
from .notify import LOOKBACK_DAYS as REMINDER_LOOKBACK_DAYS
from .notify import Work as ReminderWork
from .notify import (
    in_sending_hours,
    report_reminder_kind,
    rules_for_cells,
    supervisors_of,
    unique_members,
)
from .notify import register as register_reminder_kinds
from .pdf.engine import FileAttachment, render_pdf
from .pdf.services import render_pending
from .selectors import (
    attendance_rows,
    attendance_stats,
    get_meeting_for_user,
    minimum_duration,
    own_roll,
)
from .services import (
    add_addendum,
    add_document,
    add_guest,
    adopt_minutes,
    cancel_meeting,
    create_meeting,
    decide_excuse,
    generate_year_plan,
    issue_resolution,
    lock_minutes,
    mark_documents_sent,
    mark_notified,
    record_attendance,
    record_vote,
    request_excuse,
    reschedule_meeting,
    review_minutes,
    save_minutes,
    sign_addendum,
    sign_minutes,
    start_meeting,
    submit_minutes,
    update_meeting,
)

__all__ = [
    "REMINDER_HORIZON",
    "REMINDER_LOOKBACK_DAYS",
    "FileAttachment",
    "ReminderWork",
    "add_addendum",
    "add_document",
    "add_guest",
    "adopt_minutes",
    "attendance_rows",
    "attendance_stats",
    "cancel_meeting",
    "committee_officials",
    "create_meeting",
    "decide_excuse",
    "generate_year_plan",
    "get_meeting_for_user",
    "in_sending_hours",
    "issue_resolution",
    "lock_minutes",
    "mark_documents_sent",
    "mark_notified",
    "minimum_duration",
    "own_roll",
    "record_attendance",
    "record_vote",
    "register_reminder_kinds",
    "render_pdf",
    "render_pending",
    "report_reminder_kind",
    "request_excuse",
    "reschedule_meeting",
    "review_minutes",
    "rules_for_cells",
    "save_minutes",
    "sign_addendum",
    "sign_minutes",
    "start_meeting",
    "submit_minutes",
    "supervisors_of",
    "unique_members",
    "update_meeting",
]
