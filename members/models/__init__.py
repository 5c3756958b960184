"""The organisation tree, party members and their history, and login accounts: one
module per concept; every model, TextChoices and constant is importable from here."""

from .audit import AuditAction, AuditEntry
from .base import Period, TimeStamped
from .import_batch import ImportBatch
from .member import EventKind, Gender, LinkedPerson, Member, MemberEvent, MemberStatus
from .organization import COMMITTEE_KINDS, PATH_STEP, CellType, Organization, OrgKind
from .positions import OFFICER_ROLES, Position, PositionRole, SupervisionAssignment
from .residence import ResidenceComment
from .rules import RuleKey, RuleSetting
from .standing import (
    AttachmentDirection,
    Exemption,
    ExemptionReason,
    Suspension,
    TemporaryAttachment,
)
from .user import User

__all__ = [
    "COMMITTEE_KINDS",
    "OFFICER_ROLES",
    "PATH_STEP",
    "AttachmentDirection",
    "AuditAction",
    "AuditEntry",
    "CellType",
    "EventKind",
    "Exemption",
    "ExemptionReason",
    "Gender",
    "ImportBatch",
    "LinkedPerson",
    "Member",
    "MemberEvent",
    "MemberStatus",
    "OrgKind",
    "Organization",
    "Period",
    "Position",
    "PositionRole",
    "ResidenceComment",
    "RuleKey",
    "RuleSetting",
    "SupervisionAssignment",
    "Suspension",
    "TemporaryAttachment",
    "TimeStamped",
    "User",
]
