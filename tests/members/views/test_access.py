"""Access to every members view by every persona: allowed, 403, 404, login; a
denied POST writes nothing.

Content assertions use data (names, numbers), URLs and element ids; where a label is
checked the client asks for English (`english()`), never Vietnamese.
"""

import pytest
from django.urls import reverse

from members.models import (
    Exemption,
    ImportBatch,
    Member,
    MemberEvent,
    Position,
    RuleSetting,
    SupervisionAssignment,
)
from tests.factories.files import XLSX
from tests.factories.times import today
from tests.members.views.expected import DONE, IMPORT_CSV, LOGIN, PERSONAS
from tests.support.pages import fmt

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
        "Quy định địa phương (do từng tỉnh, cấp ủy quy định)",
        (200, 200, 200, 200, 404, 200),
    ),
    (
        "org-rules-ward",
        "GET",
        lambda w: reverse("members:org-rules", args=[w.tree.ward.pk]),
        "Quy định địa phương (do từng tỉnh, cấp ủy quy định)",
        (404, 404, 200, 404, 404, 200),
    ),
    (
        "org-rule-clear-cell",
        "POST",
        lambda w: reverse(
            "members:org-rule-clear", args=[w.tree.cell.pk, "meeting_time"]
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
