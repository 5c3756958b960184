"""The admission pipeline through its services: candidate → vote in the minutes →
decision → ceremony → probation → recognition vote → decision → official."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.admission import selectors, services
from members.models import Candidate, EventKind, MemberStatus, Probation
from tests.factories.admission import admit, candidate, vote
from tests.factories.files import pdf_bytes, upload
from tests.factories.members import probationary
from tests.factories.times import at

pytestmark = pytest.mark.usefixtures("admission_clock")


def test_whole_pipeline_from_candidate_to_official(tree):
    # Arrange
    person = candidate(tree.cell, tree)

    # Act: admission
    member = admit(tree, person, mentor=tree.others[0])
    member = services.record_ceremony(member=member, on=date(2025, 3, 20), by=None)
    services.save_recognition_file(
        member=member,
        by=None,
        self_review="Hoàn thành tốt nhiệm vụ.",
        self_review_date=date(2026, 3, 1),
        mentor_opinion="Đủ tư cách.",
        mentor_opinion_date=date(2026, 3, 5),
        group_opinion="Đề nghị công nhận.",
        group_opinion_date=date(2026, 3, 6),
    )
    vote(
        tree.cell,
        starts_at=at(2026, 3, 25, 19, 30),
        yes=5,
        about_member=member,
        chair=tree.secretary,
        taker=tree.member,
    )
    official = services.record_recognition_decision(
        member=member,
        number="310-QĐ/ĐU",
        decided_on=date(2026, 4, 1),
        issuer="Đảng ủy phường Thử",
        by=None,
    )

    # Assert
    person.refresh_from_db()
    assert person.state == Candidate.State.ADMITTED
    assert person.member == official
    assert (person.decision_number, person.decision_date) == (
        "125-QĐ/ĐU",
        date(2025, 3, 10),
    )
    assert official.organization == tree.cell
    assert official.workplace == "Trường Tiểu học Lê Lợi"
    assert official.status == MemberStatus.OFFICIAL
    assert official.admission_decision_date == date(2025, 3, 10)
    assert official.admission_date == date(2025, 3, 20)
    # official from the end of the 12 months, the decision kept on the probation
    assert official.official_date == date(2026, 3, 20)
    probation = Probation.objects.get(member=official)
    assert (probation.mentor, probation.mentor_assigned_on) == (
        tree.others[0],
        date(2025, 3, 10),
    )
    assert (probation.decision_number, probation.decision_date) == (
        "310-QĐ/ĐU",
        date(2026, 4, 1),
    )
    kinds = list(official.events.order_by("date", "pk").values_list("kind", "date"))
    assert (EventKind.ADMITTED, date(2025, 3, 20)) in kinds
    assert (EventKind.RECOGNISED, date(2026, 3, 20)) in kinds


def test_path_lists_every_dated_step_with_both_minutes(tree):
    person = candidate(tree.cell, tree)
    member = admit(tree, person, mentor=tree.others[0])
    services.record_ceremony(member=member, on=date(2025, 3, 20), by=None)
    member.refresh_from_db()

    with translation.override("en"):
        path = selectors.admission_path(member)

    labels = [(step["date"], step["label"]) for step in path["steps"]]
    assert labels == [
        (date(2025, 1, 6), "Proposed as a candidate"),
        (date(2025, 1, 20), "Political-theory course certificate"),
        (None, "Introduced by"),
        (date(2025, 2, 10), "Party group's opinion"),
        (date(2025, 2, 12), "Mass organisation's opinion"),
        (date(2025, 3, 3), "Cell's admission vote"),
        (date(2025, 3, 10), "Admission decision"),
        (date(2025, 3, 20), "Admission ceremony"),
        (date(2025, 3, 10), "Mentor assigned"),
        (date(2026, 3, 20), "End of the 12 months' probation"),
        # 20/03/2026 + 30 working days = 01/05, plus the holidays 27/04 (Hùng
        # Kings, observed), 30/04 and 01/05 → 06/05
        (date(2026, 5, 6), "Recognition vote due by"),
    ]
    vote_step = path["steps"][5]
    assert vote_step["detail"] == "4 in favour of N = 5 — passed"
    assert vote_step["url"].startswith("/meetings/")
    # clock 15/06/2026: the recognition is overdue
    assert path["steps"][-1]["state"] == "overdue"


def test_decision_refused_without_a_passed_vote_in_adopted_minutes(tree):
    person = candidate(tree.cell, tree)
    # 3 of N = 5 is less than two thirds; the second vote's minutes are not adopted
    vote(
        tree.cell,
        starts_at=at(2025, 3, 3, 19, 30),
        yes=3,
        candidate=person,
        chair=tree.secretary,
        taker=tree.member,
    )
    vote(
        tree.cell,
        starts_at=at(2025, 3, 4, 19, 30),
        yes=5,
        candidate=person,
        chair=tree.secretary,
        taker=tree.member,
        adopt=False,
    )

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_admission_decision(
            candidate=person,
            number="1",
            decided_on=date(2025, 3, 10),
            issuer="Đảng ủy",
            by=None,
        )

    assert excinfo.value.messages == [
        "The cell's vote has not passed yet (two thirds of N, in adopted minutes)."
    ]
    person.refresh_from_db()
    assert person.state == Candidate.State.OPEN
    assert person.member is None


def test_decision_refused_before_the_vote_and_with_an_incomplete_file(tree):
    person = candidate(tree.cell, tree)
    vote(
        tree.cell,
        starts_at=at(2025, 3, 3, 19, 30),
        yes=4,
        candidate=person,
        chair=tree.secretary,
        taker=tree.member,
    )
    services.update_candidate(candidate=person, by=None, mass_org_opinion="")

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_admission_decision(
            candidate=person,
            number="1",
            decided_on=date(2025, 3, 1),
            issuer="Đảng ủy",
            by=None,
        )

    assert excinfo.value.messages == [
        "The file is not complete: certificate, two introducers and both opinions.",
        "The decision cannot precede the cell's vote.",
    ]


def test_introducers_must_be_two_different_official_members(tree, settings):

    newcomer = probationary(tree.cell, "Dự Bị Mới")
    with translation.override("en"), pytest.raises(ValidationError) as same:
        candidate(tree.cell, tree, introducer_1=tree.member, introducer_2=tree.member)
    with translation.override("en"), pytest.raises(ValidationError) as not_official:
        candidate(tree.cell, tree, introducer_2=newcomer)

    assert same.value.message_dict == {
        "introducer_2": ["The two introducers must be different members."]
    }
    assert not_official.value.message_dict == {
        "introducer_2": ["An introducer must be an active official member."]
    }


def test_recognition_refused_before_the_twelve_months(tree):
    person = candidate(tree.cell, tree)
    member = admit(tree, person, mentor=tree.others[0])
    member = services.record_ceremony(member=member, on=date(2025, 8, 1), by=None)
    services.save_recognition_file(
        member=member,
        by=None,
        self_review="x",
        self_review_date=date(2026, 6, 1),
        mentor_opinion="y",
        mentor_opinion_date=date(2026, 6, 1),
        group_opinion="z",
        group_opinion_date=date(2026, 6, 1),
    )
    # the 12 months end on 01/08/2026: a vote before that is too early
    vote(
        tree.cell,
        starts_at=at(2026, 6, 10, 19, 30),
        yes=5,
        about_member=member,
        chair=tree.secretary,
        taker=tree.member,
    )

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.record_recognition_decision(
            member=member,
            number="2",
            decided_on=date(2026, 6, 12),
            issuer="Đảng ủy",
            by=None,
        )

    assert excinfo.value.messages == [
        "The recognition vote was held before the 12 months ended."
    ]
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY


def test_ceremony_must_follow_the_decision_and_not_be_in_the_future(tree):
    member = admit(tree, candidate(tree.cell, tree))

    with translation.override("en"), pytest.raises(ValidationError) as before:
        services.record_ceremony(member=member, on=date(2025, 3, 9), by=None)
    with translation.override("en"), pytest.raises(ValidationError) as future:
        services.record_ceremony(member=member, on=date(2026, 6, 16), by=None)

    assert before.value.message_dict == {
        "on": ["The ceremony cannot precede the admission decision."]
    }
    assert future.value.message_dict == {
        "on": ["The ceremony cannot be in the future."]
    }


def test_ceremony_overdue_alert_on_the_cell(tree):
    # decided 02/06/2026; 30 working days → mid July: not overdue on 15/06
    on_time = admit(
        tree, candidate(tree.cell, tree, "Đúng Hạn"), decided_on=date(2026, 6, 2)
    )
    late = admit(
        tree, candidate(tree.cell, tree, "Quá Hạn"), decided_on=date(2025, 3, 10)
    )

    from members.selectors import cell_summary

    summary = cell_summary(tree.cell)

    assert [m.pk for m in summary["ceremony_overdue"]] == [late.pk]
    assert on_time.pk not in [m.pk for m in summary["ceremony_overdue"]]
    # 10/03/2025 + 30 working days (Hùng Kings' day 07/04 skipped) = 22/04/2025
    assert summary["ceremony_overdue"][0].ceremony_deadline == date(2025, 4, 22)


def test_candidate_documents_are_checked_by_content(tree, media_root):
    person = candidate(tree.cell, tree)

    document = services.add_candidate_document(
        candidate=person, upload=upload("don.pdf", pdf_bytes()), title="", by=None
    )
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.add_candidate_document(
            candidate=person,
            upload=upload("virus.pdf", b"MZ\x90\x00"),
            title="",
            by=None,
        )

    assert (document.title, document.content_type) == ("don.pdf", "application/pdf")
    assert excinfo.value.message_dict == {
        "file": ["Only PDF, Word, Excel, PowerPoint, PNG and JPEG files."]
    }
    assert person.documents.count() == 1


def test_withdrawn_file_is_closed(tree):
    person = candidate(tree.cell, tree)

    services.withdraw_candidate(
        candidate=person, on=date(2026, 6, 1), reason="Chuyển công tác", by=None
    )

    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        services.update_candidate(candidate=person, by=None, workplace="Khác")
    assert excinfo.value.messages == ["This candidate's file is closed."]
