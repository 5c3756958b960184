"""A vote in the minutes about a person (DOMAIN.md §2): the admission of a candidate
or the official recognition of a probationary member, two thirds of N."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings import services
from meetings.models import Vote, VoteKind
from members.admission import services as admission_services
from tests.factories.admission import candidate
from tests.factories.meetings import fill_minutes, make_meeting, start
from tests.factories.times import at
from tests.support.pages import body, english, meeting_url

pytestmark = pytest.mark.usefixtures("admission_clock")


def _probationer_ready(tree):
    """A member admitted by a decision, ceremony 20/03/2025 (12 months over on
    15/06/2026), mentor and recognition file complete."""
    person = candidate(tree.cell, tree, "Lý Thị Dự Bị")
    meeting = make_meeting(tree.cell, starts_at=at(2025, 3, 3, 19, 30))
    minutes = start(meeting)
    services.record_vote(
        minutes=minutes,
        subject="Kết nạp",
        kind=VoteKind.ADMISSION,
        yes=5,
        no=0,
        abstain=0,
        candidate=person,
    )

    minutes = fill_minutes(minutes, chair=tree.secretary, taker=tree.member)
    services.adopt_minutes(minutes=minutes, by=None)
    member = admission_services.record_admission_decision(
        candidate=person,
        number="1",
        decided_on=date(2025, 3, 10),
        issuer="ĐU",
        by=None,
        mentor=tree.others[0],
    )
    member = admission_services.record_ceremony(
        member=member, on=date(2025, 3, 20), by=None
    )
    admission_services.save_recognition_file(
        member=member,
        by=None,
        self_review="a",
        self_review_date=date(2026, 3, 1),
        mentor_opinion="b",
        mentor_opinion_date=date(2026, 3, 1),
        group_opinion="c",
        group_opinion_date=date(2026, 3, 1),
    )
    return member


def test_editor_offers_only_people_ready_for_a_vote(secretary_client, tree):
    ready = candidate(tree.cell, tree, "Đủ Hồ Sơ")
    candidate(tree.cell, tree, "Thiếu Hồ Sơ", complete=False)
    candidate(tree.cell2, tree, "Chi Bộ Khác")
    probationer = _probationer_ready(tree)
    meeting = make_meeting(tree.cell, starts_at=at(2026, 6, 3, 19, 30))
    start(meeting)

    html = body(english(secretary_client).get(meeting_url("minutes-edit", meeting.pk)))

    assert f'<option value="c{ready.pk}">Đủ Hồ Sơ</option>' in html
    assert f'<option value="m{probationer.pk}">Lý Thị Dự Bị</option>' in html
    assert "Thiếu Hồ Sơ" not in html
    assert "Chi Bộ Khác" not in html
    assert 'label="Admission of a candidate"' in html
    assert 'label="Official recognition of a probationary member"' in html


def test_vote_about_a_candidate_names_them_and_takes_two_thirds(secretary_client, tree):
    person = candidate(tree.cell, tree)
    meeting = make_meeting(tree.cell, starts_at=at(2026, 6, 3, 19, 30))
    start(meeting)

    response = english(secretary_client).post(
        meeting_url("vote-add", meeting.pk),
        # "resolution" chosen by mistake: a vote about a person is two thirds
        {
            "about": f"c{person.pk}",
            "subject": "",
            "kind": "resolution",
            "yes": "3",
            "no": "2",
            "abstain": "0",
        },
    )

    vote = Vote.objects.get()
    assert response.status_code == 302
    assert (vote.candidate, vote.about_member) == (person, None)
    assert vote.kind == VoteKind.ADMISSION
    assert vote.subject == "Admission of Nguyễn Thị Ưu Tú to the Party"
    # 3 of N = 5: more than half, but less than two thirds
    assert (vote.denominator, vote.passed) == (5, False)


def test_vote_about_a_probationary_member(secretary_client, tree):
    member = _probationer_ready(tree)
    meeting = make_meeting(tree.cell, starts_at=at(2026, 6, 3, 19, 30))
    start(meeting)

    english(secretary_client).post(
        meeting_url("vote-add", meeting.pk),
        {
            "about": f"m{member.pk}",
            "subject": "",
            "kind": "admission",
            "yes": "4",
            "no": "1",
            "abstain": "0",
        },
    )

    vote = Vote.objects.get(about_member=member)
    assert vote.subject == "Official recognition of Lý Thị Dự Bị"
    assert (vote.denominator, vote.passed) == (5, True)


def test_a_question_without_a_person_still_needs_its_subject(secretary_client, tree):
    meeting = make_meeting(tree.cell, starts_at=at(2026, 6, 3, 19, 30))
    start(meeting)

    response = english(secretary_client).post(
        meeting_url("vote-add", meeting.pk),
        {
            "about": "",
            "subject": "",
            "kind": "resolution",
            "yes": "4",
            "no": "0",
            "abstain": "0",
        },
    )

    assert response.status_code == 422
    assert "This field is required." in body(response)
    assert not Vote.objects.exists()


def test_service_refuses_a_person_of_another_cell_or_a_simple_majority(tree):
    other = candidate(tree.cell2, tree, "Chi Bộ Khác")
    mine = candidate(tree.cell, tree)
    minutes = start(make_meeting(tree.cell, starts_at=at(2026, 6, 3, 19, 30)))

    with translation.override("en"), pytest.raises(ValidationError) as elsewhere:
        services.record_vote(
            minutes=minutes,
            subject="x",
            kind=VoteKind.ADMISSION,
            yes=4,
            no=0,
            abstain=0,
            candidate=other,
        )
    with translation.override("en"), pytest.raises(ValidationError) as majority:
        services.record_vote(
            minutes=minutes,
            subject="x",
            kind=VoteKind.RESOLUTION,
            yes=4,
            no=0,
            abstain=0,
            candidate=mine,
        )
    with translation.override("en"), pytest.raises(ValidationError) as official:
        services.record_vote(
            minutes=minutes,
            subject="x",
            kind=VoteKind.ADMISSION,
            yes=4,
            no=0,
            abstain=0,
            about_member=tree.member,
        )

    assert elsewhere.value.message_dict == {
        "about": ["This candidate cannot be voted on in this cell."]
    }
    assert majority.value.message_dict == {
        "kind": ["Admission and recognition take two thirds of N."]
    }
    assert official.value.message_dict == {
        "about": ["This member is not on probation in this cell."]
    }
    assert not Vote.objects.exists()
