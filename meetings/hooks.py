"""What apps above meetings add to its services (registered from their
AppConfig.ready(), so meetings never imports them).

- `on_meeting_changed(fn)`: fn(cell_id, day) is called inside the service's
  transaction whenever a meeting, its attendance, minutes or state changes (the
  evaluations app marks its dashboards' rollup for refresh).
"""

_MEETING_CHANGED = []


def on_meeting_changed(fn):
    """Register fn(cell_id, day); registering the same function twice is harmless."""
    if fn not in _MEETING_CHANGED:
        _MEETING_CHANGED.append(fn)
    return fn


def meeting_changed(cell_id, day):
    """Tell every registered app that (cell, day) changed."""
    for fn in _MEETING_CHANGED:
        fn(cell_id, day)
