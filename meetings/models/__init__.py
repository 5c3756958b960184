"""Meetings, their preparation, attendance, minutes, votes and resolutions: one
module per concept; every model, TextChoices and constant is importable from here."""

from .attendance import Attendance, AttendanceStatus, Guest
from .feeds import CalendarToken
from .group_meeting import GroupMeeting
from .meeting import (
    ExcuseRequest,
    Meeting,
    MeetingChange,
    MeetingDocument,
    document_path,
)
from .minutes import (
    Addendum,
    Minutes,
    MinutesRevision,
    ReservedOpinion,
    Resolution,
    Vote,
    VoteKind,
)
from .model_meeting import InvitationRole, ModelMeeting, ModelMeetingInvitation
from .notifications import (
    MANDATORY_KINDS,
    Delivery,
    Dispatch,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from .pdf import MinuteBookJob, MinutesPdf
from .plan import AgendaTemplate, MeetingKind, MeetingState

__all__ = [
    "MANDATORY_KINDS",
    "Addendum",
    "AgendaTemplate",
    "Attendance",
    "AttendanceStatus",
    "CalendarToken",
    "Delivery",
    "Dispatch",
    "ExcuseRequest",
    "GroupMeeting",
    "Guest",
    "InvitationRole",
    "Meeting",
    "MeetingChange",
    "MeetingDocument",
    "MeetingKind",
    "MeetingState",
    "MinuteBookJob",
    "Minutes",
    "MinutesPdf",
    "MinutesRevision",
    "ModelMeeting",
    "ModelMeetingInvitation",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "ReservedOpinion",
    "Resolution",
    "Vote",
    "VoteKind",
    "document_path",
]
