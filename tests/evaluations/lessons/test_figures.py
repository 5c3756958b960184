"""The model-meeting figures of a crafted subtree (seed 003's yardsticks), and who
may open the lesson pages."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations.lessons import selectors, services
from evaluations.models import SessionKind
from meetings.model_meetings import services as model_services
from members.models import CellType, PositionRole
from tests.factories import MemberFactory, OrganizationFactory, PositionFactory
from tests.factories.meetings import start
from tests.factories.members import user_for
from tests.factories.times import at


def _cell(ward, name, cell_type, *, deputy=False):
    cell = OrganizationFactory(name=name, parent=ward, cell_type=cell_type)
    secretary = MemberFactory(organization=cell, full_name=f"Bí thư {name}")
    PositionFactory(member=secretary, organization=cell, role=PositionRole.SECRETARY)
    people = [secretary]
    if deputy:
        deputy = MemberFactory(organization=cell, full_name=f"Phó bí thư {name}")
        PositionFactory(
            member=deputy, organization=cell, role=PositionRole.DEPUTY_SECRETARY
        )
        people.append(deputy)
    return cell, people


def _invite_hold(entry, present, official):
    model_services.generate_invitations(
        model_meeting=entry, committee_member_ids=[official.pk]
    )
    start(entry.meeting)
    ids = entry.invitations.filter(member__in=present).values_list("pk", flat=True)
    model_services.record_invitee_attendance(model_meeting=entry, present_ids=ids)
    return {i.member_id: i for i in entry.invitations.all()}


@pytest.fixture
def subtree(tree, clock):
    clock(at(2026, 10, 20, 9))
    u1, _ = _cell(tree.ward, "Tổ dân phố 1", CellType.URBAN)
    u2, (u2_sec, u2_dep) = _cell(tree.ward, "Tổ dân phố 2", CellType.URBAN, deputy=True)
    _u3, (u3_sec,) = _cell(tree.ward, "Tổ dân phố 3", CellType.URBAN)
    r1, _ = _cell(tree.ward, "Thôn 1", CellType.RURAL)
    _r2, (r2_sec,) = _cell(tree.ward, "Thôn 2", CellType.RURAL)
    plan = {"committee": tree.ward, "year": 2026, "month": 11, "by": None}
    urban = model_services.plan_model_meeting(cell=u1, topic="Đô thị", **plan)
    rural = model_services.plan_model_meeting(cell=r1, topic="Nông thôn", **plan)
    # Another committee's model meeting, outside the ward: never counted.
    bloc_cell, _ = _cell(tree.bloc, "Chi bộ Khoa Ngoại", CellType.PUBLIC_SERVICE)
    bloc_official = MemberFactory(organization=bloc_cell)
    PositionFactory(
        member=bloc_official, organization=tree.bloc, role=PositionRole.COMMITTEE_MEMBER
    )
    model_services.plan_model_meeting(
        committee=tree.bloc, year=2026, month=11, cell=bloc_cell, topic="Y tế", by=None
    )
    clock(at(2026, 11, 3, 10))
    urban_inv = _invite_hold(urban, [u2_sec, u3_sec, tree.official], tree.official)
    rural_inv = _invite_hold(rural, [r2_sec], tree.official)
    on_site = [
        services.open_session(
            committee=tree.ward,
            kind=SessionKind.ON_SITE,
            held_on=date(2026, 11, 3),
            chair=tree.official,
            model_meetings=[entry],
        )
        for entry in (urban, rural)
    ]
    extended = services.open_session(
        committee=tree.ward,
        kind=SessionKind.EXTENDED,
        held_on=date(2026, 11, 20),
        chair=tree.official,
        model_meetings=[urban, rural],
    )
    services.record_feedback(
        session=on_site[0],
        invitation=urban_inv[u2_sec.pk],
        worked="Tốt",
        will_adopt="Bài học một\n\nBài học hai",
        score=85,
    )
    feedback = services.record_feedback(
        session=on_site[1],
        invitation=rural_inv[r2_sec.pk],
        worked="Tốt",
        will_adopt="Bài học ba",
    )
    services.mark_promise_applied(promise=feedback.promises.get(), note="Đã làm")
    return {
        "urban": urban,
        "rural": rural,
        "on_site": on_site,
        "extended": extended,
        "u2": u2,
        "u2_sec": u2_sec,
        "u2_dep": u2_dep,
        "invitations": urban_inv,
    }


def test_lesson_figures_count_the_crafted_subtree(tree, subtree):
    figures = selectors.lesson_figures(tree.ward, 2026)

    assert figures["planned"] == 2
    assert figures["held"] == 2
    assert figures["types_held"] == 2
    assert [(r["cell_type"], r["planned"], r["held"]) for r in figures["by_type"]] == [
        ("rural", 1, 1),
        ("urban", 1, 1),
    ]
    assert (figures["on_site"], figures["extended"]) == (2, 1)
    # Tổ dân phố 2 and 3's secretaries, Thôn 2's; the deputy stayed away.
    assert figures["peers_attending"] == 3
    assert figures["committee_attending"] == 1  # at the urban one only
    assert (figures["promised"], figures["applied"]) == (3, 1)


def test_invitations_follow_the_cell_type(tree, subtree):
    invited = subtree["invitations"]

    names = sorted(i.member.full_name for i in invited.values())
    assert names == sorted(
        [
            "Bí thư Tổ dân phố 2",
            "Phó bí thư Tổ dân phố 2",
            "Bí thư Tổ dân phố 3",
            tree.secretary.full_name,  # Khối phố 5 is an urban cell too
            tree.official.full_name,
        ]
    )
    assert invited[subtree["u2_dep"].pk].attended is False
    assert invited[subtree["u2_dep"].pk].guest_id is None


def test_figures_page_shows_the_counts_in_constant_queries(
    client, tree, users, subtree, django_assert_num_queries
):
    client.force_login(users.committee)
    url = reverse("evaluations:lesson-dashboard", args=[tree.ward.pk]) + "?year=2026"
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)

    html = response.content.decode()
    assert '<dd class="col-sm-7" id="fig-on-site">2</dd>' in html
    assert '<dd class="col-sm-7" id="fig-lessons">1 / 3</dd>' in html


def test_lesson_pages_access(client, tree, users, subtree):
    session = subtree["on_site"][0]
    detail = reverse("evaluations:lesson-session", args=[session.pk])
    figures = reverse("evaluations:lesson-dashboard", args=[tree.ward.pk])
    conclude = reverse("evaluations:lesson-conclude", args=[session.pk])

    client.force_login(users.outsider)
    assert client.get(detail).status_code == 404
    assert client.get(figures).status_code == 404
    # The invited peer reads the session but is not its chair.
    client.force_login(user_for(subtree["u2_sec"]))
    response = client.get(detail)
    assert "Bài học một" in response.content.decode()
    assert client.post(conclude, {"conclusions": "x"}).status_code == 403
    # A plain member of a cell does not reach the ward.
    client.force_login(users.member)
    assert client.get(figures).status_code == 404
    client.force_login(users.committee)
    response = client.post(conclude, {"conclusions": "Kết luận", "lessons": "Một"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.lesson_lines == ["Một"]


def test_promise_is_applied_only_by_its_cell(client, tree, users, subtree):
    promise = subtree["on_site"][0].feedback.get().promises.first()
    url = reverse("evaluations:promise-apply", args=[promise.pk])

    client.force_login(users.outsider)
    assert client.post(url, {"note": "x"}).status_code == 404
    client.force_login(users.committee)  # reaches the cell, does not run it
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(user_for(subtree["u2_sec"]))
    assert client.post(url, {"note": "Đã áp dụng"}).status_code == 302
    promise.refresh_from_db()
    assert promise.applied_note == "Đã áp dụng"
    assert promise.cell == subtree["u2"]


def test_plan_page_shows_coverage_and_refuses_planning_without_role(
    client, tree, users, subtree
):
    url = reverse("meetings:model-plan", args=[tree.ward.pk]) + "?year=2026"
    client.force_login(users.committee)
    html = client.get(url).content.decode()
    assert "Tổ dân phố 1" in html
    assert 'data-cell-type="urban"' in html

    client.force_login(users.outsider)
    assert client.get(url).status_code == 404
    client.force_login(users.supervisor)  # reads cell 1 only, not the ward
    assert client.get(url).status_code == 404
    data = {"cell": subtree["u2"].pk, "month": 12, "topic": "x"}
    client.force_login(user_for(subtree["u2_sec"]))
    assert client.post(url, data).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_plan_and_sessions_pages_constant_queries(
    client, tree, users, clock, count, django_assert_num_queries
):
    clock(at(2026, 10, 20, 9))
    entries = []
    for n in range(count):
        cell, _ = _cell(tree.ward, f"Thôn {n}", CellType.RURAL)
        entries.append(
            model_services.plan_model_meeting(
                committee=tree.ward,
                year=2026,
                month=11,
                cell=cell,
                topic=f"Chủ đề {n}",
                by=None,
            )
        )
        model_services.generate_invitations(model_meeting=entries[-1])
    clock(at(2026, 11, 3, 10))
    for entry in entries:
        start(entry.meeting)
        services.open_session(
            committee=tree.ward,
            kind=SessionKind.ON_SITE,
            held_on=date(2026, 11, 3),
            chair=tree.official,
            model_meetings=[entry],
        )
    client.force_login(users.committee)
    plan = reverse("meetings:model-plan", args=[tree.ward.pk]) + "?year=2026"
    sessions = (
        reverse("evaluations:lesson-sessions", args=[tree.ward.pk]) + "?year=2026"
    )
    client.get(plan)
    with django_assert_num_queries(11):
        html = client.get(plan).content.decode()
    assert html.count("Chủ đề ") == count
    with django_assert_num_queries(13):
        html = client.get(sessions).content.decode()
    assert html.count('href="/evaluations/lessons/') == count
