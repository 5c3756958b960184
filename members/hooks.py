"""What apps above members add to it (registered from their AppConfig.ready(), so
members never imports them).

- `register_home_panel(fn)`: fn(user) returns a dict merged into the home page's
  context (the evaluations app shows the user's tasks and ratings).
- `register_meeting_model(model)`: the model whose records an audit entry links to
  as its meeting (`AuditEntry.meeting_id`); the audit log finds the way from any
  audited record to it (the meetings app registers its Meeting).
- `register_vote_reader(fn)`: fn(candidate_ids, member_ids) returns the cell's votes
  about those candidates (admission) and members (recognition), recorded in
  meetings' minutes, as dicts (the meetings app registers it; see `votes_about`).
"""

_HOME_PANELS = []
_MEETING_MODELS = []
_VOTE_READERS = []


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
