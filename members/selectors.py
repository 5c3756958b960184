"""Reads for the members app: scopes, organisations and members a user may see."""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from . import domain, permissions
from .admission.alerts import pipeline_alerts
from .models import (
    COMMITTEE_KINDS,
    OFFICER_ROLES,
    AttachmentDirection,
    AuditEntry,
    Exemption,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    RuleSetting,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
)
from .org_settings import RULES, default_value

SCOPE_CACHE_ATTR = "_chibo_scope"


def current_q(prefix="", on=None):
    """Q for periods (start/end) that include day `on` (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def get_scope(user):
    """The user's reach and roles, computed once per user object (two queries)."""
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        scope = permissions.Scope()
    elif user.is_superuser:
        scope = permissions.Scope(is_admin=True, member_id=user.member_id)
    elif user.member_id is None:
        scope = permissions.Scope()
    else:
        member = Member.objects.filter(pk=user.member_id, is_active=True).first()
        member_cells = {member.organization_id} if member else set()
        officer_cells, committee_paths = set(), []
        positions = Position.objects.filter(
            current_q(), member_id=user.member_id, role__in=OFFICER_ROLES
        ).select_related("organization")
        for position in positions:
            org = position.organization
            if org.kind == OrgKind.CELL:
                officer_cells.add(org.pk)
            elif org.kind in COMMITTEE_KINDS:
                committee_paths.append(org.path)
        supervised = set(
            SupervisionAssignment.objects.filter(
                current_q(), supervisor_id=user.member_id
            ).values_list("cell_id", flat=True)
        )
        scope = permissions.Scope(
            member_id=user.member_id,
            member_cell_ids=frozenset(member_cells),
            officer_cell_ids=frozenset(officer_cells),
            committee_paths=tuple(sorted(set(committee_paths))),
            supervised_cell_ids=frozenset(supervised),
        )
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def reach_q(scope, prefix=""):
    """Q over Organization (or a relation to it via `prefix`) for the user's reach."""
    if scope.is_admin:
        return Q()
    query = Q(pk__in=[])
    if prefix:
        query = Q(**{f"{prefix}pk__in": []})
    for path in scope.committee_paths:
        query |= Q(**{f"{prefix}path__startswith": path})
    cells = list(scope.read_cell_ids)
    if cells:
        query |= Q(**{f"{prefix}pk__in": cells}) | Q(
            **{f"{prefix}parent_id__in": cells}
        )
    return query


def organizations_for_user(user):
    return Organization.objects.filter(reach_q(get_scope(user)))


def _authorise(found, allowed):
    if found is None:
        raise Http404
    if not allowed:
        raise PermissionDenied
    return found


def get_organization_for_user(user, pk, *, action="read"):
    """The node `pk` if in the user's reach (else 404) and the user may do `action`
    on it (else 403): read, manage (a cell's records), tree (add nodes), edit."""
    scope = get_scope(user)
    org = organizations_for_user(user).select_related("parent").filter(pk=pk).first()
    if org is None:
        raise Http404
    checks = {
        "read": permissions.can_read_org,
        "manage": permissions.can_manage_cell,
        "tree": permissions.can_manage_tree,
        "edit": permissions.can_edit_org,
    }
    return _authorise(org, checks[action](scope, org))


def members_for_user(user):
    scope = get_scope(user)
    query = reach_q(scope, prefix="organization__")
    if scope.member_id:
        query |= Q(pk=scope.member_id)
    return Member.objects.filter(query)


def get_member_for_user(user, pk, *, write=False):
    scope = get_scope(user)
    member = members_for_user(user).select_related("organization", "party_group")
    member = member.filter(pk=pk).first()
    if member is None:
        raise Http404
    if write:
        return _authorise(
            member, permissions.can_manage_member(scope, member.organization)
        )
    return member


# --- settings inherited down the tree --------------------------------------------


def effective_rules(org, on=None):
    """Every rule's value for `org` on day `on`: the deepest node on the path with a
    value valid on that day wins; the default otherwise. One query.

    Returns {key: {"value": …, "source": …, "set_on": Organization id or None,
    "valid_from": date or None}}.
    """
    on = on or timezone.localdate()
    ancestors = org.ancestor_ids or [org.pk]
    rows = RuleSetting.objects.filter(
        organization_id__in=ancestors, valid_from__lte=on
    ).values("organization_id", "key", "value", "valid_from", "source")
    depth_of = {pk: index for index, pk in enumerate(ancestors)}
    best = {}
    for row in rows:
        rank = (depth_of[row["organization_id"]], row["valid_from"])
        if row["key"] not in best or rank > best[row["key"]][0]:
            best[row["key"]] = (rank, row)
    resolved = {}
    for key, rule in RULES.items():
        if key in best:
            row = best[key][1]
            resolved[key] = {
                "value": row["value"],
                "source": row["source"] or rule.source,
                "set_on": row["organization_id"],
                "valid_from": row["valid_from"],
            }
        else:
            resolved[key] = {
                "value": default_value(key),
                "source": rule.source,
                "set_on": None,
                "valid_from": None,
            }
    return resolved


def rule_value(org, key, on=None):
    return effective_rules(org, on)[key]["value"]


class RuleHistory:
    """Inherited rules of many organisations on any day up to `until`, from one
    query: `values(org_id, day)` resolves exactly like `effective_rules` (deepest
    node with a value valid on `day` wins, the latest valid_from within a node, the
    default otherwise). `ancestors` maps each org id to its ancestor ids, root
    first, itself last. A record read for a past day gets the rule of that day."""

    def __init__(self, ancestors, keys, until):
        self.ancestors = ancestors
        keys = list(keys)
        nodes = {pk for path in ancestors.values() for pk in path}
        self.settings_by_org = defaultdict(list)
        for org_id, key, value, valid_from in RuleSetting.objects.filter(
            organization_id__in=nodes, key__in=keys, valid_from__lte=until
        ).values_list("organization_id", "key", "value", "valid_from"):
            self.settings_by_org[org_id].append((key, value, valid_from))
        self.defaults = {key: default_value(key) for key in keys}
        self._resolved = {}

    def values(self, org_id, day):
        """{key: value} of `org_id` on `day` (cached per organisation and day)."""
        cached = self._resolved.get((org_id, day))
        if cached is not None:
            return cached
        best = {}
        for depth, node in enumerate(self.ancestors[org_id]):
            for key, value, valid_from in self.settings_by_org.get(node, ()):
                if valid_from > day:
                    continue
                rank = (depth, valid_from)
                if key not in best or rank > best[key][0]:
                    best[key] = (rank, value)
        resolved = self.defaults | {key: found[1] for key, found in best.items()}
        self._resolved[(org_id, day)] = resolved
        return resolved


def rules_for_paths(ancestors, keys, on):
    """{org id: {key: value}} on day `on` for many organisations in one query (see
    RuleHistory)."""
    history = RuleHistory(ancestors, keys, on)
    return {org_id: history.values(org_id, on) for org_id in ancestors}


# --- cells and members ---------------------------------------------------------------


def member_flags_annotations(on=None):
    """Exists() annotations for a member's standing on day `on`."""
    on = on or timezone.localdate()
    return {
        "is_exempt": Exists(
            Exemption.objects.filter(current_q(on=on), member=OuterRef("pk"))
        ),
        "is_suspended": Exists(
            Suspension.objects.filter(current_q(on=on), member=OuterRef("pk"))
        ),
        "is_away": Exists(
            TemporaryAttachment.objects.filter(
                current_q(on=on),
                member=OuterRef("pk"),
                direction=AttachmentDirection.OUT,
            )
        ),
        "is_attached_in": Exists(
            TemporaryAttachment.objects.filter(
                current_q(on=on),
                member=OuterRef("pk"),
                direction=AttachmentDirection.IN,
            )
        ),
    }


def own_members_q(on=None):
    """Q over Member: the cell's own active members on day `on` (today by default).
    A member attached in from elsewhere is counted by the home cell only (§8), so
    no count over a subtree counts anybody twice."""
    return Q(is_active=True) & ~Q(member_flags_annotations(on)["is_attached_in"])


def own_members_count(on=None):
    """An expression for an Organization query: how many own members (see
    `own_members_q`) the organisation has, as a correlated subquery (no extra
    query whatever the number of organisations)."""
    counted = (
        Member.objects.filter(own_members_q(on), organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


MEMBER_FILTERS = {
    "official": Q(status=MemberStatus.OFFICIAL, is_active=True),
    "probationary": Q(status=MemberStatus.PROBATIONARY, is_active=True),
    "exempt": Q(is_exempt=True, is_active=True),
    "suspended": Q(is_suspended=True, is_active=True),
    "away": Q(is_away=True, is_active=True),
    "attached_in": Q(is_attached_in=True, is_active=True),
    "inactive": Q(is_active=False),
}


def cell_members(cell, *, status="", search=""):
    """Members of a cell with their standing today, filtered; active ones by default."""
    members = (
        Member.objects.filter(organization=cell)
        .annotate(**member_flags_annotations())
        .select_related("party_group")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=Position.objects.filter(current_q()),
                to_attr="current_positions",
            )
        )
    )
    members = members.filter(MEMBER_FILTERS.get(status, Q(is_active=True)))
    if search:
        members = members.filter(full_name__icontains=search.strip())
    return members


def cell_summary(cell, on=None):
    """Counts, officers, alerts and due recognitions of one cell (constant queries)."""
    on = on or timezone.localdate()
    flags = member_flags_annotations(on)
    # The cell's own members: one attached here from elsewhere is counted by the
    # home cell (DOMAIN.md §8) and shown apart.
    own = own_members_q(on)
    counts = Member.objects.filter(organization=cell, is_active=True).aggregate(
        total=Count("pk", filter=own),
        official=Count("pk", filter=own & Q(status=MemberStatus.OFFICIAL)),
        probationary=Count("pk", filter=own & Q(status=MemberStatus.PROBATIONARY)),
        exempt=Count("pk", filter=Q(flags["is_exempt"])),
        suspended=Count("pk", filter=Q(flags["is_suspended"])),
        away=Count("pk", filter=Q(flags["is_away"])),
        attached_in=Count("pk", filter=Q(flags["is_attached_in"])),
    )
    officers = list(
        Position.objects.filter(current_q(on=on), organization=cell)
        .select_related("member")
        .order_by("role", "member__full_name")
    )
    officer_count = len({p.member_id for p in officers if p.role in OFFICER_ROLES})
    probationers = list(
        Member.objects.filter(
            organization=cell, is_active=True, status=MemberStatus.PROBATIONARY
        ).only("pk", "full_name", "admission_date", "admission_decision_date", "status")
    )
    due = [
        member
        for member in probationers
        if domain.recognition_due(
            is_probationary=True, admission_date=member.admission_date, today=on
        )
    ]
    for member in due:
        member.probation_end = domain.probation_end(member.admission_date)
    # The admission pipeline's overdue steps (ceremonies, recognitions).
    pipeline = pipeline_alerts(probationers, today=on)
    overdue = {member.pk for member in pipeline["recognition_overdue"]}
    due = [member for member in due if member.pk not in overdue]
    return {
        **pipeline,
        "counts": counts,
        "officers": officers,
        "alerts": domain.cell_alerts(
            official_count=counts["official"], officer_count=officer_count
        ),
        "recognition_due": due,
    }


def subtree_counts(org):
    """For each child of `org`: cells and their own active members in its subtree
    (a member attached in from elsewhere counts in the home cell only, §8), plus the
    totals of `org` itself. Two queries whatever the size of the subtree."""
    children = list(org.children.filter(is_active=True).order_by("name"))
    per_cell = (
        Organization.objects.filter(
            path__startswith=org.path, kind=OrgKind.CELL, is_active=True
        )
        .annotate(active_members=own_members_count())
        .values_list("path", "active_members")
    )
    totals = {"cells": 0, "members": 0}
    per_child = defaultdict(lambda: {"cells": 0, "members": 0})
    child_paths = [(child.path, child.pk) for child in children]
    for path, members in per_cell:
        totals["cells"] += 1
        totals["members"] += members
        for child_path, child_pk in child_paths:
            if path.startswith(child_path):
                per_child[child_pk]["cells"] += 1
                per_child[child_pk]["members"] += members
                break
    for child in children:
        child.stats = per_child[child.pk]
    return {"children": children, "totals": totals}


def org_ancestors(org):
    """The nodes above `org`, root first (one query)."""
    ids = org.ancestor_ids[:-1]
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def member_history(member):
    """Everything dated about a member, for the detail page (constant queries)."""
    return {
        "events": list(member.events.select_related("created_by__member")),
        "positions": list(member.positions.select_related("organization")),
        "exemptions": list(member.exemptions.all()),
        "suspensions": list(member.suspensions.all()),
        "attachments": list(member.attachments.all()),
        "supervisions": list(member.supervisions.select_related("cell")),
    }


def member_standing(member, on=None):
    """Flags of one member today (one query)."""
    on = on or timezone.localdate()
    flags = (
        Member.objects.filter(pk=member.pk)
        .annotate(**member_flags_annotations(on))
        .values("is_exempt", "is_suspended", "is_away", "is_attached_in")
        .first()
    )
    return flags or {}


def home_for_user(user):
    """What the home page shows: the user's cells, managed cells, committees."""
    scope = get_scope(user)
    cell_ids = scope.member_cell_ids | scope.officer_cell_ids
    cells = Organization.objects.in_bulk(list(cell_ids | scope.supervised_cell_ids))
    committees = list(
        Organization.objects.filter(path__in=scope.committee_paths).order_by("path")
    )
    return {
        "scope": scope,
        "my_cell": cells.get(next(iter(scope.member_cell_ids), None)),
        "managed_cells": sorted(
            (cells[pk] for pk in scope.officer_cell_ids if pk in cells),
            key=lambda org: org.name,
        ),
        "supervised_cells": sorted(
            (cells[pk] for pk in scope.supervised_cell_ids if pk in cells),
            key=lambda org: org.name,
        ),
        "committees": committees,
    }


def tree_for_user(user, *, search="", limit=500):
    """Nodes in reach ordered by path (a tree when unfiltered), with direct member
    counts; filtered by name when `search` is given."""
    nodes = organizations_for_user(user).filter(is_active=True)
    if search:
        nodes = nodes.filter(Q(name__icontains=search) | Q(code__iexact=search))
    nodes = nodes.annotate(active_members=own_members_count()).order_by("path")
    rows = list(nodes[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    base_depth = min((node.depth for node in rows), default=0)
    for node in rows:
        node.indent = 0 if search else node.depth - base_depth
    return rows, truncated


def party_age(member, on=None):
    return domain.party_age_years(member.admission_date, on or timezone.localdate())


def probation_end(member):
    if member.status != MemberStatus.PROBATIONARY or member.admission_date is None:
        return None
    return domain.probation_end(member.admission_date)


def audit_entries_of_meeting(meeting_id):
    """The audit entries of a meeting's records (for its history page, which orders
    and pages them)."""
    return AuditEntry.objects.filter(meeting_id=meeting_id)
