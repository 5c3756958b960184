"""Tasks: assigned in the minutes' closing section, reviewed at the next meeting,
shown on the assignee's home page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluations import api, services
from evaluations.models import Task
from tests.factories import MemberFactory, OrganizationFactory
from tests.factories.evaluations import close, october_and_november
from tests.factories.meetings import held
from tests.factories.times import at
from tests.support.pages import evaluation_url

pytestmark = pytest.mark.django_db


def test_assign_task_stores_assignees_and_deadline(tree):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    task = services.assign_task(
        meeting=meeting,
        text="  Vận động đóng góp  ",
        deadline=date(2026, 10, 25),
        assignees=[tree.member, tree.others[0]],
    )
    assert task.text == "Vận động đóng góp"
    assert task.cell_id == tree.cell.pk
    assert sorted(m.pk for m in task.assignees.all()) == sorted(
        [tree.member.pk, tree.others[0].pk]
    )
    rows = api.meeting_tasks(meeting)
    assert rows[0]["text"] == "Vận động đóng góp"
    assert rows[0]["deadline"] == date(2026, 10, 25)
    assert sorted(rows[0]["assignees"]) == sorted(
        [tree.member.full_name, tree.others[0].full_name]
    )


def test_assign_task_to_party_group(tree):
    group = OrganizationFactory(
        name="Tổ đảng số 1", kind="party_group", parent=tree.cell
    )
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    services.assign_task(
        meeting=meeting,
        text="Dọn vệ sinh",
        deadline=date(2026, 10, 9),
        party_group=group,
    )
    row = api.meeting_tasks(meeting)[0]
    assert row["assignees"] == [row["assignee_names"]]
    assert row["assignee_names"].endswith(": Tổ đảng số 1")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": " "}, "text"),
        ({"assignees": []}, "assignees"),
        ({"deadline": date(2026, 10, 2)}, "deadline"),
        ({"deadline": None}, "deadline"),
    ],
)
def test_assign_task_refuses_bad_input(tree, kwargs, field):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    data = {"text": "Việc", "deadline": date(2026, 10, 9), "assignees": [tree.member]}
    with pytest.raises(ValidationError) as error:
        services.assign_task(meeting=meeting, **(data | kwargs))
    assert field in error.value.error_dict
    assert Task.objects.count() == 0


def test_assign_task_refuses_member_of_another_cell(tree):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    with pytest.raises(ValidationError) as error:
        services.assign_task(
            meeting=meeting,
            text="Việc",
            deadline=date(2026, 10, 9),
            assignees=[tree.outsider],
        )
    assert "assignees" in error.value.error_dict


def test_assign_task_refused_after_adoption(tree):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    close(meeting)
    with pytest.raises(ValidationError):
        services.assign_task(
            meeting=meeting,
            text="Việc",
            deadline=date(2026, 10, 9),
            assignees=[tree.member],
        )


def test_review_records_outcomes_at_next_meeting(tree):
    october, november, first, second = october_and_november(tree)
    services.review_tasks(
        meeting=november,
        outcomes={first.pk: ("done_on_time", "Xong"), second.pk: ("not_done", "Chưa")},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.outcome, first.outcome_comment, first.reviewed_in) == (
        "done_on_time",
        "Xong",
        november,
    )
    assert second.outcome == "not_done"
    # a task of the same meeting is not in its own review list
    with pytest.raises(ValidationError):
        services.review_tasks(meeting=october, outcomes={first.pk: ("done_late", "")})


def test_review_refuses_unknown_outcome(tree):
    _october, november, first, _second = october_and_november(tree)
    with pytest.raises(ValidationError):
        services.review_tasks(meeting=november, outcomes={first.pk: ("maybe", "")})
    first.refresh_from_db()
    assert first.outcome == ""


def test_minutes_editor_assigns_task(tree, secretary_client):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    page = secretary_client.get(reverse("meetings:minutes-edit", args=[meeting.pk]))
    assert 'id="task-form"' in page.content.decode()
    response = secretary_client.post(
        evaluation_url("task-add", meeting.pk),
        {
            "text": "Thăm hỏi gia đình chính sách",
            "deadline": "20/10/2026",
            "assignees": [tree.member.pk],
        },
    )
    assert response.status_code == 302
    page = secretary_client.get(reverse("meetings:minutes-edit", args=[meeting.pk]))
    assert "Thăm hỏi gia đình chính sách" in page.content.decode()
    assert "20/10/2026" in page.content.decode()


def test_task_add_bad_input_rerenders_with_typed_text(tree, secretary_client):
    meeting, _ = held(
        tree.cell, starts_at=at(2026, 10, 3), chair=tree.secretary, taker=tree.member
    )
    response = secretary_client.post(
        evaluation_url("task-add", meeting.pk),
        {"text": "Việc đã gõ", "deadline": "31/02/2026"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Việc đã gõ" in body
    assert "Chọn ít nhất một đảng viên hoặc một tổ đảng." in body or "assignees" in body
    assert Task.objects.count() == 0


def test_review_page_saves_outcomes(tree, secretary_client):
    _october, november, first, second = october_and_november(tree)
    page = secretary_client.get(evaluation_url("task-review", november.pk))
    body = page.content.decode()
    assert first.text in body
    assert second.text in body
    response = secretary_client.post(
        evaluation_url("task-review", november.pk),
        {
            f"outcome-{first.pk}": "exceeded",
            f"comment-{first.pk}": "Vượt chỉ tiêu",
            f"outcome-{second.pk}": "done_late",
            f"comment-{second.pk}": "",
        },
    )
    assert response.status_code == 302
    assert dict(Task.objects.values_list("pk", "outcome")) == {
        first.pk: "exceeded",
        second.pk: "done_late",
    }


def test_home_shows_my_tasks_overdue_flagged(tree, member_client, monkeypatch):
    _october, _november, first, second = october_and_november(tree)
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 10, 27))
    body = member_client.get("/").content.decode()
    assert first.text in body
    assert second.text in body
    # first is due 25/10 (overdue on 27/10), second due 30/10 (due soon)
    assert body.index(first.text) < body.index(second.text)
    assert "Quá hạn" in body or "Overdue" in body


@pytest.mark.parametrize("extra", [0, 6])
def test_task_pages_query_count_constant(
    tree, secretary_client, member_client, django_assert_num_queries, extra
):
    _october, november, first, _second = october_and_november(tree)
    for index in range(extra):
        member = MemberFactory(organization=tree.cell)
        task = Task.objects.create(
            meeting=first.meeting,
            cell=tree.cell,
            text=f"Việc {index}",
            deadline=date(2026, 10, 20),
        )
        task.assignees.set([member, tree.member])
    secretary_client.get(evaluation_url("task-review", november.pk))
    member_client.get(evaluation_url("my-tasks"))
    with django_assert_num_queries(9):
        assert (
            secretary_client.get(evaluation_url("task-review", november.pk)).status_code
            == 200
        )
    with django_assert_num_queries(9):
        assert member_client.get(evaluation_url("my-tasks")).status_code == 200


def test_next_meetings_minutes_open_review_with_last_months_tasks(
    tree, secretary_client
):
    _october, november, first, second = october_and_november(tree)
    services.review_tasks(meeting=november, outcomes={first.pk: ("done_late", "")})
    page = secretary_client.get(reverse("meetings:minutes-edit", args=[november.pk]))
    body = page.content.decode()
    start = body.index('id="review-summary"')
    summary = body[start : body.index("</section>", start)]
    assert first.text in summary
    assert second.text in summary
    assert evaluation_url("task-review", november.pk) in summary
