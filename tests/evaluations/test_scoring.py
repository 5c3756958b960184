"""Meeting-quality scoring: each ◆ item's value from crafted meetings, the score
stored with its facts, rubric versions, the pages and their query counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from evaluations import selectors, services
from evaluations.facts import meeting_facts
from evaluations.models import QualityScore, Rubric, RubricChoice
from evaluations.rubrics import CHECKLIST_CODE, DEFAULT_CODE
from meetings import services as meeting_services
from meetings.models import Meeting
from tests.factories import MemberFactory, OrganizationFactory
from tests.factories.evaluations import (
    FULL_MANUAL_POINTS,
    close,
    october_and_november,
)
from tests.factories.meetings import attendance_rows, fill_minutes, held
from tests.factories.members import exempt
from tests.factories.times import at
from tests.support.pages import evaluation_url

pytestmark = pytest.mark.django_db


def crafted_cell(ward):
    """11 members: 1 exempt, 10 official."""
    cell = OrganizationFactory(name="Chi bộ thôn Đông", parent=ward)
    members = [MemberFactory(organization=cell) for _ in range(10)]
    exempt_member = exempt(cell, "Cụ Nguyễn Văn Miễn")
    return cell, members, exempt_member


def roll_call(meeting, members, *, present, spoke, unexcused=0):
    overrides = {}
    for index, member in enumerate(members):
        if index < present:
            overrides[member] = {"status": "present", "spoke": index < spoke}
        elif index < present + unexcused:
            overrides[member] = {"status": "absent_unexcused"}
        else:
            overrides[member] = {"status": "absent_excused", "reason": "Ốm"}
    meeting_services.record_attendance(
        meeting=meeting, rows=attendance_rows(meeting, overrides), by=None
    )


def auto_items(meeting):
    rubric = selectors.rubric_for_meeting(meeting)
    score = services.score_meeting(
        meeting=meeting, role="self", manual={}, rubric=rubric
    )
    return {key: Decimal(value) for key, value in score.points.items()}, score


def test_eleven_members_one_exempt_nine_present_five_spoke(tree):
    cell, members, _exempt = crafted_cell(tree.ward)
    meeting, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    roll_call(meeting, members, present=9, spoke=5)

    facts, _evidence = meeting_facts(meeting)
    assert (facts.present, facts.required, facts.unexcused) == (9, 10, 0)
    assert (facts.spoke, facts.attendees) == (5, 9)
    points, score = auto_items(meeting)
    assert points["attendance_rate"] == 4  # 9/10 = 90% -> 4
    assert points["speaking_share"] == 5  # 5/9 > 50% -> 5
    assert points["duration"] == 5  # 120 minutes
    assert points["absence_streak"] == 1  # nobody absent 4 times in a row
    assert points["task_results"] == 30  # no tasks last month
    assert score.facts["facts"]["present"] == 9
    assert score.rubric.code == DEFAULT_CODE


def test_unexcused_absence_drops_attendance_to_one(tree):
    cell, members, _ = crafted_cell(tree.ward)
    meeting, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    roll_call(meeting, members, present=9, spoke=4, unexcused=1)
    points, _ = auto_items(meeting)
    assert points["attendance_rate"] == 1
    assert points["speaking_share"] == 4  # 4/9 is 44% -> 4


@pytest.mark.parametrize(
    ("present", "spoke", "attendance", "speaking"),
    [(8, 4, 3, 5), (7, 2, 2, 3), (6, 1, 1, 2), (10, 5, 4, 4)],
)
def test_attendance_and_speaking_bands(tree, present, spoke, attendance, speaking):
    # 8/10 -> 3 and 4/8 = 50% -> 4? No: 4/8 is exactly half -> 4; adjust below.
    cell, members, _ = crafted_cell(tree.ward)
    meeting, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    roll_call(meeting, members, present=present, spoke=spoke)
    points, _ = auto_items(meeting)
    assert points["attendance_rate"] == attendance
    expected_speaking = {(8, 4): 4, (7, 2): 2, (6, 1): 2, (10, 5): 4}[(present, spoke)]
    assert points["speaking_share"] == expected_speaking


@pytest.mark.parametrize(
    ("minutes", "expected"), [(90, 5), (75, 4), (60, 3), (45, 2), (44, 1)]
)
def test_duration_points(tree, minutes, expected):
    meeting, _ = held(
        tree.cell,
        starts_at=at(2026, 11, 3),
        chair=tree.secretary,
        taker=tree.member,
        minutes_long=minutes,
    )
    points, _ = auto_items(meeting)
    assert points["duration"] == expected


def test_combined_meeting_needs_120_minutes(tree):
    meeting, _ = held(
        tree.cell,
        starts_at=at(2026, 11, 3),
        chair=tree.secretary,
        taker=tree.member,
        minutes_long=100,
        is_combined=True,
    )
    points, score = auto_items(meeting)
    assert points["duration"] == 3  # 20 short of 120
    assert "thematic_content" in points  # thematic content counts in a combined month
    assert score.maximum == Decimal("100.00")


def test_non_thematic_month_is_scaled_to_100(tree, meeting):
    _points, score = auto_items(meeting)
    assert "thematic_content" not in score.points
    assert score.maximum == Decimal("95.00")
    assert score.percent == (score.total * 100 / Decimal(95)).quantize(Decimal("0.01"))


def test_four_absences_in_a_row_loses_the_bonus(tree):
    cell, members, _ = crafted_cell(tree.ward)
    for month in (7, 8, 9, 10):
        meeting, _ = held(
            cell, starts_at=at(2026, month, 3), chair=members[0], taker=members[1]
        )
        roll_call(meeting, members, present=9, spoke=5)  # members[9] absent each time
        close(meeting)
    november, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    facts, evidence = meeting_facts(november)
    assert facts.longest_absence == 4
    assert evidence["absence_names"] == [members[9].full_name]
    points, _ = auto_items(november)
    assert points["absence_streak"] == 0


def test_three_absences_in_a_row_keeps_the_bonus(tree):
    cell, members, _ = crafted_cell(tree.ward)
    for month in (8, 9, 10):
        meeting, _ = held(
            cell, starts_at=at(2026, month, 3), chair=members[0], taker=members[1]
        )
        roll_call(meeting, members, present=9, spoke=5)
        close(meeting)
    november, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    points, _ = auto_items(november)  # 3 in a row, then present in November
    assert points["absence_streak"] == 1


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (("done_on_time", "exceeded"), 30),
        (("done_late", "not_done"), 15),  # 1 of 2 = 50%
        (("not_done", "not_done"), 10),
        (("done_on_time", ""), 15),  # a task not reviewed counts as not done
    ],
)
def test_task_results_from_last_months_tasks(tree, outcomes, expected):
    _october, november, first, second = october_and_november(tree)
    review = {
        t.pk: (o, "") for t, o in zip((first, second), outcomes, strict=True) if o
    }
    services.review_tasks(meeting=november, outcomes=review)
    points, score = auto_items(november)
    assert points["task_results"] == expected
    assert score.facts["facts"]["tasks_total"] == 2


def test_task_results_count_only_last_months_tasks(tree):
    """Five tasks due by 3/11 (4 done, 1 left unreviewed) and one due 31/12: the
    one not yet due is left out, so 4 of 5 -> 27 points, not 4 of 6 -> 20 (§6)."""
    october, _ = held(
        tree.cell, starts_at=at(2026, 10, 3, 8), chair=tree.secretary, taker=tree.member
    )
    due = [
        services.assign_task(
            meeting=october,
            text=f"Việc {n}",
            deadline=date(2026, 10, 20 + n),
            assignees=[tree.member],
        )
        for n in range(5)
    ]
    later = services.assign_task(
        meeting=october,
        text="Tổng kết năm",
        deadline=date(2026, 12, 31),
        assignees=[tree.member],
    )
    close(october)
    november, _ = held(
        tree.cell, starts_at=at(2026, 11, 3, 8), chair=tree.secretary, taker=tree.member
    )
    services.review_tasks(
        meeting=november, outcomes={t.pk: ("done_on_time", "") for t in due[:4]}
    )
    points, score = auto_items(november)
    assert (
        score.facts["facts"]["tasks_done"],
        score.facts["facts"]["tasks_total"],
    ) == (
        4,
        5,
    )
    assert points["task_results"] == 27
    assert later.pk not in {t.pk for t in due}


def test_preparation_and_closing_items_from_data(tree):
    committee, _ = held(
        tree.cell,
        starts_at=at(2026, 10, 28),
        chair=tree.secretary,
        taker=tree.member,
        kind="committee",
    )
    close(committee)
    meeting = meeting_services.create_meeting(
        cell=tree.cell, kind="regular", starts_at=at(2026, 11, 3), by=None
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        notified_at=at(2026, 10, 30), documents_sent_at=at(2026, 11, 1)
    )
    meeting.refresh_from_db()
    meeting_services.start_meeting(meeting=meeting, by=None)
    meeting.refresh_from_db()

    fill_minutes(meeting.minutes, chair=tree.secretary, taker=tree.member)
    services.assign_task(
        meeting=meeting,
        text="Việc tháng 12",
        deadline=date(2026, 12, 1),
        assignees=[tree.member],
    )
    points, score = auto_items(meeting)
    assert points["committee_meeting"] == 2
    assert score.facts["evidence"]["committee_meeting_id"] == committee.pk
    assert points["notified"] == 1  # 4 days before, 3 required
    assert points["documents_in_time"] == 2  # 2 days before, 1 required
    assert points["minutes_complete"] == 1
    assert points["documents_posted"] == 0  # no document uploaded
    assert points["adopted_tasks_assigned"] == 1  # tasks yes, not adopted yet
    assert points["locked_in_time"] == 0


def test_notified_too_late_scores_zero(tree):
    meeting = meeting_services.create_meeting(
        cell=tree.cell, kind="regular", starts_at=at(2026, 11, 3), by=None
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        notified_at=at(2026, 11, 1), documents_sent_at=at(2026, 11, 3, 7)
    )
    meeting_services.start_meeting(meeting=meeting, by=None)
    meeting.refresh_from_db()
    points, _ = auto_items(meeting)
    assert points["notified"] == 0
    assert points["documents_in_time"] == 0
    assert points["committee_meeting"] == 2  # 5 official members: no committee


def test_manual_points_and_band(tree, meeting):
    score = services.score_meeting(
        meeting=meeting, role="self", manual=FULL_MANUAL_POINTS
    )
    assert score.band in {"good", "fair", "average", "poor"}
    with pytest.raises(ValidationError):
        services.score_meeting(meeting=meeting, role="self", manual={"content": 4})
    assert QualityScore.objects.get(pk=score.pk).points["content"] == "3"


def test_rubric_in_use_cannot_be_edited_only_superseded(tree, meeting):
    rubric = selectors.rubric_for_meeting(meeting)
    services.score_meeting(meeting=meeting, role="self", manual={})
    with pytest.raises(ValidationError):
        services.revise_rubric(rubric=rubric, groups=[])
    new = services.supersede_rubric(
        rubric=rubric, groups=rubric.groups, valid_from=date(2026, 11, 1)
    )
    assert new.version == rubric.version + 1
    rubric.refresh_from_db()
    assert rubric.superseded_at is not None
    # an old meeting's rescoring keeps its rubric; a new meeting gets the new one
    again = services.score_meeting(meeting=meeting, role="self", manual={})
    assert again.rubric_id == rubric.pk
    december, _ = held(
        tree.cell, starts_at=at(2026, 12, 3), chair=tree.secretary, taker=tree.member
    )
    assert selectors.rubric_for_meeting(december) == new


def test_rubric_choice_per_organisation_checklist(tree):
    RubricChoice.objects.create(
        organization=tree.ward, rubric_code=CHECKLIST_CODE, valid_from=date(2020, 1, 1)
    )
    cell, members, _ = crafted_cell(tree.ward)
    meeting, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1]
    )
    roll_call(meeting, members, present=9, spoke=5)
    score = services.score_meeting(
        meeting=meeting, role="self", manual={"procedure": 1}
    )
    assert score.rubric.code == CHECKLIST_CODE
    assert score.points["attendance_above_85"] == "1"  # 90% > 85%
    assert score.points["speaking_majority"] == "1"
    assert score.maximum == Decimal("12.00")
    # a deeper choice wins over the ward's
    RubricChoice.objects.create(
        organization=cell, rubric_code=DEFAULT_CODE, valid_from=date(2020, 1, 1)
    )
    assert selectors.rubric_for_meeting(meeting).code == DEFAULT_CODE


def test_both_rubrics_are_loaded_as_data():
    codes = set(Rubric.objects.values_list("code", flat=True))
    assert {DEFAULT_CODE, CHECKLIST_CODE} <= codes
    default = Rubric.objects.get(code=DEFAULT_CODE, version=1)
    assert sum(group["max"] for group in default.groups) == 100
    for group in default.groups:
        assert sum(item["max"] for item in group["items"]) == group["max"]


def test_score_pages_side_by_side(
    tree, secretary_client, supervisor_client, member_client, meeting
):
    form = secretary_client.get(evaluation_url("score-edit", meeting.pk, "self"))
    assert form.status_code == 200
    assert "◆" in form.content.decode()
    response = secretary_client.post(
        evaluation_url("score-edit", meeting.pk, "self"),
        {"item-content": "3", "item-steps": "5"},
    )
    assert response.status_code == 302
    response = supervisor_client.post(
        evaluation_url("score-edit", meeting.pk, "supervisor"),
        {"item-content": "2", "note": "Tốt"},
    )
    assert response.status_code == 302
    page = member_client.get(evaluation_url("quality", meeting.pk)).content.decode()
    self_score = QualityScore.objects.get(meeting=meeting, role="self")
    sup = QualityScore.objects.get(meeting=meeting, role="supervisor")
    shown = [str(s.percent).replace(".", ",") for s in (self_score, sup)]
    assert shown[0] in page
    assert shown[1] in page
    assert self_score.points["content"] == "3"
    assert sup.points["content"] == "2"


def test_small_cell_gets_the_committee_meeting_points(tree):
    """Under 9 official members a cell has no committee: the item cannot apply and
    gets its 2 points (§6); the crafted cell of 10 official members does not."""
    small, _ = held(
        tree.cell, starts_at=at(2026, 11, 3), chair=tree.secretary, taker=tree.member
    )
    points, score = auto_items(small)
    assert score.facts["facts"]["has_committee"] is False
    assert points["committee_meeting"] == 2
    cell, members, _exempt = crafted_cell(tree.ward)
    large, _ = held(cell, starts_at=at(2026, 11, 3), chair=members[0], taker=members[1])
    points, score = auto_items(large)
    assert score.facts["evidence"]["official_members"] == 11  # the exempt one too
    assert points["committee_meeting"] == 0


def test_quality_page_shows_raw_and_rescaled_score(tree, member_client, meeting):
    score = services.score_meeting(
        meeting=meeting, role="self", manual={"content": 3, "steps": 5}
    )
    page = member_client.get(evaluation_url("quality", meeting.pk)).content.decode()
    total = str(score.total.normalize()).replace(".", ",")
    percent = str(score.percent).replace(".", ",")
    assert score.maximum == 95
    assert f"{total}/95 → {percent}/100" in page


def test_score_bad_input_rerenders(tree, secretary_client, meeting):
    response = secretary_client.post(
        evaluation_url("score-edit", meeting.pk, "self"),
        {"item-content": "7", "item-steps": "4"},
    )
    assert response.status_code == 422
    assert 'value="7"' in response.content.decode()
    assert not QualityScore.objects.exists()


@pytest.mark.parametrize("size", [3, 12])
def test_scoring_pages_query_count_constant(
    tree, secretary_client, django_assert_num_queries, size
):
    cell = tree.cell
    for _ in range(size):
        MemberFactory(organization=cell)
    for month in range(1, 1 + size // 3):
        m, _ = held(
            cell, starts_at=at(2026, month, 3), chair=tree.secretary, taker=tree.member
        )
        close(m)
    meeting, _ = held(
        cell, starts_at=at(2026, 11, 3), chair=tree.secretary, taker=tree.member
    )
    services.score_meeting(meeting=meeting, role="self", manual={})
    secretary_client.get(evaluation_url("score-edit", meeting.pk, "self"))
    with django_assert_num_queries(17):
        assert (
            secretary_client.get(
                evaluation_url("score-edit", meeting.pk, "self")
            ).status_code
            == 200
        )
    with django_assert_num_queries(8):
        assert (
            secretary_client.get(evaluation_url("quality", meeting.pk)).status_code
            == 200
        )


def test_rubric_settings_page_chooses_checklist(
    tree, committee_client, secretary_client
):
    page = committee_client.get(evaluation_url("rubric-settings", tree.ward.pk))
    assert page.status_code == 200
    response = committee_client.post(
        evaluation_url("rubric-settings", tree.ward.pk),
        {"rubric_code": CHECKLIST_CODE, "valid_from": "01/01/2026"},
    )
    assert response.status_code == 302
    choice = RubricChoice.objects.get(organization=tree.ward)
    assert (choice.rubric_code, choice.valid_from) == (CHECKLIST_CODE, date(2026, 1, 1))
    bad = committee_client.post(
        evaluation_url("rubric-settings", tree.cell.pk),
        {"rubric_code": "nope", "valid_from": "31/02/2026"},
    )
    assert bad.status_code == 422
    # The cell's own secretary reads its rubric but does not choose it.
    refused = secretary_client.post(
        evaluation_url("rubric-settings", tree.cell.pk),
        {"rubric_code": CHECKLIST_CODE, "valid_from": "01/01/2026"},
    )
    assert refused.status_code == 403
    assert RubricChoice.objects.count() == 1
    assert (
        secretary_client.get(
            evaluation_url("rubric-settings", tree.ward.pk)
        ).status_code
        == 404
    )


def test_large_cell_minimum_is_a_setting(tree):
    """long_meeting_members set to 10 on the ward: the crafted cell (11 own members)
    must meet 120 minutes; 100 minutes is 20 short -> 3 points, not 5."""
    from members import services as member_services

    cell, members, _exempt = crafted_cell(tree.ward)
    meeting, _ = held(
        cell,
        starts_at=at(2026, 11, 3),
        chair=members[0],
        taker=members[1],
        minutes_long=100,
    )
    points, score = auto_items(meeting)
    assert points["duration"] == 5
    member_services.set_rule(
        org=tree.ward, key="long_meeting_members", value=10, valid_from=date(2020, 1, 1)
    )
    points, score = auto_items(meeting)
    assert points["duration"] == 3
    assert score.facts["evidence"]["minimum"] == 120
