"""Defaults that save typing (issue 16 §6): the chair is the secretary and the
minute-taker the last one; the plan and a new meeting start at the cell's meeting
time; the kind list starts with the regular meeting; a title does not repeat its
kind badge; selects prompt in Vietnamese, never "---------"; no empty documents
card; the admin offers no "add" for records the workflow creates."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, Minutes
from members import services as member_services
from members.models import RuleKey
from tests.factories.meetings import locked_meeting, make_meeting, start
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url


def test_new_minutes_name_the_secretary_chair_and_the_last_minute_taker(
    secretary_client, tree
):
    # Arrange: last month's minutes were taken by another member
    locked_meeting(tree.cell, chair=tree.secretary, taker=tree.others[1])
    meeting = make_meeting(tree.cell, starts_at=at(2026, 11, 20, 19, 30))

    # Act
    start(meeting)
    page = body(secretary_client.get(meeting_url("minutes-edit", meeting.pk)))

    # Assert
    minutes = Minutes.objects.get(meeting=meeting)
    assert (minutes.chair_id, minutes.minute_taker_id) == (
        tree.secretary.pk,
        tree.others[1].pk,
    )
    assert f'<option value="{tree.secretary.pk}" selected>Lê Văn Bí Thư' in page


def test_first_minutes_leave_the_minute_taker_to_choose(tree):
    # Arrange
    meeting = make_meeting(tree.cell)

    # Act
    minutes = start(meeting)

    # Assert
    assert (minutes.chair_id, minutes.minute_taker_id) == (tree.secretary.pk, None)


def test_plan_and_new_meeting_start_at_the_cells_meeting_time(
    secretary_client, tree, clock
):
    # Arrange: the cell meets in the evening
    clock(at(2026, 12, 8, 9, 0))
    member_services.set_rule(
        org=tree.cell,
        key=RuleKey.MEETING_TIME,
        value="19:30",
        valid_from=date(2000, 1, 1),
    )

    # Act
    services.generate_year_plan(cell=tree.cell, year=2027, by=None)
    page = body(secretary_client.get(meeting_url("meeting-create", tree.cell.pk)))

    # Assert
    times = {
        m.starts_at.astimezone(at(2027, 1, 1).tzinfo).strftime("%H:%M")
        for m in Meeting.objects.filter(cell=tree.cell)
    }
    assert times == {"19:30"}
    assert 'value="09/12/2026 19:30"' in page


def test_kind_list_starts_with_the_regular_meeting(secretary_client, tree):
    # Act
    page = body(secretary_client.get(meeting_url("meeting-create", tree.cell.pk)))

    # Assert
    select = page[page.index('name="kind"') :]
    first_option = select[select.index("<option") : select.index("</option>")]
    assert 'value="regular"' in first_option
    assert "selected" in first_option


def test_title_does_not_repeat_the_kind_badge(member_client, tree):
    # Arrange
    untitled = make_meeting(tree.cell, topic="")
    titled = make_meeting(tree.cell, topic="Học tập Nghị quyết")
    english(member_client)

    # Act
    plain = body(member_client.get(untitled.get_absolute_url()))
    with_topic = body(member_client.get(titled.get_absolute_url()))

    # Assert
    assert '<h1 class="page-title">Regular monthly meeting</h1>' in plain
    assert 'id="kind-badge"' not in plain
    assert 'id="kind-badge">Regular monthly meeting</span>' in with_topic


@pytest.mark.parametrize(
    ("language", "prompt"), [("vi", "— Chọn —"), ("en", "— Choose —")]
)
def test_selects_prompt_instead_of_dashes(secretary_client, tree, language, prompt):
    # Arrange
    meeting = make_meeting(tree.cell)
    secretary_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # Act
    page = body(secretary_client.get(meeting_url("meeting-prepare", meeting.pk)))

    # Assert
    assert "---------" not in page
    assert f'<option value="" selected>{prompt}</option>' in page


def test_no_empty_documents_card_for_readers(committee_client, secretary_client, tree):
    # Arrange: no document attached; the committee may read documents
    meeting = make_meeting(tree.cell)

    # Act
    reader = body(committee_client.get(meeting.get_absolute_url()))
    officer = body(secretary_client.get(meeting.get_absolute_url()))

    # Assert: the secretary keeps the card (and its "no documents" line)
    assert 'id="docs-heading"' not in reader
    assert 'id="docs-heading"' in officer


@pytest.mark.parametrize("model", ["minutes", "vote", "attendance", "reservedopinion"])
def test_admin_offers_no_add_for_workflow_records(admin_client_, model):
    # Act
    add = admin_client_.get(reverse(f"admin:meetings_{model}_add"))
    listing = body(admin_client_.get(reverse(f"admin:meetings_{model}_changelist")))

    # Assert
    assert add.status_code == 403
    assert reverse(f"admin:meetings_{model}_add") not in listing


def test_admin_still_adds_what_is_not_born_in_the_workflow(admin_client_):
    # Act
    response = admin_client_.get(reverse("admin:meetings_agendatemplate_add"))

    # Assert
    assert response.status_code == 200
    assert 'name="kind"' in body(response)
