"""What apps above members add to it (registered from their AppConfig.ready(), so
members never imports them).

- `register_home_panel(fn)`: fn(user) returns a dict merged into the home page's
  context (the evaluations app shows the user's tasks and ratings).
- `register_member_history(fn)`: fn(member) returns dated rows (dicts with
  ``date``, ``label``, ``detail``) shown in the member's history (the meetings app
  shows the party-group meetings the member attended).
- `register_meeting_model(model)`: the model whose records an audit entry links to
  as its meeting (`AuditEntry.meeting_id`); the audit log finds the way from any
  audited record to it (the meetings app registers its Meeting).
"""

_HOME_PANELS = []
_MEMBER_HISTORY = []
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
