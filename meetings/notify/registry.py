"""Kinds registered by other apps (NOTIFY_API.md): how the scanner finds, checks
and renders reminders that are not about a meeting.

An app registers its kinds from its AppConfig.ready(), e.g. the evaluations app's
task and report reminders (evaluations/reminders/):

    register_reminder_kinds(  # meetings.api's name for notify.register
        (Kind.TASK_DUE, Kind.TASK_OVERDUE), find=..., context=..., still_due=...
    )
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .rules import MEETING_BOUND_KINDS, Kind


@dataclass(frozen=True)
class KindSpec:
    """How the scanner finds, checks and renders kinds that are not about a meeting.

    - `find(now)` returns the Work due at `now` (an aware datetime) for these kinds,
      with `meeting_id=None`; it may return work already dispatched (the scanner
      drops a (subject, kind) it has written before), so it only has to be bounded.
    - `context(subjects)` returns {subject: template context} for a batch; each
      context should hold "path" (the link, e.g. "/evaluations/tasks/7/") and may
      hold "cell" (an Organization, named in the subject line and the header).
    - `still_due(subjects)` returns the subjects whose reason still holds when the
      worker is about to send (e.g. the task is not done yet); None: always.
    - `templates` maps each kind to its text template ("app/email/kind.txt", with
      the `subject` and `summary` partials); an .html next to it is used when it
      exists, the generic layout otherwise.
    """

    kinds: tuple
    find: Callable
    context: Callable | None = None
    still_due: Callable | None = None
    templates: dict = field(default_factory=dict)

    def template(self, kind):
        return self.templates.get(kind, f"meetings/email/{kind}.txt")


REGISTRY = {}  # kind → KindSpec


def register(kinds, *, find, context=None, still_due=None, templates=None):
    """Let another app remind people of its own things (see NOTIFY_API.md). Call
    from an AppConfig.ready(); registering the same kinds again replaces them."""
    kinds = tuple(kinds)
    for kind in kinds:
        if kind not in Kind.values or kind in MEETING_BOUND_KINDS:
            raise ValueError(f"{kind!r} is not a kind another app can register")
    spec = KindSpec(kinds, find, context, still_due, dict(templates or {}))
    for kind in kinds:
        REGISTRY[kind] = spec
    return spec


def registered_specs():
    return list({id(spec): spec for spec in REGISTRY.values()}.values())


def template_for(kind):
    """The text template of a kind: a registered kind's own, or meetings/email/."""
    spec = REGISTRY.get(kind)
    return spec.template(kind) if spec else f"meetings/email/{kind}.txt"


def registered_works(*, now):
    """The Work every registered kind finds due at `now`."""
    works = []
    for spec in registered_specs():
        for work in spec.find(now):
            if work.kind not in spec.kinds:
                raise ValueError(f"{spec.find!r} returned a {work.kind!r} work")
            works.append(work)
    return works


class StillDue(set):
    """Subjects whose reason still holds; `.kinds` are the kinds that were checked."""

    kinds = frozenset()


def registered_still_due(rows):
    """The subjects of registered kinds among `rows` whose reason still holds (one
    call per kind spec); `.kinds` says which kinds were checked."""
    holding = StillDue()
    checked = set()
    for spec in registered_specs():
        if spec.still_due is None:
            continue
        subjects = {r.subject for r in rows if r.kind in spec.kinds}
        if subjects:
            holding |= set(spec.still_due(subjects))
            checked |= set(spec.kinds)
    holding.kinds = frozenset(checked)
    return holding
