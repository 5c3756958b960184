"""What apps above members add to it (registered from their AppConfig.ready(), so
members never imports them).

- `register_home_panel(fn, template=None)`: fn(user) returns a dict merged into the
  home page's context, and `template` (if given) is included in the home page in
  registration order (meetings: what is next; evaluations: tasks, ratings,
  reports and recommendations).
- `register_meeting_attendance(fn)`: fn(cell, month) lists the meetings of a cell in a
  month with the members present (the dues sheet marks them paid in cash).
- `register_pdf_renderer(fn)`: the PDF engine (the meetings app registers its
  `render_pdf`; the dues sheets and ledger print through it).
- `register_home_panel(fn)`: fn(user) returns a dict merged into the home page's
  context (the evaluations app shows the user's tasks and ratings).
- `register_member_history(fn)`: fn(member) returns dated rows (dicts with
  ``date``, ``label``, ``detail``) shown in the member's history (the meetings app
  shows the party-group meetings the member attended).
- `register_meeting_model(model)`: the model whose records an audit entry links to
  as its meeting (`AuditEntry.meeting_id`); the audit log finds the way from any
  audited record to it (the meetings app registers its Meeting).
- `register_value_labels(labels)`: words for the keys and codes inside recorded
  values, so the history never shows a code (the meetings app registers its states
  and the keys of the attendance summary).
- `register_vote_reader(fn)`: fn(candidate_ids, member_ids) returns the cell's votes
  about those candidates (admission) and members (recognition), recorded in
  meetings' minutes, as dicts (the meetings app registers it; see `votes_about`).
"""

_HOME_PANELS = []
_HOME_TEMPLATES = []
_MEMBER_HISTORY = []
_MEETING_MODELS = []
_VOTE_READERS = []


def register_home_panel(fn, template=None):
    """Register fn(user) -> dict and the template that shows it; registering the
    same function or template twice is harmless."""
    if fn not in _HOME_PANELS:
        _HOME_PANELS.append(fn)
    if template and template not in _HOME_TEMPLATES:
        _HOME_TEMPLATES.append(template)
    return fn


def home_panel_templates():
    """The templates of the registered panels, in registration order."""
    return list(_HOME_TEMPLATES)


def home_panels(user):
    """The context every registered panel adds to `user`'s home page."""
    context = {}
    for fn in _HOME_PANELS:
        context.update(fn(user))
    return context


def register_member_history(fn):
    """Register fn(member) -> list of rows; registering twice is harmless."""
    if fn not in _MEMBER_HISTORY:
        _MEMBER_HISTORY.append(fn)
    return fn


def member_history_rows(member):
    """Rows every registered app adds to `member`'s history, newest first."""
    rows = [row for fn in _MEMBER_HISTORY for row in fn(member)]
    return sorted(rows, key=lambda row: row["date"], reverse=True)


def register_meeting_model(model):
    """Make `model` the meeting of audit entries (the last registration wins)."""
    _MEETING_MODELS[:] = [model]
    return model


def meeting_model():
    """The registered meeting model, or None when no app registered one."""
    return _MEETING_MODELS[0] if _MEETING_MODELS else None


_VALUE_LABELS = {}


def register_value_labels(labels):
    """Words for the keys of structured values (a JSON field's keys, a state code an
    app stores as text) that the audit history shows: {"attached_in": _("…")}."""
    _VALUE_LABELS.update(labels)


def value_label(code):
    """The registered words for `code`, or None."""
    return _VALUE_LABELS.get(code)


_MEETING_ATTENDANCE = []


def register_meeting_attendance(fn):
    """Register fn(cell, month) -> [{"label", "date", "member_ids"}]: the meetings
    of a cell in a month with the members present (the meetings app), so the dues
    sheet can mark them paid in cash in one step."""
    if fn not in _MEETING_ATTENDANCE:
        _MEETING_ATTENDANCE.append(fn)
    return fn


def meeting_attendance(cell, month):
    """The meetings of `cell` in `month` with their present members, from every
    registered app ([] when none is registered)."""
    return [row for fn in _MEETING_ATTENDANCE for row in fn(cell, month)]


_PDF_RENDERERS = []


def register_pdf_renderer(fn):
    """Register fn(html, *, stylesheet) -> PDF bytes: the one WeasyPrint engine,
    which the meetings app owns (members prints its dues sheets through it)."""
    _PDF_RENDERERS[:] = [fn]
    return fn


def render_pdf(html, *, stylesheet):
    """`html` as PDF bytes through the registered engine."""
    if not _PDF_RENDERERS:
        raise RuntimeError("no PDF engine is registered (the meetings app does it)")
    return _PDF_RENDERERS[0](html, stylesheet=stylesheet)


def register_vote_reader(fn):
    """Register fn(candidate_ids, member_ids) -> list of vote dicts; registering the
    same function twice is harmless."""
    if fn not in _VOTE_READERS:
        _VOTE_READERS.append(fn)
    return fn


def votes_about(*, candidate_ids=(), member_ids=()):
    """The votes about these candidates and members, oldest first. Each is a dict:
    candidate_id, member_id (one of them set), date, subject, yes, no, abstain,
    denominator, passed, adopted (the minutes were adopted, so the vote is final),
    meeting (its label) and url (the meeting's page with its minutes)."""
    candidate_ids, member_ids = list(candidate_ids), list(member_ids)
    if not (candidate_ids or member_ids):
        return []
    votes = [vote for fn in _VOTE_READERS for vote in fn(candidate_ids, member_ids)]
    return sorted(votes, key=lambda vote: (vote["date"], vote["id"]))
