"""Where a record sits, for reach: the path of its organisation, its meeting and its
member, found once per model by following foreign keys.

The meeting model is whatever an app above registered with
members.hooks.register_meeting_model (the meetings app, from its ready()).
"""

from django.apps import apps
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf

from members import hooks
from members.models import Member, Organization

from .policy import AUDITED_APPS

MEMBER_FKS = ("member", "supervisor", "assignee")
ORG_FKS = ("cell", "organization", "residence_cell")

_routes = {}  # model → {"org": lookups, "meeting": lookup, "member": lookup}


def _forward_fks(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one)
    ]


def _route_to(model, target, *, choose=None, depth=3):
    """Lookup from `model` to `target` through foreign keys (shortest first)."""
    stops = {Member, Organization, apps.get_model("members", "User")}
    meeting_model = hooks.meeting_model()
    if meeting_model is not None:
        stops.add(meeting_model)
    queue = [(model, "")]
    for _level in range(depth):
        following = []
        for current, prefix in queue:
            links = [f for f in _forward_fks(current) if f.related_model is target]
            if choose is not None:
                links = choose(links)
            if links:
                return prefix + links[0].name
            for field in _forward_fks(current):
                related = field.related_model
                if related in stops or related._meta.app_label not in AUDITED_APPS:
                    continue
                following.append((related, f"{prefix}{field.name}__"))
        queue = following
    return None


def _choose_member(links):
    named = [f for f in links if f.name in MEMBER_FKS]
    return named or (links if len(links) == 1 else [])


def _choose_org(links):
    rank = {name: index for index, name in enumerate(ORG_FKS)}
    return sorted(links, key=lambda f: rank.get(f.name, len(ORG_FKS)))


def routes(model):
    """How to find the organisation path, meeting and member of a record of `model`."""
    if model in _routes:
        return _routes[model]
    meeting_model = hooks.meeting_model()
    if model is meeting_model:
        meeting = "pk"
    else:
        meeting = _route_to(model, meeting_model) if meeting_model else None
    if model is Member:
        member = "pk"
    else:
        # Only a direct link says whose record it is (not a report's supervisor).
        member = _route_to(model, Member, choose=_choose_member, depth=1)
    # Every way to the record's organisation, best first: a nullable link (a rating
    # without a meeting) falls back to the next one.
    candidates = []
    if model is Organization:
        candidates.append("path")
    if meeting:
        candidates.append("cell__path" if meeting == "pk" else f"{meeting}__cell__path")
    direct = _route_to(model, Organization, choose=_choose_org, depth=1)
    if direct:
        candidates.append(f"{direct}__path")
    if member:
        candidates.append(
            "organization__path" if member == "pk" else f"{member}__organization__path"
        )
    if not candidates:
        found = _route_to(model, Organization, choose=_choose_org)
        if found:
            candidates.append(f"{found}__path")
    org = list(dict.fromkeys(candidates)) or None
    _routes[model] = {"org": org, "meeting": meeting, "member": member}
    return _routes[model]


def context_expressions(model):
    """Annotations audit_org / audit_meeting / audit_member for a `values()` query."""
    found = routes(model)
    expressions = {
        f"audit_{key}": F(found[key])
        for key in ("meeting", "member")
        if found[key] is not None
    }
    if found["org"]:
        # A node being created has no path yet (""): fall back to the next way.
        paths = [NullIf(F(lookup), Value("")) for lookup in found["org"]]
        expressions["audit_org"] = paths[0] if len(paths) == 1 else Coalesce(*paths)
    return expressions


def contexts(model, pks):
    """{pk: {"audit_org": …, "audit_meeting": …, "audit_member": …}} for rows of pks."""
    rows = model._base_manager.filter(pk__in=list(pks)).values(
        "pk", **context_expressions(model)
    )
    return {row["pk"]: row for row in rows}
