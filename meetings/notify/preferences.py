"""A member's choices: which optional kinds to receive, and the signed unsubscribe
link of each email."""

from django.core import signing
from django.db import transaction

from meetings.models import MANDATORY_KINDS, NotificationPreference

from .rules import OPTIONAL_KINDS, Kind

UNSUBSCRIBE_SALT = "chibo.notify.unsubscribe"


def preferences_for(member):
    """{kind: enabled} of every optional kind for `member` (one query)."""
    saved = dict(
        NotificationPreference.objects.filter(member=member).values_list(
            "kind", "enabled"
        )
    )
    return {kind: saved.get(kind, True) for kind in OPTIONAL_KINDS}


@transaction.atomic
def set_preferences(*, member, enabled):
    """Switch the optional kinds on (those in `enabled`) or off (the others).
    Meeting notices stay on whatever is asked."""
    for kind in OPTIONAL_KINDS:
        NotificationPreference.objects.update_or_create(
            member=member, kind=kind, defaults={"enabled": kind in set(enabled)}
        )


@transaction.atomic
def unsubscribe(*, member_id, kind):
    """Switch one optional kind off for a member (the email's unsubscribe link)."""
    if kind in MANDATORY_KINDS or kind not in Kind.values:
        return False
    NotificationPreference.objects.update_or_create(
        member_id=member_id, kind=kind, defaults={"enabled": False}
    )
    return True


def unsubscribe_token(member_id, kind):
    return signing.dumps([member_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(member id, kind) from a token, or None when forged or malformed."""
    try:
        member_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return member_id, kind
