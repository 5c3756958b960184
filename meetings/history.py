"""A meeting's change history: the audit log entries of the meeting and of the
records that belong to it, on the members app's history page."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from members import api as member_api

from . import selectors


@require_safe
def meeting_audit(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return member_api.render_history(
        request,
        org=meeting.cell,
        entries=member_api.audit_entries_of_meeting(meeting.pk),
        title=_("History of the meeting %(meeting)s") % {"meeting": meeting},
        back_url=meeting.get_absolute_url(),
        back_label=str(meeting),
    )
