"""Views of the members app: access per persona, page content, forms, query counts
and the .xlsx export.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import domain, services
from members.imports import COLUMNS
from members.models import (
    EventKind,
    Exemption,
    ImportBatch,
    LinkedPerson,
    Member,
    MemberEvent,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    RuleSetting,
    SupervisionAssignment,
    Suspension,
)
from tests.factories import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SupervisionFactory,
    UserFactory,
)

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


# --- helpers -------------------------------------------------------------------------


def fmt(day):
    return day.strftime("%d/%m/%Y")


def today():
    return timezone.localdate()


def english(client):
    """Ask for the English UI (labels are asserted in English, never Vietnamese)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def get_html(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def member_list_names(html):
    """Names linked in the #member-list table, in page order."""
    start = html.index('id="member-list"')
    table = html[start : html.index("</table>", start)]
    return re.findall(r'<td><a href="/members/\d+/">([^<]+)</a></td>', table)


def stat_values(html, section_id):
    """The numbers of the stat cards inside the element with `section_id`."""
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return [int(n) for n in re.findall(r'"stat-value">(\d+)<', html[start:end])]


def between(html, marker, end):
    """The HTML from `marker` to the next `end`."""
    start = html.index(marker)
    return html[start : html.index(end, start)]


def section(html, section_id):
    """The HTML of the <section> that holds the element with `section_id`."""
    start = html.rindex("<section", 0, html.index(f'id="{section_id}"'))
    return html[start : html.index("</section>", start)]


def count_queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(context.captured_queries)


def due_admission_date():
    """An admission 11.5 months ago: the probation ends in about two weeks."""
    return domain.add_months(today(), -12) + timedelta(days=15)


def probationary(cell, name, admission_date, **fields):
    return MemberFactory(
        organization=cell,
        full_name=name,
        status=MemberStatus.PROBATIONARY,
        admission_date=admission_date,
        official_date=None,
        **fields,
    )


def events_of(member):
    return list(
        MemberEvent.objects.filter(member=member)
        .order_by("pk")
        .values_list("kind", "date", "note", "created_by__username")
    )


@pytest.fixture
def group(tree):
    return OrganizationFactory(
        name="Tổ đảng số 1", kind=OrgKind.PARTY_GROUP, parent=tree.cell
    )


@pytest.fixture
def world(tree, users, group):
    """The persona tree plus one of each object the views act on."""
    return SimpleNamespace(
        tree=tree,
        users=users,
        group=group,
        secretary_position=Position.objects.get(member=tree.secretary),
        ward_position=Position.objects.get(member=tree.official),
        assignment=SupervisionAssignment.objects.get(supervisor=tree.supervisor),
        exemption=Exemption.objects.create(
            member=tree.member, reason="health", start=date(2026, 1, 1)
        ),
        inactive=MemberFactory(
            organization=tree.cell,
            full_name="Đinh Văn Nghỉ",
            is_active=False,
            deactivated_on=date(2025, 6, 1),
        ),
    )


# --- 1. access: every view × every persona ------------------------------------------

# Each row: view and target, method, marker (content shown only when allowed; None:
# the .xlsx download; for POST-only views the expected redirect), and the expected
# result for secretary, member, committee, supervisor, outsider and admin. Anonymous
# always goes to the login page (except the liveness probe).
ACCESS = [
    ("home", "GET", lambda w: reverse("home"), "today", (200,) * 6),
    ("healthz", "GET", lambda w: reverse("healthz"), "ok", (200,) * 6),
    (
        "org-tree",
        "GET",
        lambda w: reverse("members:org-tree"),
        'id="org-tree"',
        (200,) * 6,
    ),
    (
        "org-create-root",
        "GET",
        lambda w: reverse("members:org-create-root"),
        'name="kind"',
        (403, 403, 403, 403, 403, 200),
    ),
    (
        "org-detail-cell",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.tree.cell.pk]),
        '<h1 class="page-title">Chi bộ Khối phố 5</h1>',
        (200, 200, 200, 200, 404, 200),
    ),
    (
        "org-detail-cell2",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.tree.cell2.pk]),
        '<h1 class="page-title">Chi bộ Khối phố 2</h1>',
        (404, 404, 200, 200, 404, 200),
    ),
    (
        "org-detail-ward",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.tree.ward.pk]),
        '<h1 class="page-title">Đảng bộ phường Thử</h1>',
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "org-detail-province",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.tree.province.pk]),
        '<h1 class="page-title">Đảng bộ tỉnh Thử</h1>',
        (404, 404, 404, 404, 404, 200),
    ),
    (
        "org-detail-other-cell",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.tree.other_cell.pk]),
        '<h1 class="page-title">Chi bộ Khoa Nội</h1>',
        (404, 404, 404, 404, 200, 200),
    ),
    (
        "org-detail-group",
        "GET",
        lambda w: reverse("members:org-detail", args=[w.group.pk]),
        '<h1 class="page-title">Tổ đảng số 1</h1>',
        (200, 200, 200, 200, 404, 200),
    ),
    (
        "org-create-cell",  # a party group under the cell
        "GET",
        lambda w: reverse("members:org-create", args=[w.tree.cell.pk]),
        'name="kind"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "org-create-ward",
        "GET",
        lambda w: reverse("members:org-create", args=[w.tree.ward.pk]),
        'name="kind"',
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "org-edit-cell",
        "GET",
        lambda w: reverse("members:org-edit", args=[w.tree.cell.pk]),
        'value="Chi bộ Khối phố 5"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "org-edit-ward",
        "GET",
        lambda w: reverse("members:org-edit", args=[w.tree.ward.pk]),
        'value="Đảng bộ phường Thử"',
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "org-rules-cell",
        "GET",
        lambda w: reverse("members:org-rules", args=[w.tree.cell.pk]),
        "[local] Seeds 001, 004",
        (200, 200, 200, 200, 404, 200),
    ),
    (
        "org-rules-ward",
        "GET",
        lambda w: reverse("members:org-rules", args=[w.tree.ward.pk]),
        "[local] Seeds 001, 004",
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "org-rule-clear-cell",
        "POST",
        lambda w: reverse(
            "members:org-rule-clear", args=[w.tree.cell.pk, "notice_days"]
        ),
        lambda w: reverse("members:org-rules", args=[w.tree.cell.pk]),
        (DONE, 403, DONE, 403, 404, DONE),
    ),
    (
        "position-add-cell",
        "GET",
        lambda w: reverse("members:position-add", args=[w.tree.cell.pk]),
        'name="role"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "position-add-ward",
        "GET",
        lambda w: reverse("members:position-add", args=[w.tree.ward.pk]),
        'name="role"',
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "position-end-cell",
        "GET",
        lambda w: reverse("members:position-end", args=[w.secretary_position.pk]),
        'name="end"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "position-end-ward",
        "GET",
        lambda w: reverse("members:position-end", args=[w.ward_position.pk]),
        'name="end"',
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "supervision-add",
        "GET",
        lambda w: reverse("members:supervision-add", args=[w.tree.cell.pk]),
        'name="supervisor"',
        (403, 403, 200, 403, 404, 200),
    ),
    (
        "supervision-end",
        "GET",
        lambda w: reverse("members:supervision-end", args=[w.assignment.pk]),
        'name="end"',
        (403, 403, 200, 403, 404, 200),
    ),
    (
        "linked-add",
        "GET",
        lambda w: reverse("members:linked-add", args=[w.tree.cell.pk]),
        'name="home_unit"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "member-create",
        "GET",
        lambda w: reverse("members:member-create", args=[w.tree.cell.pk]),
        'id="member-form"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "import-upload",
        "GET",
        lambda w: reverse("members:import-upload", args=[w.tree.cell.pk]),
        'name="file"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "import-preview",
        "GET",
        lambda w: reverse("members:import-preview", args=[w.tree.cell.pk, w.batch.pk]),
        "Nguyễn Văn Nhập",
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "export-members",
        "GET",
        lambda w: reverse("members:export-members", args=[w.tree.cell.pk]),
        None,
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "member-detail-cell",
        "GET",
        lambda w: reverse("members:member-detail", args=[w.tree.member.pk]),
        '<h1 class="page-title">Trần Thị Đảng Viên</h1>',
        (200, 200, 200, 200, 404, 200),
    ),
    (
        "member-detail-cell2",
        "GET",
        lambda w: reverse("members:member-detail", args=[w.tree.official.pk]),
        '<h1 class="page-title">Phạm Văn Cấp Ủy</h1>',
        (404, 404, 200, 200, 404, 200),
    ),
    (
        "member-edit",
        "GET",
        lambda w: reverse("members:member-edit", args=[w.tree.member.pk]),
        'value="Trần Thị Đảng Viên"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "member-deactivate",
        "GET",
        lambda w: reverse("members:member-deactivate", args=[w.tree.member.pk]),
        'name="reason"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "member-reactivate",
        "POST",
        lambda w: reverse("members:member-reactivate", args=[w.inactive.pk]),
        lambda w: reverse("members:member-detail", args=[w.inactive.pk]),
        (DONE, 403, DONE, 403, 404, DONE),
    ),
    (
        "member-period-add",
        "GET",
        lambda w: reverse(
            "members:member-period-add", args=[w.tree.member.pk, "exemption"]
        ),
        'name="resolution_ref"',
        (200, 403, 200, 403, 404, 200),
    ),
    (
        "member-period-end",
        "GET",
        lambda w: reverse(
            "members:member-period-end",
            args=[w.tree.member.pk, "exemption", w.exemption.pk],
        ),
        'name="end"',
        (200, 403, 200, 403, 404, 200),
    ),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def expected_access(row):
    """{persona: expected outcome} of one ACCESS row, anonymous included."""
    name, _method, _url, _marker, expected = row
    public = 200 if name == "healthz" else LOGIN  # liveness needs no login
    return dict(zip(PERSONAS, (*expected, public), strict=True))


def observe_access(world, persona_client, row, persona):
    """What `persona` gets from the row's view: LOGIN, DONE or the status code; a
    description instead when the page and the status disagree (a 200 without the
    page's content, or a 403/404 that still shows it)."""
    _name, method, url_of, marker, _expected = row
    world.batch = ImportBatch.objects.create(
        organization=world.tree.cell,
        created_by=getattr(world.users, persona, world.users.admin),
        filename="dang-vien.csv",
        content=IMPORT_CSV.encode(),
    )
    url = url_of(world)
    client = persona_client(persona)
    response = client.post(url) if method == "POST" else client.get(url)
    if response.status_code == 302:
        location = response["Location"]
        if location == f"/accounts/login/?next={url}":
            return LOGIN
        if callable(marker) and location == marker(world):
            return DONE
        return f"302 to {location}"
    if marker is None:
        shown = response["Content-Type"] == XLSX
    elif callable(marker):  # a POST-only view: nothing to show but the redirect
        shown = False
    else:
        if marker == "today":
            marker = f'<p class="page-sub">{fmt(today())}</p>'
        shown = marker in response.content.decode()
    if shown is not (response.status_code == 200):
        return f"{response.status_code} {'with' if shown else 'without'} the content"
    return response.status_code


@pytest.mark.parametrize("row", [pytest.param(row, id=row[0]) for row in ACCESS])
def test_view_access_per_persona(world, persona_client, row):
    # Arrange
    expected = expected_access(row)

    # Act
    observed = {
        persona: observe_access(world, persona_client, row, persona)
        for persona in expected
    }

    # Assert
    assert observed == expected


@pytest.mark.parametrize(
    ("persona", "view", "expected"),
    [
        ("member", "member-create", 403),
        ("member", "org-rules", 403),
        ("member", "position-add", 403),
        ("member", "member-deactivate", 403),
        ("supervisor", "member-period-add", 403),
        ("outsider", "member-create", 404),
        ("outsider", "member-deactivate", 404),
        ("secretary", "supervision-add", 403),
    ],
)
def test_denied_post_writes_nothing(tree, persona_client, persona, view, expected):
    # Arrange
    cell, member = tree.cell, tree.member
    posts = {
        "member-create": (
            reverse("members:member-create", args=[cell.pk]),
            {"full_name": "Kẻ Lạ", "status": "probationary"},
        ),
        "org-rules": (
            reverse("members:org-rules", args=[cell.pk]),
            {"key": "meeting_day", "value": "5", "valid_from": fmt(today())},
        ),
        "position-add": (
            reverse("members:position-add", args=[cell.pk]),
            {"member": member.pk, "role": "secretary", "start": fmt(today())},
        ),
        "member-deactivate": (
            reverse("members:member-deactivate", args=[member.pk]),
            {"on": fmt(today()), "reason": "x"},
        ),
        "member-period-add": (
            reverse("members:member-period-add", args=[member.pk, "exemption"]),
            {"reason": "health", "start": fmt(today())},
        ),
        "supervision-add": (
            reverse("members:supervision-add", args=[cell.pk]),
            {"supervisor": tree.official.pk, "start": fmt(today())},
        ),
    }
    url, data = posts[view]
    tables = (Member, MemberEvent, RuleSetting, Position, Exemption)
    tables = (*tables, SupervisionAssignment)
    before = {model: model.objects.count() for model in tables}

    # Act
    response = persona_client(persona).post(url, data)

    # Assert
    assert response.status_code == expected
    after = {model: model.objects.count() for model in before}
    assert after == before
    assert Member.objects.get(pk=member.pk).is_active


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("members:org-detail", (999_999,)),
        ("members:member-detail", (999_999,)),
        ("members:position-end", (999_999,)),
        ("members:supervision-end", (999_999,)),
        ("members:member-period-add", ("MEMBER", "holiday")),
        ("members:member-period-end", ("MEMBER", "suspension", "EXEMPTION")),
        ("members:org-rule-clear", ("CELL", "no_such_rule")),
        ("members:supervision-add", ("WARD",)),
        ("members:member-create", ("WARD",)),
    ],
)
def test_view_unknown_or_wrong_object_is_404(world, persona_client, url_name, args):
    # Arrange
    known = {
        "MEMBER": world.tree.member.pk,
        "EXEMPTION": world.exemption.pk,
        "CELL": world.tree.cell.pk,
        "WARD": world.tree.ward.pk,
    }
    url = reverse(url_name, args=[known.get(arg, arg) for arg in args])
    client = persona_client("admin")

    # Act
    response = client.post(url) if "clear" in url_name else client.get(url)

    # Assert
    assert response.status_code == 404


def test_import_preview_of_another_users_batch_is_404(world, persona_client):
    # Arrange
    batch = ImportBatch.objects.create(
        organization=world.tree.cell,
        created_by=world.users.committee,
        filename="dang-vien.csv",
        content=IMPORT_CSV.encode(),
    )
    url = reverse("members:import-preview", args=[world.tree.cell.pk, batch.pk])

    # Act
    response = persona_client("secretary").get(url)

    # Assert
    assert response.status_code == 404
    assert "Nguyễn Văn Nhập" not in response.content.decode()


# --- 2. content -----------------------------------------------------------------------


def test_cell_page_lists_active_members_of_the_cell_only(world, persona_client):
    # Arrange
    tree = world.tree
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    html = get_html(persona_client("member"), url)

    # Assert
    expected = sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
    )
    assert member_list_names(html) == expected
    assert world.inactive.full_name not in html
    assert tree.official.full_name not in html
    assert tree.outsider.full_name not in html


@pytest.fixture
def mixed_cell(tree):
    """The cell with a probationary, an exempted, a suspended and an inactive member."""
    return SimpleNamespace(
        probationary=probationary(
            tree.cell, "Bùi Thị Dự Bị", domain.add_months(today(), -3)
        ),
        exempt=Exemption.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Cao Văn Miễn"),
            reason="old_age",
            start=date(2025, 1, 1),
        ).member,
        suspended=Suspension.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Dương Văn Đình"),
            reason="Kỷ luật",
            start=date(2025, 1, 1),
        ).member,
        past_exempt=Exemption.objects.create(
            member=MemberFactory(organization=tree.cell, full_name="Giang Văn Cũ"),
            reason="health",
            start=date(2024, 1, 1),
            end=date(2024, 6, 30),
        ).member,
        inactive=MemberFactory(
            organization=tree.cell, full_name="Đinh Văn Nghỉ", is_active=False
        ),
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            "",
            {
                "all_officials",
                "Bùi Thị Dự Bị",
                "Cao Văn Miễn",
                "Dương Văn Đình",
                "Giang Văn Cũ",
            },
        ),
        (
            "official",
            {"all_officials", "Cao Văn Miễn", "Dương Văn Đình", "Giang Văn Cũ"},
        ),
        ("probationary", {"Bùi Thị Dự Bị"}),
        ("exempt", {"Cao Văn Miễn"}),
        ("suspended", {"Dương Văn Đình"}),
        ("inactive", {"Đinh Văn Nghỉ"}),
    ],
)
def test_cell_page_filters_by_status(
    tree, mixed_cell, persona_client, status, expected
):
    # Arrange
    if "all_officials" in expected:
        expected = (expected - {"all_officials"}) | {
            tree.secretary.full_name,
            tree.member.full_name,
            *(m.full_name for m in tree.others),
        }
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    html = get_html(persona_client("secretary"), url, data={"status": status})

    # Assert
    assert sorted(member_list_names(html)) == sorted(expected)
    assert f'<option value="{status}" selected>' in html


def test_cell_page_searches_by_name(tree, mixed_cell, persona_client):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])

    # Act
    found = get_html(persona_client("secretary"), url, data={"q": "Đảng Viên"})
    inactive = get_html(
        persona_client("secretary"), url, data={"q": "Nghỉ", "status": ""}
    )
    combined = get_html(
        persona_client("secretary"), url, data={"q": "Văn", "status": "exempt"}
    )

    # Assert
    assert member_list_names(found) == ["Trần Thị Đảng Viên"]
    assert 'value="Đảng Viên"' in found
    assert member_list_names(inactive) == []
    assert member_list_names(combined) == ["Cao Văn Miễn"]


def test_cell_page_empty_filter_says_no_match(tree, persona_client):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])
    client = english(persona_client("secretary"))

    # Act
    html = get_html(client, url, data={"q": "Không Có Ai"})

    # Assert
    assert member_list_names(html) == []
    assert "No member matches this filter." in html


def test_cell_page_htmx_request_returns_only_the_member_list(
    tree, mixed_cell, persona_client
):
    # Arrange
    url = reverse("members:org-detail", args=[tree.cell.pk])
    headers = {"HX-Request": "true", "HX-Target": "member-list"}

    # Act
    html = get_html(
        persona_client("secretary"),
        url,
        data={"status": "probationary"},
        headers=headers,
    )

    # Assert
    assert html.strip().startswith('<div id="member-list"')
    assert html.strip().endswith("</div>")
    assert "<html" not in html
    assert 'id="member-q"' not in html  # the filter form is not repeated
    assert tree.cell.name not in html  # nor the page header
    assert member_list_names(html) == ["Bùi Thị Dự Bị"]


def test_cell_page_shows_positions_groups_linked_and_supervisor(
    tree, group, persona_client
):
    # Arrange
    tree.member.party_group = group
    tree.member.save()
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Vũ Thị Cư Trú",
        home_unit="Chi bộ Trường THCS",
        start=date(2025, 1, 1),
    )
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("members:org-detail", args=[tree.cell.pk]))

    # Assert
    officers = section(html, "officers-heading")
    assert "Lê Văn Bí Thư</a> — Secretary" in officers
    assert "Hoàng Văn Theo Dõi" in section(html, "supervisors-heading")
    assert f'href="{group.get_absolute_url()}">Tổ đảng số 1<' in section(
        html, "groups-heading"
    )
    linked = section(html, "linked-heading")
    assert "Vũ Thị Cư Trú" in linked
    assert "Chi bộ Trường THCS" in linked
    row = re.search(r"<tr>\s*<td><a[^>]*>Trần Thị Đảng Viên</a>.*?</tr>", html, re.S)
    assert "Tổ đảng số 1" in row.group(0)
    # a plain member sees no management links
    assert reverse("members:member-create", args=[tree.cell.pk]) not in html
    assert reverse("members:position-add", args=[tree.cell.pk]) not in html


@pytest.mark.parametrize(
    ("persona", "links", "absent"),
    [
        (
            "secretary",
            ["member-create", "import-upload", "export-members", "org-edit", "linked"],
            ["supervision-add"],
        ),
        (
            "committee",
            [
                "member-create",
                "import-upload",
                "export-members",
                "org-edit",
                "linked",
                "supervision-add",
            ],
            [],
        ),
        (
            "supervisor",
            [],
            ["member-create", "import-upload", "org-edit", "supervision-add"],
        ),
    ],
)
def test_cell_page_shows_actions_by_role(tree, persona_client, persona, links, absent):
    # Arrange
    pk = tree.cell.pk
    urls = {
        "member-create": reverse("members:member-create", args=[pk]),
        "import-upload": reverse("members:import-upload", args=[pk]),
        "export-members": reverse("members:export-members", args=[pk]),
        "org-edit": reverse("members:org-edit", args=[pk]),
        "linked": reverse("members:linked-add", args=[pk]),
        "supervision-add": reverse("members:supervision-add", args=[pk]),
    }

    # Act
    html = get_html(persona_client(persona), reverse("members:org-detail", args=[pk]))

    # Assert
    assert [name for name in links if urls[name] in html] == links
    assert [name for name in absent if urls[name] in html] == []


def test_party_group_page_lists_its_members(tree, group, persona_client):
    # Arrange
    tree.member.party_group = group
    tree.member.save()

    # Act
    html = get_html(
        persona_client("admin"), reverse("members:org-detail", args=[group.pk])
    )

    # Assert
    assert re.findall(
        r'<li class="list-group-item"><a href="/members/\d+/">([^<]+)</a></li>', html
    ) == ["Trần Thị Đảng Viên"]
    assert tree.cell.get_absolute_url() in html


def test_ward_page_shows_subtree_totals_children_and_officials(tree, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("members:org-detail", args=[tree.ward.pk]))

    # Assert
    assert re.findall(r'"stat-value">(\d+)<', html) == ["2", "7", "2"]
    children = section(html, "children-heading")
    assert re.findall(
        r'<a href="/org/(\d+)/">([^<]+)</a></td><td>.*?</td>'
        r'<td class="text-end">(\d+)</td><td class="text-end">(\d+)</td>',
        children,
    ) == [
        (str(tree.cell2.pk), "Chi bộ Khối phố 2", "1", "2"),
        (str(tree.cell.pk), "Chi bộ Khối phố 5", "1", "5"),
    ]
    assert "Phạm Văn Cấp Ủy — Committee member" in section(html, "officials-heading")
    assert reverse("members:org-create", args=[tree.ward.pk]) in children


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        (
            "committee",
            [
                "Đảng bộ phường Thử",
                "Chi bộ Khối phố 5",
                "Tổ đảng số 1",
                "Chi bộ Khối phố 2",
            ],
            ["Đảng bộ tỉnh Thử", "Đảng bộ Khối Thử", "Chi bộ Khoa Nội"],
        ),
        (
            "supervisor",
            ["Chi bộ Khối phố 5", "Tổ đảng số 1", "Chi bộ Khối phố 2"],
            ["Đảng bộ phường Thử", "Chi bộ Khoa Nội"],
        ),
        (
            "member",
            ["Chi bộ Khối phố 5", "Tổ đảng số 1"],
            ["Chi bộ Khối phố 2", "Đảng bộ phường Thử", "Chi bộ Khoa Nội"],
        ),
        ("outsider", ["Chi bộ Khoa Nội"], ["Chi bộ Khối phố 5", "Đảng bộ Khối Thử"]),
        (
            "admin",
            [
                "Đảng bộ tỉnh Thử",
                "Đảng bộ phường Thử",
                "Chi bộ Khối phố 5",
                "Tổ đảng số 1",
                "Chi bộ Khối phố 2",
                "Đảng bộ Khối Thử",
                "Chi bộ Khoa Nội",
            ],
            [],
        ),
    ],
)
def test_tree_page_lists_nodes_in_reach_in_path_order(
    group, persona_client, persona, visible, hidden
):
    # Act
    html = get_html(persona_client(persona), reverse("members:org-tree"))

    # Assert
    names = re.findall(
        r'<a href="/org/\d+/">([^<]+)</a>', between(html, 'id="org-tree"', "</ul>")
    )
    assert names == visible
    assert [name for name in hidden if name in html] == []


def test_tree_page_indents_counts_and_searches(tree, group, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("members:org-tree"))
    found = get_html(client, reverse("members:org-tree"), data={"q": "phố 2"})

    # Assert
    nodes = re.findall(
        r'tree-indent-(\d+)">.*?<a href="/org/\d+/">([^<]+)</a>', html, re.S
    )
    assert nodes == [
        ("0", "Đảng bộ phường Thử"),
        ("1", "Chi bộ Khối phố 5"),
        ("2", "Tổ đảng số 1"),
        ("1", "Chi bộ Khối phố 2"),
    ]
    assert "5 members" in html
    assert "2 members" in html
    assert re.findall(
        r'<a href="/org/\d+/">([^<]+)</a>', between(found, 'id="org-tree"', "</ul>")
    ) == ["Chi bộ Khối phố 2"]
    assert 'value="phố 2"' in found


def test_home_secretary_sees_managed_cell_with_counts(tree, persona_client):
    # Arrange
    probationary(tree.cell, "Bùi Thị Dự Bị", domain.add_months(today(), -3))
    client = english(persona_client("secretary"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    managed = section(html, f"managed-{tree.cell.pk}")
    assert "The cell I manage: Chi bộ Khối phố 5" in managed
    # total, official, probationary, exempted, suspended, transferred out
    assert stat_values(html, f"managed-{tree.cell.pk}") == [6, 5, 1, 0, 0, 0]
    assert reverse("members:member-create", args=[tree.cell.pk]) in managed
    assert "No alerts for this cell." in managed
    assert 'id="my-cell"' not in html
    assert 'id="committee-' not in html
    assert 'id="supervised"' not in html
    assert 'id="roots"' not in html


def test_home_member_sees_my_cell_and_its_officers(tree, persona_client):
    # Arrange
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    mine = section(html, "my-cell")
    assert "My cell: Chi bộ Khối phố 5" in mine
    assert stat_values(html, "my-cell") == [5, 5, 0, 0, 0, 0]
    assert "Cell officers" in mine
    assert "Lê Văn Bí Thư (secretary)" in mine
    assert 'id="managed-' not in html
    assert reverse("members:member-create", args=[tree.cell.pk]) not in html
    assert 'id="committee-' not in html


def test_home_committee_sees_subtree_counts(tree, persona_client):
    # Arrange
    client = english(persona_client("committee"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    committee = section(html, f"committee-{tree.ward.pk}")
    assert "Đảng bộ phường Thử" in committee
    assert "2 cells, 7 active members in the subtree." in committee
    assert re.findall(
        r'>([^<]+)</a></td>.*?<td class="text-end">(\d+)</td>'
        r'<td class="text-end">(\d+)</td>',
        committee,
    ) == [("Chi bộ Khối phố 2", "1", "2"), ("Chi bộ Khối phố 5", "1", "5")]
    assert "My cell: Chi bộ Khối phố 2" in section(html, "my-cell")
    assert 'id="managed-' not in html


def test_home_supervisor_sees_followed_cells(tree, persona_client):
    # Arrange
    client = english(persona_client("supervisor"))

    # Act
    html = get_html(client, reverse("home"))

    # Assert
    followed = section(html, "supervised")
    assert "Cells I am assigned to follow" in followed
    assert f'<a href="{tree.cell.get_absolute_url()}">Chi bộ Khối phố 5</a>' in followed
    assert "My cell: Chi bộ Khối phố 2" in section(html, "my-cell")
    assert 'id="managed-' not in html


def test_home_outsider_sees_only_own_cell(tree, persona_client):
    # Act
    html = get_html(english(persona_client("outsider")), reverse("home"))

    # Assert
    assert "My cell: Chi bộ Khoa Nội" in section(html, "my-cell")
    for name in ("Chi bộ Khối phố 5", "Chi bộ Khối phố 2", "Đảng bộ phường Thử"):
        assert name not in html
    assert 'id="supervised"' not in html
    assert 'id="roots"' not in html


def test_home_admin_sees_top_level_organisations(tree, persona_client):
    # Act
    html = get_html(english(persona_client("admin")), reverse("home"))

    # Assert
    roots = section(html, "roots")
    assert re.findall(r'<a href="/org/\d+/">([^<]+)</a>', roots) == ["Đảng bộ tỉnh Thử"]
    assert reverse("members:org-create-root") in roots
    assert 'id="my-cell"' not in html


def test_home_unlinked_account_is_told_to_ask_the_administrator(tree, client):
    # Arrange
    client.force_login(UserFactory(username="unlinked"))

    # Act
    html = get_html(english(client), reverse("home"))

    # Assert
    assert "Your account is not linked to a party member record yet." in html
    assert tree.cell.name not in html


ALERT_PAGES = [
    ("home", lambda tree: reverse("home")),
    ("cell", lambda tree: reverse("members:org-detail", args=[tree.cell.pk])),
]


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
def test_alert_fewer_than_three_official_members(tree, persona_client, page, url_of):
    # Arrange
    Member.objects.filter(pk__in=[m.pk for m in tree.others]).update(is_active=False)

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    assert "The cell has only 2 official members; a cell needs at least 3." in html
    assert "no elected cell committee" not in html


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
@pytest.mark.parametrize(
    ("officers", "alerted"),
    [
        ((), True),
        ((PositionRole.DEPUTY_SECRETARY, PositionRole.COMMITTEE_MEMBER), False),
    ],
)
def test_alert_nine_official_members_without_committee(
    tree, persona_client, page, url_of, officers, alerted
):
    # Arrange: 5 + 4 = 9 official members, the secretary is the only officer
    MemberFactory.create_batch(4, organization=tree.cell)
    for role, holder in zip(officers, tree.others, strict=False):
        PositionFactory(member=holder, organization=tree.cell, role=role)

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    message = (
        "The cell has 9 official members (9 or more) but no elected cell committee."
    )
    assert (message in html) is alerted
    assert "a cell needs at least 3" not in html
    if page == "home":
        assert ("No alerts for this cell." in html) is not alerted


@pytest.mark.parametrize(("page", "url_of"), ALERT_PAGES)
def test_alert_probationary_member_due_for_recognition(
    tree, persona_client, page, url_of
):
    # Arrange
    due = probationary(tree.cell, "Bùi Thị Sắp Đủ", due_admission_date())
    probationary(tree.cell, "Cao Thị Mới Vào", domain.add_months(today(), -6))
    ends = fmt(domain.probation_end(due.admission_date))

    # Act
    html = get_html(english(persona_client("secretary")), url_of(tree))

    # Assert
    assert (
        f"Bùi Thị Sắp Đủ: probation ends {ends} — prepare the vote on official "
        "recognition." in html
    )
    assert f'<a href="{due.get_absolute_url()}">Open</a>' in html
    assert "Cao Thị Mới Vào: probation ends" not in html


def test_member_detail_shows_record_standing_and_history(tree, users, persona_client):
    # Arrange
    member = tree.member
    member.party_card_number = "093.001234"
    member.save()
    services.save_period(
        instance=Exemption(
            member=member,
            reason="health",
            start=date(2026, 1, 1),
            resolution_ref="NQ 5",
        ),
        by=users.secretary,
    )
    services.save_period(
        instance=Suspension(
            member=member,
            reason="Kỷ luật",
            start=date(2025, 1, 1),
            end=date(2025, 3, 1),
        ),
        by=users.secretary,
    )
    client = english(persona_client("member"))

    # Act
    html = get_html(client, reverse("members:member-detail", args=[member.pk]))

    # Assert
    assert '<span class="badge text-bg-info">Exempted</span>' in html
    assert "Suspended</span>" not in html  # the suspension has ended
    assert "093.001234" in html
    assert "17/05/1970" in html
    party_age = today().year - 2000 - ((today().month, today().day) < (3, 3))
    assert f"{party_age} years" in html
    periods = section(html, "periods-heading")
    assert "Exemption: Weak health (NQ 5)" in periods
    assert "Suspension: Kỷ luật" in periods
    history = section(html, "history-heading")
    assert history.count("<li>") == 2
    assert "(Lê Văn Bí Thư)" in history  # who recorded it
    # a member reads but does not edit their own record
    assert reverse("members:member-edit", args=[member.pk]) not in html


# --- 3. forms -------------------------------------------------------------------------


def member_post_data(**overrides):
    data = {
        "full_name": "Đỗ Văn Mới",
        "gender": "male",
        "birth_date": "17/05/1990",
        "party_card_number": "093.004567",
        "status": "probationary",
        "admission_decision_date": fmt(today() - timedelta(days=40)),
        "admission_date": fmt(today() - timedelta(days=20)),
        "official_date": "",
        "party_group": "",
        "phone": "0912 345 678",
        "email": "domoi@example.vn",
        "residence": "Khối phố 5, phường Thử",
        "workplace": "Trường THCS Thử",
    }
    data.update(overrides)
    return data


def test_member_create_saves_member_and_history(tree, users, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(full_name="  Đỗ   Văn  Mới ")

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.cell.get_absolute_url()
    member = Member.objects.get(full_name="Đỗ Văn Mới")
    assert (
        member.organization,
        member.gender,
        member.birth_date,
        member.party_card_number,
        member.status,
        member.admission_decision_date,
        member.admission_date,
        member.official_date,
        member.phone,
        member.email,
        member.residence,
        member.workplace,
        member.is_active,
    ) == (
        tree.cell,
        "male",
        date(1990, 5, 17),
        "093.004567",
        MemberStatus.PROBATIONARY,
        today() - timedelta(days=40),
        today() - timedelta(days=20),
        None,
        "0912 345 678",
        "domoi@example.vn",
        "Khối phố 5, phường Thử",
        "Trường THCS Thử",
        True,
    )
    assert events_of(member) == [
        (EventKind.ADMITTED, today() - timedelta(days=20), "", "secretary"),
        (EventKind.JOINED_CELL, today(), "Chi bộ Khối phố 5", "secretary"),
    ]


def test_member_create_official_records_recognition(tree, group, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(
        status="official",
        admission_decision_date="01/02/2010",
        admission_date="15/02/2010",
        official_date="15/02/2011",
        party_group=str(group.pk),
    )

    # Act
    response = english(persona_client("committee")).post(url, data, follow=True)

    # Assert
    assert response.redirect_chain == [(tree.cell.get_absolute_url(), 302)]
    assert "Đỗ Văn Mới was added to the cell." in response.content.decode()
    member = Member.objects.get(full_name="Đỗ Văn Mới")
    assert member.party_group == group
    assert member.is_official
    assert [(kind, day) for kind, day, _note, _by in events_of(member)] == [
        (EventKind.ADMITTED, date(2010, 2, 15)),
        (EventKind.RECOGNISED, date(2011, 2, 15)),
        (EventKind.JOINED_CELL, today()),
    ]
    assert "Đỗ Văn Mới" in member_list_names(response.content.decode())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"full_name": ""}, "full_name", id="missing-name"),
        pytest.param({"full_name": "   "}, "full_name", id="blank-name"),
        pytest.param(
            {"birth_date": "FUTURE"},
            "birth_date",
            id="future-birth-date",
        ),
        pytest.param(
            {"party_card_number": "010203"}, "party_card_number", id="dup-card"
        ),
        pytest.param({"birth_date": "31/02/2020"}, "birth_date", id="impossible-date"),
        pytest.param({"email": "not-an-email"}, "email", id="bad-email"),
        pytest.param(
            {"admission_decision_date": "20/02/2020", "admission_date": "10/02/2020"},
            "admission_date",
            id="ceremony-before-decision",
        ),
        pytest.param(
            {"status": "official", "official_date": ""},
            "official_date",
            id="official-without-recognition-date",
        ),
    ],
)
def test_member_create_bad_data_rerenders_with_typed_values(
    tree, persona_client, overrides, field
):
    # Arrange
    MemberFactory(organization=tree.other_cell, party_card_number="010203")
    url = reverse("members:member-create", args=[tree.cell.pk])
    if overrides.get("birth_date") == "FUTURE":
        overrides = {"birth_date": fmt(today() + timedelta(days=1))}
    data = member_post_data(**overrides)
    before = (Member.objects.count(), MemberEvent.objects.count())

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    for name, value in data.items():
        if name in {"gender", "status"}:
            assert f'<option value="{value}" selected>' in html
        elif value.strip():
            assert f'name="{name}" value="{value}"' in html, name
    assert (Member.objects.count(), MemberEvent.objects.count()) == before


def test_member_create_refuses_recognition_before_probation_ends(tree, persona_client):
    # Arrange
    url = reverse("members:member-create", args=[tree.cell.pk])
    data = member_post_data(
        status="official",
        admission_decision_date="01/12/2024",
        admission_date="15/01/2025",
        official_date="15/02/2025",  # one month into a 12-month probation
    )

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"official_date"}
    assert "15/01/2026" in response.context["form"].errors["official_date"][0]
    assert not Member.objects.filter(full_name="Đỗ Văn Mới").exists()


def test_member_edit_saves_changes_and_recognition(tree, persona_client):
    # Arrange
    member = probationary(tree.cell, "Bùi Thị Dự Bị", date(2025, 10, 1))
    url = reverse("members:member-edit", args=[member.pk])
    data = member_post_data(
        full_name="Bùi Thị Dự Bị",
        party_card_number="",
        birth_date="17/05/1970",
        admission_decision_date="",
        admission_date="01/10/2025",
        status="official",
        official_date="02/10/2026",
    )

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert (member.status, member.official_date, member.phone) == (
        MemberStatus.OFFICIAL,
        date(2026, 10, 2),
        "0912 345 678",
    )
    kinds = [kind for kind, *_rest in events_of(member)]
    assert kinds[0] == EventKind.RECOGNISED


def test_member_edit_history_names_only_the_changed_field(tree, persona_client):
    # Arrange
    member = tree.member
    url = reverse("members:member-edit", args=[member.pk])
    data = {
        "full_name": member.full_name,
        "gender": "",
        "birth_date": fmt(member.birth_date),
        "party_card_number": "",
        "status": "official",
        "admission_decision_date": "",
        "admission_date": fmt(member.admission_date),
        "official_date": fmt(member.official_date),
        "party_group": "",
        "phone": "0987 000 111",
        "email": "",
        "residence": "",
        "workplace": "",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert [(kind, note) for kind, _day, note, _by in events_of(member)] == [
        (EventKind.UPDATED, "phone")
    ]


def test_org_create_cell_under_ward(tree, persona_client):
    # Arrange
    url = reverse("members:org-create", args=[tree.ward.pk])
    data = {
        "name": "Chi bộ Khối phố 9",
        "kind": "cell",
        "cell_type": "urban",
        "code": "CB",
        "place": "Nghệ An",
    }

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    org = Organization.objects.get(name="Chi bộ Khối phố 9")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert (org.parent, org.kind, org.cell_type, org.code, org.place) == (
        tree.ward,
        OrgKind.CELL,
        "urban",
        "CB",
        "Nghệ An",
    )
    assert org.path == f"{tree.ward.path}{org.pk:08d}/"
    assert org.depth == tree.ward.depth + 1


def test_org_create_party_group_under_cell_by_admin(tree, persona_client):
    # Arrange
    url = reverse("members:org-create", args=[tree.cell.pk])

    # Act
    response = persona_client("admin").post(
        url, {"name": "Tổ đảng số 2", "kind": "party_group"}
    )

    # Assert
    assert response.status_code == 302
    group = Organization.objects.get(name="Tổ đảng số 2")
    assert (group.parent, group.kind, group.cell_type) == (
        tree.cell,
        OrgKind.PARTY_GROUP,
        "",
    )


def test_org_create_party_group_under_cell_by_secretary(tree, persona_client):
    # Arrange
    client = persona_client("secretary")
    url = reverse("members:org-create", args=[tree.cell.pk])

    # Act
    form = client.get(url)
    response = client.post(url, {"name": "Tổ đảng số 2", "kind": "party_group"})

    # Assert
    kinds = [value for value, _label in form.context["form"].fields["kind"].choices]
    assert kinds == ["party_group"]
    assert response.status_code == 302
    group = Organization.objects.get(name="Tổ đảng số 2")
    assert response["Location"] == group.get_absolute_url()
    assert (group.parent, group.kind) == (tree.cell, OrgKind.PARTY_GROUP)


@pytest.mark.parametrize(
    ("parent", "data", "field"),
    [
        pytest.param(
            "ward",
            {"name": "Chi bộ Không Loại", "kind": "cell", "cell_type": ""},
            "cell_type",
            id="cell-needs-type",
        ),
        pytest.param(
            "group",
            {"name": "Chi bộ Trong Tổ", "kind": "cell", "cell_type": "urban"},
            "kind",
            id="cell-under-party-group",
        ),
        pytest.param(
            "ward",
            {"name": "Đảng bộ Sai Chỗ", "kind": "province_committee"},
            "kind",
            id="province-under-ward",
        ),
        pytest.param(
            "cell",
            {"name": "Chi bộ Trong Chi Bộ", "kind": "cell", "cell_type": "urban"},
            "kind",
            id="cell-under-cell",
        ),
        pytest.param("ward", {"name": "", "kind": "cell"}, "name", id="no-name"),
    ],
)
def test_org_create_refuses_bad_data(tree, group, persona_client, parent, data, field):
    # Arrange
    parents = {"ward": tree.ward, "group": group, "cell": tree.cell}
    url = reverse("members:org-create", args=[parents[parent].pk])
    before = Organization.objects.count()

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    if data["name"]:
        assert f'value="{data["name"]}"' in html
    assert Organization.objects.count() == before


def test_org_create_offers_only_kinds_allowed_under_the_parent(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:org-create", args=[tree.ward.pk])
    )

    # Assert
    choices = [
        value for value, _label in response.context["form"].fields["kind"].choices
    ]
    assert choices == ["grassroots_committee", "cell"]


def test_org_edit_renames_and_keeps_kind(tree, persona_client):
    # Arrange
    url = reverse("members:org-edit", args=[tree.cell.pk])
    data = {
        "name": "Chi bộ Khối phố 5A",
        "kind": "province_committee",  # disabled field: ignored
        "cell_type": "rural",
        "code": "CB5",
        "place": "Vinh",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    tree.cell.refresh_from_db()
    assert (tree.cell.name, tree.cell.kind, tree.cell.cell_type, tree.cell.code) == (
        "Chi bộ Khối phố 5A",
        OrgKind.CELL,
        "rural",
        "CB5",
    )


def _rule_row(response, key):
    return next(row for row in response.context["rows"] if row["key"] == key)


def test_org_rules_set_on_ward_is_inherited_by_cell_and_cleared(tree, persona_client):
    # Arrange
    committee = english(persona_client("committee"))
    ward_rules = reverse("members:org-rules", args=[tree.ward.pk])
    cell_rules = reverse("members:org-rules", args=[tree.cell.pk])
    data = {
        "key": "meeting_day",
        "value": "5",
        "valid_from": fmt(today()),
        "source": "NQ 01-NQ/ĐU",
    }

    # Act: set
    response = committee.post(ward_rules, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == ward_rules
    setting = RuleSetting.objects.get(organization=tree.ward, key="meeting_day")
    assert (setting.value, setting.valid_from, setting.source) == (
        5,
        today(),
        "NQ 01-NQ/ĐU",
    )
    inherited = english(persona_client("secretary")).get(cell_rules)
    row = _rule_row(inherited, "meeting_day")
    assert (row["value"], row["set_on"], row["own"], row["source"]) == (
        5,
        tree.ward,
        False,
        "NQ 01-NQ/ĐU",
    )
    html = inherited.content.decode()
    assert re.search(
        r"<strong>5</strong></td>\s*<td>Đảng bộ phường Thử "
        rf'<span class="text-muted small">from {fmt(today())}</span>',
        html,
    )
    # the secretary cannot clear a value set above the cell
    assert reverse(
        "members:org-rule-clear", args=[tree.cell.pk, "meeting_day"]
    ) not in (html)

    # Act: clear on the ward
    cleared = committee.post(
        reverse("members:org-rule-clear", args=[tree.ward.pk, "meeting_day"])
    )

    # Assert
    assert cleared.status_code == 302
    assert not RuleSetting.objects.filter(key="meeting_day").exists()
    row = _rule_row(persona_client("secretary").get(cell_rules), "meeting_day")
    assert (row["value"], row["set_on"], row["valid_from"]) == (3, None, None)


def test_org_rules_cell_override_beats_ward(tree, persona_client):
    # Arrange
    services.set_rule(org=tree.ward, key="meeting_day", value=5, valid_from=today())
    url = reverse("members:org-rules", args=[tree.cell.pk])

    # Act
    response = persona_client("secretary").post(
        url, {"key": "meeting_day", "value": "7", "valid_from": fmt(today())}
    )

    # Assert
    assert response.status_code == 302
    cell_row = _rule_row(persona_client("secretary").get(url), "meeting_day")
    assert (cell_row["value"], cell_row["set_on"], cell_row["own"]) == (
        7,
        tree.cell,
        True,
    )
    cell2_row = _rule_row(
        persona_client("committee").get(
            reverse("members:org-rules", args=[tree.cell2.pk])
        ),
        "meeting_day",
    )
    assert (cell2_row["value"], cell2_row["set_on"]) == (5, tree.ward)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("meeting_day", "40", "Enter a number from 1 to 31."),
        ("meeting_day", "ba", "Enter a whole number."),
        ("meeting_time", "25:00", "Enter a time as HH:MM, e.g. 08:00."),
        ("monthly_rating", "maybe", "Enter yes or no."),
        ("meeting_shift", "weekend", "Choose one of: none, next_working_day"),
    ],
)
def test_org_rules_invalid_value_is_refused(tree, persona_client, key, value, message):
    # Arrange
    url = reverse("members:org-rules", args=[tree.ward.pk])
    data = {"key": key, "value": value, "valid_from": fmt(today()), "source": "NQ 9"}

    # Act
    response = english(persona_client("committee")).post(url, data)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"value"}
    html = response.content.decode()
    assert 'id="id_value_error"' in html
    assert message in html
    assert f'name="value" value="{value}"' in html
    assert 'name="source" value="NQ 9"' in html
    assert not RuleSetting.objects.exists()


def test_org_rules_member_sees_values_without_the_form(tree, persona_client):
    # Arrange
    services.set_rule(org=tree.cell, key="notice_days", value=5, valid_from=today())

    # Act
    response = persona_client("member").get(
        reverse("members:org-rules", args=[tree.cell.pk])
    )

    # Assert
    assert response.status_code == 200
    assert _rule_row(response, "notice_days")["value"] == 5
    html = response.content.decode()
    assert 'name="value"' not in html
    assert "/clear/" not in html


def test_position_add_records_office_and_event(tree, users, persona_client):
    # Arrange
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {
        "member": tree.member.pk,
        "role": "deputy_secretary",
        "start": fmt(today()),
        "end": "",
        "note": "NQ bầu",
    }

    # Act
    response = english(persona_client("secretary")).post(url, data, follow=True)

    # Assert
    assert response.redirect_chain == [(tree.cell.get_absolute_url(), 302)]
    position = Position.objects.get(member=tree.member)
    assert (position.organization, position.role, position.start, position.end) == (
        tree.cell,
        PositionRole.DEPUTY_SECRETARY,
        today(),
        None,
    )
    assert [(k, d, by) for k, d, _n, by in events_of(tree.member)] == [
        (EventKind.UPDATED, today(), "secretary")
    ]
    officers = section(response.content.decode(), "officers-heading")
    assert "Trần Thị Đảng Viên</a> — Deputy secretary" in officers


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"role": "group_leader"}, "role", id="group-role-in-cell"),
        pytest.param({"member": "OFFICIAL"}, "member", id="member-of-another-cell"),
        pytest.param({"start": "30/02/2026"}, "start", id="impossible-date"),
    ],
)
def test_position_add_refuses_bad_choice(tree, persona_client, data, field):
    # Arrange
    url = reverse("members:position-add", args=[tree.cell.pk])
    post = {"member": tree.member.pk, "role": "committee_member", "start": fmt(today())}
    post.update(data)
    if post["member"] == "OFFICIAL":
        post["member"] = tree.official.pk

    # Act
    response = persona_client("secretary").post(url, post)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    assert Position.objects.filter(member=tree.member).count() == 0


def test_position_add_refuses_overlapping_same_office(tree, persona_client):
    # Arrange
    PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2025, 1, 1),
    )
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {"member": tree.member.pk, "role": "committee_member", "start": "01/06/2026"}

    # Act
    response = english(persona_client("secretary")).post(url, data)

    # Assert
    assert response.status_code == 200
    assert "This period overlaps another one already recorded." in (
        response.content.decode()
    )
    assert Position.objects.filter(member=tree.member).count() == 1


@pytest.mark.parametrize(
    ("role", "holder_end", "accepted"),
    [
        ("secretary", None, False),  # the cell already has a secretary
        ("secretary", date(2025, 12, 31), True),  # … whose term has ended
        ("deputy_secretary", None, False),
        ("committee_member", None, True),  # a committee has several members
    ],
)
def test_position_add_one_holder_per_single_office(
    tree, persona_client, role, holder_end, accepted
):
    # Arrange: the current holder of the office is another member of the cell
    PositionFactory(
        member=tree.others[0],
        organization=tree.cell,
        role=role,
        start=date(2025, 1, 1),
        end=holder_end,
    )
    Position.objects.filter(member=tree.secretary).update(end=holder_end)
    url = reverse("members:position-add", args=[tree.cell.pk])
    data = {"member": tree.member.pk, "role": role, "start": "01/01/2026"}

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    saved = Position.objects.filter(member=tree.member, role=role).exists()
    assert saved is accepted
    if accepted:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role"}
    assert 'name="start" value="01/01/2026"' in response.content.decode()


def test_position_candidates_on_a_cell_are_its_active_members(world, persona_client):
    # Act
    response = persona_client("secretary").get(
        reverse("members:position-add", args=[world.tree.cell.pk])
    )

    # Assert
    names = sorted(str(m) for m in response.context["form"].fields["member"].queryset)
    tree = world.tree
    assert names == sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
    )


def test_position_candidates_on_ward_are_members_below_it(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:position-add", args=[tree.ward.pk])
    )

    # Assert: the ward's cells only, never another ward's or bloc's members
    names = sorted(str(m) for m in response.context["form"].fields["member"].queryset)
    assert names == sorted(
        [tree.secretary.full_name, tree.member.full_name]
        + [m.full_name for m in tree.others]
        + [tree.official.full_name, tree.supervisor.full_name]
    )
    assert tree.outsider.full_name not in response.content.decode()


def test_position_end_closes_the_office(world, persona_client):
    # Arrange
    position = world.secretary_position
    url = reverse("members:position-end", args=[position.pk])

    # Act
    response = persona_client("secretary").post(url, {"end": fmt(today())})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == world.tree.cell.get_absolute_url()
    position.refresh_from_db()
    assert position.end == today()


def test_position_end_before_start_is_refused(world, persona_client):
    # Arrange
    url = reverse("members:position-end", args=[world.secretary_position.pk])

    # Act
    response = persona_client("secretary").post(url, {"end": "31/12/2023"})

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end"}
    assert 'name="end" value="31/12/2023"' in response.content.decode()
    world.secretary_position.refresh_from_db()
    assert world.secretary_position.end is None


PERIOD_DATA = {
    "exemption": (
        Exemption,
        {"reason": "health", "detail": "Điều trị dài ngày", "resolution_ref": "NQ 05"},
    ),
    "suspension": (
        Suspension,
        {"reason": "Đang xem xét kỷ luật", "decision_ref": "QĐ 12"},
    ),
}


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
def test_member_period_add_records_period_and_event(tree, persona_client, kind):
    # Arrange
    model, fields = PERIOD_DATA[kind]
    url = reverse("members:member-period-add", args=[tree.member.pk, kind])
    data = {**fields, "start": "01/03/2026", "end": ""}

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.member.get_absolute_url()
    period = model.objects.get(member=tree.member)
    assert (period.start, period.end) == (date(2026, 3, 1), None)
    assert [(k, d, by) for k, d, _n, by in events_of(tree.member)] == [
        (EventKind.UPDATED, date(2026, 3, 1), "secretary")
    ]
    listed = get_html(
        persona_client("secretary"),
        reverse("members:org-detail", args=[tree.cell.pk]),
        data={"status": "exempt" if kind == "exemption" else "suspended"},
    )
    assert member_list_names(listed) == [tree.member.full_name]


@pytest.mark.parametrize("kind", ["exemption", "suspension"])
@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [
        ("01/03/2026", "", False),  # inside the recorded period
        ("01/12/2025", "15/01/2026", False),  # overlaps its start
        ("01/04/2026", "", True),  # after it ended
        ("01/06/2025", "31/12/2025", True),  # before it began
    ],
)
def test_member_period_add_refuses_overlap(
    tree, persona_client, kind, start, end, accepted
):
    # Arrange
    model, fields = PERIOD_DATA[kind]
    model.objects.create(
        member=tree.member,
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
        reason=fields["reason"],
    )
    url = reverse("members:member-period-add", args=[tree.member.pk, kind])

    # Act
    response = english(persona_client("secretary")).post(
        url, {**fields, "start": start, "end": end}
    )

    # Assert
    assert model.objects.filter(member=tree.member).count() == (2 if accepted else 1)
    if accepted:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "This period overlaps another one already recorded." in html
    assert f'name="start" value="{start}"' in html
    assert not MemberEvent.objects.filter(member=tree.member).exists()


@pytest.mark.parametrize(
    ("url_name", "args", "data"),
    [
        ("members:member-period-add", ("MEMBER", "exemption"), {"reason": "health"}),
        ("members:member-period-add", ("MEMBER", "suspension"), {"reason": "Kỷ luật"}),
        (
            "members:member-period-add",
            ("MEMBER", "attachment"),
            {"direction": "out", "other_unit": "Chi bộ Quân sự"},
        ),
        (
            "members:linked-add",
            ("CELL",),
            {"full_name": "Vũ Thị Cư Trú", "home_unit": "Chi bộ Trường THCS"},
        ),
        ("members:supervision-add", ("CELL2",), {"supervisor": "OFFICIAL"}),
        ("members:position-add", ("CELL",), {"member": "MEMBER", "role": "secretary"}),
    ],
)
def test_period_end_before_start_is_an_error_on_end(
    tree, persona_client, url_name, args, data
):
    # Arrange
    known = {
        "MEMBER": tree.member.pk,
        "CELL": tree.cell.pk,
        "CELL2": tree.cell2.pk,
        "OFFICIAL": tree.official.pk,
    }
    url = reverse(url_name, args=[known.get(arg, arg) for arg in args])
    post = {key: known.get(value, value) for key, value in data.items()}
    post.update(start="01/03/2026", end="01/02/2026")
    tables = (Exemption, Suspension, LinkedPerson, SupervisionAssignment, Position)
    before = [model.objects.count() for model in tables]

    # Act
    response = persona_client("committee").post(url, post)

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end"}
    html = response.content.decode()
    assert 'id="id_end_error"' in html
    assert 'name="end" value="01/02/2026"' in html
    assert [model.objects.count() for model in tables] == before


def test_member_period_end_closes_the_period(world, persona_client):
    # Arrange
    url = reverse(
        "members:member-period-end",
        args=[world.tree.member.pk, "exemption", world.exemption.pk],
    )

    # Act
    response = persona_client("secretary").post(url, {"end": "30/06/2026"})

    # Assert
    assert response.status_code == 302
    assert response["Location"] == world.tree.member.get_absolute_url()
    world.exemption.refresh_from_db()
    assert world.exemption.end == date(2026, 6, 30)


def test_member_deactivate_and_reactivate(tree, users, persona_client):
    # Arrange
    member = tree.others[0]
    client = persona_client("secretary")
    cell_url = reverse("members:org-detail", args=[tree.cell.pk])
    reason = "Chuyển sinh hoạt đi nơi khác"

    # Act: deactivate
    response = client.post(
        reverse("members:member-deactivate", args=[member.pk]),
        {"on": fmt(today()), "reason": reason},
    )

    # Assert
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    member.refresh_from_db()
    assert (member.is_active, member.deactivated_on, member.deactivation_reason) == (
        False,
        today(),
        reason,
    )
    assert events_of(member) == [(EventKind.DEACTIVATED, today(), reason, "secretary")]
    assert member.full_name not in member_list_names(get_html(client, cell_url))
    assert member_list_names(
        get_html(client, cell_url, data={"status": "inactive"})
    ) == [member.full_name]
    detail = get_html(english(client), member.get_absolute_url())
    assert '<span class="badge text-bg-secondary">Inactive</span>' in detail
    assert f"{fmt(today())} — {reason}" in detail

    # Act: reactivate
    response = client.post(reverse("members:member-reactivate", args=[member.pk]))

    # Assert
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.is_active, member.deactivated_on, member.deactivation_reason) == (
        True,
        None,
        "",
    )
    assert [kind for kind, *_rest in events_of(member)] == [
        EventKind.DEACTIVATED,
        EventKind.REACTIVATED,
    ]
    assert member.full_name in member_list_names(get_html(client, cell_url))
    assert (
        member_list_names(get_html(client, cell_url, data={"status": "inactive"})) == []
    )


def test_member_deactivate_ends_current_offices(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.secretary.pk])

    # Act
    response = persona_client("committee").post(
        url, {"on": fmt(today()), "reason": "Nghỉ hưu"}
    )

    # Assert
    assert response.status_code == 302
    assert Position.objects.get(member=tree.secretary).end == today()


def test_member_deactivate_twice_is_refused(world, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[world.inactive.pk])

    # Act
    response = english(persona_client("secretary")).post(
        url, {"on": fmt(today()), "reason": "Lần hai"}
    )

    # Assert
    assert response.status_code == 200
    assert "This member is already inactive." in response.content.decode()
    assert world.inactive.events.count() == 0


def test_member_deactivate_requires_date_and_reason(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.member.pk])

    # Act
    response = persona_client("secretary").post(url, {"on": "31/02/2026", "reason": ""})

    # Assert
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"on", "reason"}
    assert 'name="on" value="31/02/2026"' in response.content.decode()
    tree.member.refresh_from_db()
    assert tree.member.is_active


def test_member_deactivate_before_an_office_begins(tree, persona_client):
    # Arrange: an office from June, a deactivation dated January (no 500)
    PositionFactory(
        member=tree.member,
        organization=tree.cell,
        role=PositionRole.COMMITTEE_MEMBER,
        start=date(2026, 6, 1),
    )
    url = reverse("members:member-deactivate", args=[tree.member.pk])

    # Act
    response = persona_client("secretary").post(
        url, {"on": "01/01/2026", "reason": "Chuyển đi"}
    )

    # Assert
    assert response.status_code == 302
    tree.member.refresh_from_db()
    assert (tree.member.is_active, tree.member.deactivated_on) == (
        False,
        date(2026, 1, 1),
    )
    # the office never took effect, so it is gone rather than ending before it began
    assert not Position.objects.filter(member=tree.member).exists()


def test_member_deactivate_ends_supervision_assignments(tree, persona_client):
    # Arrange
    url = reverse("members:member-deactivate", args=[tree.supervisor.pk])
    yesterday = today() - timedelta(days=1)

    # Act
    response = persona_client("committee").post(
        url, {"on": fmt(yesterday), "reason": "Chuyển công tác"}
    )

    # Assert
    assert response.status_code == 302
    assignment = SupervisionAssignment.objects.get(supervisor=tree.supervisor)
    assert assignment.end == yesterday
    cell_html = get_html(persona_client("secretary"), tree.cell.get_absolute_url())
    assert "Hoàng Văn Theo Dõi" not in section(cell_html, "supervisors-heading")
    assert persona_client("supervisor").get(
        tree.cell.get_absolute_url()
    ).status_code == (404)


def test_supervision_add_assigns_and_shows_on_cell_and_home(tree, persona_client):
    # Arrange
    url = reverse("members:supervision-add", args=[tree.cell.pk])
    data = {"supervisor": tree.official.pk, "start": fmt(today()), "end": ""}

    # Act
    response = persona_client("committee").post(url, data)

    # Assert
    assert response.status_code == 302
    assert response["Location"] == tree.cell.get_absolute_url()
    assignment = SupervisionAssignment.objects.get(supervisor=tree.official)
    assert (assignment.cell, assignment.start, assignment.end) == (
        tree.cell,
        today(),
        None,
    )
    cell_html = get_html(persona_client("member"), tree.cell.get_absolute_url())
    supervisors = section(cell_html, "supervisors-heading")
    assert "Phạm Văn Cấp Ủy" in supervisors
    assert "Hoàng Văn Theo Dõi" in supervisors
    home = get_html(persona_client("committee"), reverse("home"))
    assert f'<a href="{tree.cell.get_absolute_url()}">Chi bộ Khối phố 5</a>' in (
        section(home, "supervised")
    )


def test_supervision_add_refuses_overlap_and_outsiders(tree, persona_client):
    # Arrange
    url = reverse("members:supervision-add", args=[tree.cell.pk])
    client = english(persona_client("committee"))

    # Act
    overlap = client.post(
        url, {"supervisor": tree.supervisor.pk, "start": fmt(today())}
    )
    outsider = client.post(url, {"supervisor": tree.outsider.pk, "start": fmt(today())})

    # Assert
    assert overlap.status_code == 200
    assert "This period overlaps another one already recorded." in (
        overlap.content.decode()
    )
    assert outsider.status_code == 200
    assert set(outsider.context["form"].errors) == {"supervisor"}
    assert tree.outsider.full_name not in outsider.content.decode()
    assert SupervisionAssignment.objects.count() == 1


def test_supervision_end_closes_assignment(world, persona_client):
    # Arrange
    url = reverse("members:supervision-end", args=[world.assignment.pk])

    # Act
    yesterday = today() - timedelta(days=1)
    response = persona_client("committee").post(url, {"end": fmt(yesterday)})

    # Assert
    assert response.status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.end == yesterday
    html = get_html(persona_client("committee"), world.tree.cell.get_absolute_url())
    assert "Hoàng Văn Theo Dõi" not in section(html, "supervisors-heading")
    # the supervisor no longer reaches the cell
    cell_url = world.tree.cell.get_absolute_url()
    assert persona_client("supervisor").get(cell_url).status_code == 404


def test_linked_add_records_resident(tree, persona_client):
    # Arrange
    url = reverse("members:linked-add", args=[tree.cell.pk])
    data = {
        "full_name": "Vũ Thị Cư Trú",
        "home_unit": "Chi bộ Trường THCS",
        "address": "Số 3 ngõ 5",
        "phone": "0912 000 111",
        "start": "01/01/2026",
        "end": "",
    }

    # Act
    response = persona_client("secretary").post(url, data)

    # Assert
    assert response.status_code == 302
    person = LinkedPerson.objects.get()
    assert (
        person.residence_cell,
        person.full_name,
        person.home_unit,
        person.start,
    ) == (
        tree.cell,
        "Vũ Thị Cư Trú",
        "Chi bộ Trường THCS",
        date(2026, 1, 1),
    )
    html = get_html(persona_client("member"), tree.cell.get_absolute_url())
    assert "Vũ Thị Cư Trú" in section(html, "linked-heading")


def test_cell_page_lists_only_current_linked_residents(tree, persona_client):
    # Arrange
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Vũ Thị Cư Trú",
        home_unit="Chi bộ Trường THCS",
        start=date(2025, 1, 1),
    )
    LinkedPerson.objects.create(
        residence_cell=tree.cell,
        full_name="Lý Văn Đã Chuyển",
        home_unit="Chi bộ Bệnh viện",
        start=date(2023, 1, 1),
        end=date(2024, 12, 31),
    )

    # Act
    html = get_html(persona_client("secretary"), tree.cell.get_absolute_url())

    # Assert
    linked = section(html, "linked-heading")
    assert "Vũ Thị Cư Trú" in linked
    assert "Lý Văn Đã Chuyển" not in linked


def test_import_upload_preview_and_commit(tree, persona_client):
    # Arrange
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = persona_client("secretary")
    upload = SimpleUploadedFile(
        "dang-vien.csv", IMPORT_CSV.encode(), content_type="text/csv"
    )

    # Act
    staged = client.post(
        reverse("members:import-upload", args=[tree.cell.pk]), {"file": upload}
    )
    batch = ImportBatch.objects.get()
    preview_url = reverse("members:import-preview", args=[tree.cell.pk, batch.pk])
    preview = get_html(client, preview_url)
    committed = client.post(preview_url)

    # Assert
    assert staged.status_code == 302
    assert staged["Location"] == preview_url
    rows = between(preview, 'id="import-rows"', "</table>")
    assert "<td>2</td><td>Nguyễn Văn Nhập</td><td>Chi bộ Khối phố 5</td>" in rows
    assert committed.status_code == 302
    member = Member.objects.get(full_name="Nguyễn Văn Nhập")
    assert (member.organization, member.status, member.birth_date) == (
        tree.cell,
        MemberStatus.PROBATIONARY,
        date(1995, 9, 2),
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED


# --- 4. query counts constant in data size --------------------------------------------


def grow_cell(cell, n, group=None):
    """n more members in `cell`, each with an office, an exemption and due probation."""
    for index in range(n):
        member = probationary(
            cell,
            f"Thành Viên {index:02d}",
            due_admission_date(),
            party_group=group,
        )
        PositionFactory(
            member=member,
            organization=cell,
            role=PositionRole.COMMITTEE_MEMBER,
            start=date(2025, 1, 1),
        )
        Exemption.objects.create(member=member, reason="health", start=date(2025, 1, 1))
        LinkedPerson.objects.create(
            residence_cell=cell,
            full_name=f"Cư Trú {index:02d}",
            home_unit="Chi bộ khác",
            start=date(2025, 1, 1),
        )


def grow_ward(tree, n, supervisor=None):
    """n more cells under the ward, each with two members and an official."""
    for index in range(n):
        cell = OrganizationFactory(name=f"Chi bộ Thêm {index:02d}", parent=tree.ward)
        first, _second = MemberFactory.create_batch(2, organization=cell)
        PositionFactory(
            member=first, organization=tree.ward, role=PositionRole.DEPUTY_SECRETARY
        )
        OrganizationFactory(
            name=f"Tổ Thêm {index:02d}", kind=OrgKind.PARTY_GROUP, parent=cell
        )
        if supervisor is not None:
            SupervisionFactory(supervisor=supervisor, cell=cell)


def grow_roots(n):
    for index in range(n):
        OrganizationFactory(
            name=f"Đảng bộ Tỉnh Thêm {index}", kind=OrgKind.PROVINCE_COMMITTEE
        )


HOME_GROWTH = {
    "secretary": lambda tree, n: grow_cell(tree.cell, n),
    "member": lambda tree, n: grow_cell(tree.cell, n),
    "committee": lambda tree, n: grow_ward(tree, n),
    "supervisor": lambda tree, n: grow_ward(tree, n, supervisor=tree.supervisor),
    "outsider": lambda tree, n: grow_cell(tree.other_cell, n),
    "admin": lambda tree, n: grow_roots(n),
}
# + 3 for every persona with a member record: evaluations' "my tasks" (assigned to
# me, open in my cell) and "my monthly rating" panel.
HOME_QUERIES = {
    "secretary": 16,
    "member": 13,
    "committee": 16,
    "supervisor": 13,
    "outsider": 13,
    "admin": 3,
}
SIZES = {"small": (1, 1), "large": (30, 5)}  # (members, nodes or periods)


def _grow_home(persona, tree, size):
    members, nodes = SIZES[size]
    by_members = persona in {"secretary", "member", "outsider"}
    HOME_GROWTH[persona](tree, members if by_members else nodes)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", HOME_QUERIES)
def test_home_queries_constant(
    tree, persona_client, django_assert_num_queries, persona, size
):
    # Arrange
    _grow_home(persona, tree, size)
    client = persona_client(persona)

    # Act / Assert
    with django_assert_num_queries(HOME_QUERIES[persona]):
        response = client.get(reverse("home"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["secretary", "committee"])
def test_home_queries_equal_between_sizes(tree, persona_client, persona):
    # Arrange
    client = persona_client(persona)
    _grow_home(persona, tree, "small")
    small = count_queries(client, reverse("home"))

    # Act
    _grow_home(persona, tree, "large")
    large = count_queries(client, reverse("home"))

    # Assert
    assert small == large == HOME_QUERIES[persona]


TREE_QUERIES = {"committee": 7, "admin": 3}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("persona", TREE_QUERIES)
def test_tree_page_queries_constant(
    tree, persona_client, django_assert_num_queries, persona, size
):
    # Arrange
    grow_ward(tree, SIZES[size][1])
    client = persona_client(persona)

    # Act / Assert
    with django_assert_num_queries(TREE_QUERIES[persona]):
        response = client.get(reverse("members:org-tree"))
    assert response.status_code == 200


CELL_QUERIES = {False: 16, True: 15}  # htmx: no page chrome


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("htmx", [False, True])
def test_cell_page_queries_constant(
    tree, group, persona_client, django_assert_num_queries, size, htmx
):
    # Arrange
    grow_cell(tree.cell, SIZES[size][0], group=group)
    for index in range(SIZES[size][1]):
        SupervisionFactory(supervisor=tree.others[index % 3], cell=tree.cell)
    client = persona_client("secretary")
    headers = {"HX-Request": "true", "HX-Target": "member-list"} if htmx else {}

    # Act / Assert
    with django_assert_num_queries(CELL_QUERIES[htmx]):
        response = client.get(
            reverse("members:org-detail", args=[tree.cell.pk]), headers=headers
        )
    assert response.status_code == 200
    assert len(member_list_names(response.content.decode())) == 5 + SIZES[size][0]


WARD_QUERIES = 11


@pytest.mark.parametrize("size", SIZES)
def test_ward_page_queries_constant(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange
    grow_ward(tree, SIZES[size][1])
    client = persona_client("committee")

    # Act / Assert
    with django_assert_num_queries(WARD_QUERIES):
        response = client.get(reverse("members:org-detail", args=[tree.ward.pk]))
    assert response.status_code == 200


MEMBER_DETAIL_QUERIES = 14


def grow_history(member, cell, n, by):
    """n closed periods of each kind and an office, each recorded by `by`."""
    for index in range(n):
        start = date(2010 + index, 1, 1)
        end = date(2010 + index, 6, 30)
        services.save_period(
            instance=Exemption(member=member, reason="health", start=start, end=end),
            by=by,
        )
        services.save_period(
            instance=Suspension(member=member, reason="Kỷ luật", start=start, end=end),
            by=by,
        )
        services.save_period(
            instance=Position(
                member=member,
                organization=cell,
                role=PositionRole.COMMITTEE_MEMBER,
                start=start,
                end=end,
            ),
            by=by,
            overlap_extra={"organization": cell, "role": "committee_member"},
        )
        SupervisionFactory(supervisor=member, cell=cell, start=start, end=end)


@pytest.mark.parametrize("size", SIZES)
def test_member_detail_queries_constant(
    tree, users, persona_client, django_assert_num_queries, size
):
    # Arrange: every event names its recorder (a user linked to a member)
    grow_history(tree.member, tree.cell, SIZES[size][1], users.secretary)
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(MEMBER_DETAIL_QUERIES):
        response = client.get(reverse("members:member-detail", args=[tree.member.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_member_detail_queries_constant_without_recorders(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange: the same history recorded by nobody (e.g. an import by a script)
    grow_history(tree.member, tree.cell, SIZES[size][1], None)
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(MEMBER_DETAIL_QUERIES):
        response = client.get(reverse("members:member-detail", args=[tree.member.pk]))
    assert response.status_code == 200


RULES_QUERIES = 9


@pytest.mark.parametrize("size", SIZES)
def test_rules_page_queries_constant(
    tree, persona_client, django_assert_num_queries, size
):
    # Arrange: values on every level of the path, several dates each
    keys = ["meeting_day", "notice_days", "document_days", "report_deadline_day"]
    for index in range(SIZES[size][1]):
        for org in (tree.province, tree.ward, tree.cell):
            services.set_rule(
                org=org,
                key=keys[index % len(keys)],
                value=2 + index % 5,
                valid_from=date(2020 + index, 1, 1),
            )
    client = persona_client("secretary")

    # Act / Assert
    with django_assert_num_queries(RULES_QUERIES):
        response = client.get(reverse("members:org-rules", args=[tree.cell.pk]))
    assert response.status_code == 200


# --- 5. export ------------------------------------------------------------------------


def read_xlsx(content):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_export_members_of_cell(tree, persona_client):
    # Arrange
    probationary(tree.cell, "Bùi Thị Dự Bị", date(2026, 2, 1))
    MemberFactory(organization=tree.cell, full_name="Đinh Văn Nghỉ", is_active=False)
    url = reverse("members:export-members", args=[tree.cell.pk])

    # Act
    response = persona_client("secretary").get(url)

    # Assert
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="dang-vien-{tree.cell.pk}-{today():%Y%m%d}.xlsx"'
    )
    rows = read_xlsx(response.content)
    header = [column.header for column in COLUMNS]
    assert rows[0] == header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [(r["Họ và tên"], r["Trạng thái"]) for r in records] == sorted(
        [
            ("Bùi Thị Dự Bị", "Dự bị"),
            ("Lê Văn Bí Thư", "Chính thức"),
            ("Trần Thị Đảng Viên", "Chính thức"),
            *((m.full_name, "Chính thức") for m in tree.others),
        ]
    )
    secretary = next(r for r in records if r["Họ và tên"] == "Lê Văn Bí Thư")
    assert (
        secretary["Ngày sinh"],
        secretary["Ngày kết nạp"],
        secretary["Ngày công nhận chính thức"],
        secretary["Chi bộ"],
    ) == ("17/05/1970", "03/03/2000", "03/03/2001", "Chi bộ Khối phố 5")


def test_export_members_of_ward_covers_its_cells(tree, persona_client):
    # Act
    response = persona_client("committee").get(
        reverse("members:export-members", args=[tree.ward.pk])
    )

    # Assert
    assert response.status_code == 200
    rows = read_xlsx(response.content)[1:]
    cells = [row[-1] for row in rows]
    assert len(rows) == 7
    assert sorted(set(cells)) == ["Chi bộ Khối phố 2", "Chi bộ Khối phố 5"]
    assert tree.outsider.full_name not in [row[0] for row in rows]
