"""The organisation tree, party members and their history, and login accounts: one
module per concept; every model, TextChoices and constant is importable from here."""

from .admission import Candidate, CandidateDocument, Probation
from .audit import AuditAction, AuditEntry
from .base import Period, TimeStamped
from .dues import (
    DuesAdjustment,
    DuesBase,
    DuesCategory,
    DuesCategoryPeriod,
    DuesChannel,
    DuesDecision,
    DuesDecisionKind,
    DuesMonth,
    DuesOpeningBalance,
    DuesPayment,
    DuesRelief,
    ReliefKind,
)
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
    "Candidate",
    "CandidateDocument",
    "CellType",
    "DuesAdjustment",
    "DuesBase",
    "DuesCategory",
    "DuesCategoryPeriod",
    "DuesChannel",
    "DuesDecision",
    "DuesDecisionKind",
    "DuesMonth",
    "DuesOpeningBalance",
    "DuesPayment",
    "DuesRelief",
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
    "Probation",
    "ReliefKind",
    "ResidenceComment",
    "RuleKey",
    "RuleSetting",
    "SupervisionAssignment",
    "Suspension",
    "TemporaryAttachment",
    "TimeStamped",
    "User",
]
