"""What the members view tests expect: the personas in column order, the outcomes a
row of the access table names, the file to import, a member's events."""

from members.models import MemberEvent

PERSONAS = (
    "secretary",
    "member",
    "committee",
    "supervisor",
    "outsider",
    "admin",
    "anonymous",
)
LOGIN = "login"  # expected: anonymous → 302 to the login page with ?next=
DONE = 302  # expected: a valid POST was carried out and redirected
IMPORT_CSV = "Họ và tên,Trạng thái,Ngày sinh\nNguyễn Văn Nhập,Dự bị,02/09/1995\n"


def events_of(member):
    return list(
        MemberEvent.objects.filter(member=member)
        .order_by("pk")
        .values_list("kind", "date", "note", "created_by__username")
    )
