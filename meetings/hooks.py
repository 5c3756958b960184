"""What apps above meetings add to its services (registered from their
AppConfig.ready(), so meetings never imports them).

- `on_meeting_changed(fn)`: fn(cell_id, day) is called inside the service's
  transaction whenever a meeting, its attendance, minutes or state changes (the
  evaluations app marks its dashboards' rollup for refresh).
- `provide_minutes_section(name, fn)`: fn(meeting) gives the rows of a section of
  the printed minutes that another app owns ("tasks": the evaluations app's tasks
  assigned in the meeting, dicts with ``text``, ``assignee_names``, ``deadline``;
  "task_review": the tasks reviewed in the meeting, the same plus ``outcome_label``
  and ``comment``; "self_score": at most one dict with ``total``, ``maximum`` and
  ``band_label``).
"""

_MEETING_CHANGED = []
_MINUTES_SECTIONS = {}


def on_meeting_changed(fn):
    """Register fn(cell_id, day); registering the same function twice is harmless."""
    if fn not in _MEETING_CHANGED:
        _MEETING_CHANGED.append(fn)
    return fn


def meeting_changed(cell_id, day):
    """Tell every registered app that (cell, day) changed."""
    for fn in _MEETING_CHANGED:
        fn(cell_id, day)


def provide_minutes_section(name, fn):
    """Register fn(meeting) -> list of rows for section `name` of the printed
    minutes; registering the same function twice is harmless."""
    providers = _MINUTES_SECTIONS.setdefault(name, [])
    if fn not in providers:
        providers.append(fn)
    return fn


def minutes_section_rows(name, meeting):
    """The rows of section `name` for `meeting`, from every registered app in
    registration order ([] when no app provides the section)."""
    return [row for fn in _MINUTES_SECTIONS.get(name, []) for row in fn(meeting)]
