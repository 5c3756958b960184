"""The door other apps use into members: the selectors, predicates, services and
constants meetings and evaluations may rely on. Import from here, not from the
members modules behind it.

- reach and roles: get_scope, get_organization_for_user, organizations_for_user,
  reach_q, org_ancestors and the predicates can_read_org, can_edit_org,
  can_manage_tree, can_run_meetings, can_set_rule, covers;
- members and rules: current_q, member_flags_annotations, effective_rules,
  rule_value, rules_for_paths, default_value;
- the audit log: audited_bulk_create, audited_bulk_update and audited_update (bulk
  writes that record their entries), audit_entries_of_meeting and render_history
  (the history page of records of an organisation);
- the dues ledger: meeting_dues_status(cell, day) and meeting_dues_text(status)
  (what the opening of a regular meeting reads out and the minutes record),
  dues_collected(path, first, end) (the dashboards' "dues collected" figure),
  removal_alerts_of_year(year) and decided_members(ids, year) (the secretary's
  reminder about members with 3 unpaid months);
- the admission pipeline: vote_subjects (whom a cell may vote about, for the
  minutes' vote form), subtree_pipeline (the dashboards' figures);
- residence_comments(member_ids, year): the residence cells' comments (QĐ 213)
  on these members, for their workplace cell's annual rating sheet;
- writes seed_demo builds its tree through: create_organization, create_member,
  set_rule;
- form and view helpers: date_field, apply_errors;
- models and constants that cross the border as foreign keys, return values and
  choices: Candidate, Member, Organization, Position, RuleSetting,
  SupervisionAssignment, User, TimeStamped, CellType, MemberStatus, OrgKind,
  PositionRole, RuleKey, OFFICER_ROLES, PATH_STEP.

Callers import these names (`from members.api import get_scope`), never the
modules behind them.
Apps above members add behaviour to it through members.hooks, from their ready().
"""

from .admission.selectors import subtree_pipeline, vote_subjects
from .audit import bulk_create as audited_bulk_create
from .audit import bulk_update as audited_bulk_update
from .audit import update as audited_update
from .audit.views import render_history
from .dues.rules import (
    decided_members,
    dues_collected,
    meeting_dues_status,
    meeting_dues_text,
    removal_alerts_of_year,
)
from .forms import date_field
from .holidays import public_holidays
from .models import (
    OFFICER_ROLES,
    PATH_STEP,
    Candidate,
    CellType,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    RuleKey,
    RuleSetting,
    SupervisionAssignment,
    TimeStamped,
    User,
)
from .org_settings import default_value
from .permissions import (
    can_edit_org,
    can_manage_tree,
    can_read_org,
    can_run_meetings,
    can_set_rule,
    covers,
)
from .residence.selectors import residence_comments
from .selectors import (
    RuleHistory,
    audit_entries_of_meeting,
    current_q,
    effective_rules,
    get_organization_for_user,
    get_scope,
    member_flags_annotations,
    org_ancestors,
    organizations_for_user,
    reach_q,
    rule_value,
    rules_for_paths,
)
from .services import create_member, create_organization, set_rule
from .views import apply_errors

__all__ = [
    "OFFICER_ROLES",
    "PATH_STEP",
    "Candidate",
    "CellType",
    "Member",
    "MemberStatus",
    "OrgKind",
    "Organization",
    "Position",
    "PositionRole",
    "RuleHistory",
    "RuleKey",
    "RuleSetting",
    "SupervisionAssignment",
    "TimeStamped",
    "User",
    "apply_errors",
    "audit_entries_of_meeting",
    "audited_bulk_create",
    "audited_bulk_update",
    "audited_update",
    "can_edit_org",
    "can_manage_tree",
    "can_read_org",
    "can_run_meetings",
    "can_set_rule",
    "covers",
    "create_member",
    "create_organization",
    "current_q",
    "date_field",
    "decided_members",
    "default_value",
    "dues_collected",
    "effective_rules",
    "get_organization_for_user",
    "get_scope",
    "meeting_dues_status",
    "meeting_dues_text",
    "member_flags_annotations",
    "org_ancestors",
    "organizations_for_user",
    "public_holidays",
    "reach_q",
    "removal_alerts_of_year",
    "render_history",
    "residence_comments",
    "rule_value",
    "rules_for_paths",
    "set_rule",
    "subtree_pipeline",
    "vote_subjects",
]
