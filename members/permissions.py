"""Who may do what: pure predicates over a user's scope and an object's place in the
tree. The scope itself is computed once per request by `selectors.get_scope`.

Reach (may see) and role (may act) are separate: outside reach is a 404, inside reach
without the role a 403.
"""

from dataclasses import dataclass, field

from .domain import CELL_LEVEL_KINDS, PARTY_GROUP


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    member_id: int | None = None
    # cells the user belongs to as a member (read)
    member_cell_ids: frozenset = field(default_factory=frozenset)
    # cells where the user is secretary, deputy or committee member (manage)
    officer_cell_ids: frozenset = field(default_factory=frozenset)
    # materialized paths of committee nodes where the user holds office (subtree)
    committee_paths: tuple = ()
    # cells the user is assigned to follow as a superior committee member (read)
    supervised_cell_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_anyone(self):
        return bool(
            self.is_admin
            or self.member_cell_ids
            or self.officer_cell_ids
            or self.committee_paths
            or self.supervised_cell_ids
        )

    @property
    def read_cell_ids(self):
        return self.member_cell_ids | self.officer_cell_ids | self.supervised_cell_ids


def covers(paths, org_path):
    """Whether `org_path` lies in one of the subtrees rooted at `paths`."""
    return any(org_path.startswith(path) for path in paths)


def _cell_of(org):
    """The cell an organisation node belongs to (itself, or a party group's parent)."""
    return org.parent_id if org.kind == PARTY_GROUP else org.pk


def can_read_org(scope, org):
    if scope.is_admin or covers(scope.committee_paths, org.path):
        return True
    return _cell_of(org) in scope.read_cell_ids


def can_manage_cell(scope, org):
    """Edit a cell's members, positions, groups and settings."""
    if scope.is_admin or covers(scope.committee_paths, org.path):
        return True
    return _cell_of(org) in scope.officer_cell_ids


def can_run_meetings(scope, cell):
    """Plan, prepare, hold and record the cell's meetings: its officers (and admins).
    Superior committees read and review them but do not write a cell's minutes."""
    return scope.is_admin or cell.pk in scope.officer_cell_ids


def can_manage_tree(scope, org):
    """Create and edit nodes below `org`: committee officials over it, or admins."""
    return scope.is_admin or covers(scope.committee_paths, org.path)


def can_edit_org(scope, org):
    """Edit the node itself: a committee's own officials may edit it and below."""
    if org.kind in CELL_LEVEL_KINDS:
        return can_manage_cell(scope, org)
    return can_manage_tree(scope, org)


def can_set_rule(scope, org, judges):
    """Set a rule on `org`: whoever edits the node, except that a rule judging a cell
    (judges=True) is set on a cell only by a committee above it (or an admin)."""
    if not can_edit_org(scope, org):
        return False
    if judges and org.kind in CELL_LEVEL_KINDS:
        return can_manage_tree(scope, org)
    return True


def can_read_member(scope, member, member_org):
    return member.pk == scope.member_id or can_read_org(scope, member_org)


def can_manage_member(scope, member_org):
    return can_manage_cell(scope, member_org)


def can_read_dues(scope, cell):
    """See a cell's dues sheets and ledger: whoever manages the cell, and the
    committee member assigned to follow it. Plain members see only their own."""
    return can_manage_cell(scope, cell) or cell.pk in scope.supervised_cell_ids


def can_keep_dues(scope, cell):
    """Record payments, close a month, correct it: the cell's officers (the
    secretary keeps the ledger) and admins; committees above read it."""
    return scope.is_admin or cell.pk in scope.officer_cell_ids


def can_edit_own_dues_base(scope, member):
    """A member enters their own base (salary or pension) and declared amount."""
    return member.pk == scope.member_id
