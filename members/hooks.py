"""What apps above members add to it (registered from their AppConfig.ready(), so
members never imports them).

- `register_home_panel(fn)`: fn(user) returns a dict merged into the home page's
  context (the evaluations app shows the user's tasks and ratings).
- `register_meeting_attendance(fn)`: fn(cell, month) lists the meetings of a cell in a
  month with the members present (the dues sheet marks them paid in cash).
- `register_pdf_renderer(fn)`: the PDF engine (the meetings app registers its
  `render_pdf`; the dues sheets and ledger print through it).
- `register_meeting_model(model)`: the model whose records an audit entry links to
  as its meeting (`AuditEntry.meeting_id`); the audit log finds the way from any
  audited record to it (the meetings app registers its Meeting).
"""

_HOME_PANELS = []
_MEETING_MODELS = []


def register_home_panel(fn):
    """Register fn(user) -> dict; registering the same function twice is harmless."""
    if fn not in _HOME_PANELS:
        _HOME_PANELS.append(fn)
    return fn


def home_panels(user):
    """The context every registered panel adds to `user`'s home page."""
    context = {}
    for fn in _HOME_PANELS:
        context.update(fn(user))
    return context


def register_meeting_model(model):
    """Make `model` the meeting of audit entries (the last registration wins)."""
    _MEETING_MODELS[:] = [model]
    return model


def meeting_model():
    """The registered meeting model, or None when no app registered one."""
    return _MEETING_MODELS[0] if _MEETING_MODELS else None


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
