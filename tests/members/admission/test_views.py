"""Pages of the admission pipeline: who may open them (allowed / 403 / 404), what
they show, what their forms do, and constant query counts."""

from datetime import date

import pytest
from django.urls import reverse

from members.admission import services
from members.models import Candidate, MemberStatus
from tests.factories.admission import admit, candidate, vote
from tests.factories.files import pdf_bytes, upload
from tests.factories.members import probationary
from tests.factories.times import at
from tests.support.pages import count_queries, english

pytestmark = pytest.mark.usefixtures("admission_clock")


def _admitted(tree, name="Nguyễn Thị Ưu Tú", *, ceremony=date(2025, 3, 20)):
    person = candidate(tree.cell, tree, name)
    member = admit(tree, person, mentor=tree.others[0])
    return person, services.record_ceremony(member=member, on=ceremony, by=None)


# --- access --------------------------------------------------------------------------

PAGES = [
    ("members:pipeline", "cell"),
    ("members:candidate-create", "cell"),
    ("members:candidate-detail", "candidate"),
    ("members:candidate-edit", "candidate"),
    ("members:probation", "member"),
]


@pytest.mark.parametrize(("name", "target"), PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretary", 200),
        ("committee", 200),
        ("member", 403),
        ("supervisor", 403),
        ("outsider", 404),
    ],
)
def test_pipeline_pages_access(tree, persona_client, name, target, persona, status):
    person = candidate(tree.cell, tree)
    objects = {"cell": tree.cell, "candidate": person, "member": tree.others[1]}

    response = persona_client(persona).get(reverse(name, args=[objects[target].pk]))

    assert response.status_code == status
    if status == 200:
        assert "Chi bộ Khối phố 5" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("member", 403), ("supervisor", 403), ("outsider", 404)]
)
def test_pipeline_posts_refused_without_the_role(tree, persona_client, persona, status):
    person = candidate(tree.cell, tree)
    client = persona_client(persona)

    responses = [
        client.post(reverse("members:candidate-decision", args=[person.pk]), {}),
        client.post(reverse("members:candidate-withdraw", args=[person.pk]), {}),
        client.post(reverse("members:ceremony", args=[tree.others[1].pk]), {}),
        client.post(
            reverse("members:recognition-decision", args=[tree.others[1].pk]), {}
        ),
    ]

    assert [r.status_code for r in responses] == [status] * 4
    person.refresh_from_db()
    assert person.state == Candidate.State.OPEN


def test_candidate_document_download_only_for_the_cell_managers(tree, persona_client):
    person = candidate(tree.cell, tree)
    document = services.add_candidate_document(
        candidate=person,
        upload=upload("ly-lich.pdf", pdf_bytes()),
        title="Lý lịch",
        by=None,
    )
    url = reverse("members:candidate-document-download", args=[document.pk])

    allowed = persona_client("secretary").get(url)
    body = b"".join(allowed.streaming_content)

    assert body == pdf_bytes()
    assert allowed["Content-Type"] == "application/pdf"
    assert persona_client("member").get(url).status_code == 403
    assert persona_client("outsider").get(url).status_code == 404


# --- content and forms ---------------------------------------------------------------


def test_propose_a_candidate_through_the_form(tree, persona_client):
    client = english(persona_client("secretary"))

    response = client.post(
        reverse("members:candidate-create", args=[tree.cell.pk]),
        {
            "full_name": "Võ Minh Tuấn",
            "workplace": "Công ty Điện lực",
            "proposed_on": "05/01/2026",
            "certificate_date": "20/01/2026",
            "certificate_issuer": "Trung tâm Chính trị",
            "introducer_1": tree.secretary.pk,
            "introducer_2": tree.member.pk,
        },
    )

    person = Candidate.objects.get(full_name="Võ Minh Tuấn")
    assert response.status_code == 302
    assert response["Location"] == reverse("members:candidate-detail", args=[person.pk])
    page = client.get(response["Location"]).content.decode()
    assert "20/01/2026 — Trung tâm Chính trị" in page
    assert "the party group's opinion" in page
    assert "the mass organisation's opinion" in page
    assert "two introducing official members" not in page


def test_decision_form_shows_why_it_is_refused(tree, persona_client):
    person = candidate(tree.cell, tree)
    client = english(persona_client("secretary"))

    response = client.post(
        reverse("members:candidate-decision", args=[person.pk]),
        {"number": "1-QĐ/ĐU", "decided_on": "10/03/2025", "issuer": "Đảng ủy"},
    )

    assert response.status_code == 422
    assert (
        "The cell&#x27;s vote has not passed yet (two thirds of N, in adopted minutes)."
        in response.content.decode()
    )
    person.refresh_from_db()
    assert person.member is None


def test_decision_form_admits_and_opens_the_probation(tree, persona_client):
    person = candidate(tree.cell, tree)
    vote(
        tree.cell,
        starts_at=at(2025, 3, 3, 19, 30),
        yes=4,
        candidate=person,
        chair=tree.secretary,
        taker=tree.member,
    )
    client = english(persona_client("committee"))

    response = client.post(
        reverse("members:candidate-decision", args=[person.pk]),
        {
            "number": "125-QĐ/ĐU",
            "decided_on": "10/03/2025",
            "issuer": "Đảng ủy phường",
            "mentor": tree.others[0].pk,
        },
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:probation", args=[person.member.pk])
    assert person.member.status == MemberStatus.PROBATIONARY
    page = client.get(response["Location"]).content.decode()
    assert "125-QĐ/ĐU" in page
    # no ceremony recorded and its 30 working days are long over (clock 15/06/2026)
    assert "Admission ceremony due by" in page
    assert "overdue" in page
    assert "Record the ceremony" in page


def test_member_page_shows_the_path_with_links_to_both_minutes(tree, persona_client):
    _person, member = _admitted(tree)
    services.save_recognition_file(
        member=member,
        by=None,
        self_review="Tự kiểm điểm",
        self_review_date=date(2026, 3, 1),
        mentor_opinion="Tốt",
        mentor_opinion_date=date(2026, 3, 2),
        group_opinion="Đề nghị",
        group_opinion_date=date(2026, 3, 3),
    )
    recognition_meeting, _vote = vote(
        tree.cell,
        starts_at=at(2026, 3, 25, 19, 30),
        yes=5,
        about_member=member,
        chair=tree.secretary,
        taker=tree.member,
    )
    services.record_recognition_decision(
        member=member,
        number="310-QĐ/ĐU",
        decided_on=date(2026, 4, 1),
        issuer="Đảng ủy phường",
        by=None,
    )
    admission_meeting = (
        _vote.minutes.meeting.__class__.objects.filter(cell=tree.cell)
        .order_by("starts_at")
        .first()
    )

    # an ordinary member of the cell reads the member's page too
    page = english(persona_client("member")).get(member.get_absolute_url())
    html = page.content.decode()

    assert page.status_code == 200
    assert "Path to membership" in html
    assert f'href="{admission_meeting.get_absolute_url()}"' in html
    assert f'href="{recognition_meeting.get_absolute_url()}"' in html
    assert (
        "03/03/2025</strong> — Cell&#x27;s admission vote: 4 in favour of N = 5" in html
    )
    assert (
        "25/03/2026</strong> — Cell&#x27;s recognition vote: 5 in favour of N = 5"
        in html
    )
    assert "01/04/2026</strong> — Recognition decision: 310-QĐ/ĐU" in html
    assert "20/03/2026</strong> — Official member from" in html


def test_recognition_overdue_alert_replaces_the_due_notice(tree, persona_client):
    _admitted(tree)

    html = (
        english(persona_client("secretary"))
        .get(tree.cell.get_absolute_url())
        .content.decode()
    )

    assert (
        "Nguyễn Thị Ưu Tú: the vote on official recognition was due by 06/05/2026"
        in html
    )
    assert "Nguyễn Thị Ưu Tú: probation ends" not in html


# --- query counts --------------------------------------------------------------------


def _grow(tree, n):
    for index in range(n):
        _admitted(tree, f"Đảng Viên Mới {index:02d}")
        person = candidate(tree.cell, tree, f"Ưu Tú {index:02d}")
        services.add_candidate_document(
            candidate=person,
            upload=upload(f"{index}.pdf", pdf_bytes()),
            title="",
            by=None,
        )


PIPELINE_QUERIES = 10


@pytest.mark.parametrize("n", [1, 4])
def test_pipeline_page_queries_constant(
    tree, persona_client, django_assert_num_queries, n
):
    _grow(tree, n)
    client = persona_client("secretary")
    url = reverse("members:pipeline", args=[tree.cell.pk])

    with django_assert_num_queries(PIPELINE_QUERIES):
        response = client.get(url)

    html = response.content.decode()
    assert html.count('href="/candidates/') == 2 * n  # open files and closed ones
    assert "Đảng Viên Mới 00" in html


@pytest.mark.parametrize("n", [1, 4])
def test_candidate_and_probation_pages_queries_constant(tree, persona_client, n):
    _grow(tree, n)
    person = Candidate.objects.filter(state=Candidate.State.ADMITTED).first()
    client = persona_client("secretary")

    counts = [
        count_queries(client, reverse("members:candidate-detail", args=[person.pk])),
        count_queries(client, reverse("members:probation", args=[person.member_id])),
    ]

    assert counts == [CANDIDATE_QUERIES, PROBATION_QUERIES]


CANDIDATE_QUERIES = 9
PROBATION_QUERIES = 13


def test_recognition_step_for_a_member_recorded_before_the_pipeline(
    tree, persona_client
):
    # a probationary member entered by hand (no candidate file, no probation row)

    member = probationary(tree.cell, "Đỗ Văn Cũ")  # ceremony 10/01/2026
    client = english(persona_client("secretary"))
    url = reverse("members:probation", args=[member.pk])

    page = client.get(url).content.decode()
    saved = client.post(
        url,
        {
            "self_review": "Tự kiểm điểm",
            "self_review_date": "01/06/2026",
            "mentor_opinion": "",
            "group_opinion": "",
        },
    )

    assert "10/01/2026</strong> — Admission ceremony" in page
    assert "10/01/2027</strong> — End of the 12 months&#x27; probation" in page
    assert "No mentor assigned yet." in page
    assert saved.status_code == 302
    member.probation.refresh_from_db()
    assert member.probation.self_review == "Tự kiểm điểm"
    after = client.get(url).content.decode()
    assert "a mentor" in after
    assert "the member's self-review" not in after
