"""Tests for members.admission.domain: pure rules of the admission pipeline, no
database, no Django."""

from datetime import date

import pytest

from members.admission.domain import (
    add_working_days,
    admission_decision_problems,
    candidate_missing,
    ceremony_deadline,
    ceremony_late,
    ceremony_overdue,
    deciding_vote,
    in_period,
    probation_missing,
    recognition_deadline,
    recognition_decision_problems,
    recognition_overdue,
    recognition_vote_open,
)

DECIDED = date(2026, 3, 6)  # a Friday; 30 working days later: Friday 17/04/2026


# add_working_days -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "days", "holidays", "expected"),
    [
        (date(2026, 3, 6), 0, (), date(2026, 3, 6)),
        (date(2026, 3, 6), 1, (), date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), 1, (), date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 6), 5, (), date(2026, 3, 13)),
        (date(2026, 3, 6), 30, (), date(2026, 4, 17)),
        (date(2026, 3, 6), 30, (date(2026, 3, 10),), date(2026, 4, 20)),
        # a holiday on a weekend changes nothing
        (date(2026, 3, 6), 30, (date(2026, 3, 14),), date(2026, 4, 17)),
        (date(2026, 12, 31), 1, (date(2027, 1, 1),), date(2027, 1, 4)),
    ],
)
def test_add_working_days_skips_weekends_and_holidays(day, days, holidays, expected):
    assert add_working_days(day, days, holidays=holidays) == expected


def test_ceremony_deadline_is_thirty_working_days_after_the_decision():
    assert ceremony_deadline(DECIDED) == date(2026, 4, 17)
    assert ceremony_deadline(DECIDED, holidays={date(2026, 4, 17)}) == date(2026, 4, 20)


# ceremony_overdue / ceremony_late ---------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "ceremony", "today", "expected"),
    [
        (None, None, date(2027, 1, 1), False),  # no decision yet
        (DECIDED, None, date(2026, 4, 17), False),  # the last day itself
        (DECIDED, None, date(2026, 4, 18), True),
        (DECIDED, date(2026, 4, 20), date(2026, 5, 1), False),  # held (late)
    ],
)
def test_ceremony_overdue_only_while_not_held(decision, ceremony, today, expected):
    assert (
        ceremony_overdue(decision_date=decision, ceremony_date=ceremony, today=today)
        is expected
    )


@pytest.mark.parametrize(
    ("ceremony", "expected"),
    [(None, False), (date(2026, 4, 17), False), (date(2026, 4, 18), True)],
)
def test_ceremony_late_after_the_deadline(ceremony, expected):
    assert ceremony_late(decision_date=DECIDED, ceremony_date=ceremony) is expected


# recognition ------------------------------------------------------------------------

CEREMONY = date(2025, 3, 9)  # probation ends Monday 09/03/2026


def test_recognition_deadline_counts_from_the_end_of_probation():
    # 09/03/2026 + 30 working days = Monday 20/04/2026
    assert recognition_deadline(CEREMONY) == date(2026, 4, 20)
    assert recognition_deadline(CEREMONY, holidays={date(2026, 4, 20)}) == date(
        2026, 4, 21
    )


@pytest.mark.parametrize(
    ("is_probationary", "admission", "today", "expected"),
    [
        (True, CEREMONY, date(2026, 4, 20), False),
        (True, CEREMONY, date(2026, 4, 21), True),
        (False, CEREMONY, date(2027, 1, 1), False),  # already official
        (True, None, date(2027, 1, 1), False),  # no ceremony: nothing to count from
    ],
)
def test_recognition_overdue(is_probationary, admission, today, expected):
    assert (
        recognition_overdue(
            is_probationary=is_probationary, admission_date=admission, today=today
        )
        is expected
    )


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2026, 3, 8), False), (date(2026, 3, 9), True), (date(2026, 6, 1), True)],
)
def test_recognition_vote_open_from_the_end_of_probation(on, expected):
    assert recognition_vote_open(admission_date=CEREMONY, on=on) is expected
    assert recognition_vote_open(admission_date=None, on=on) is False


# what the files lack ----------------------------------------------------------------


def test_candidate_missing_lists_each_item_in_order():
    assert candidate_missing(
        certificate_date=None,
        introducer_ids=[None, None],
        group_opinion=" ",
        mass_org_opinion="",
    ) == ["certificate", "introducers", "group_opinion", "mass_org_opinion"]


def test_candidate_missing_needs_two_different_introducers():
    complete = {
        "certificate_date": date(2026, 1, 5),
        "group_opinion": "Đồng ý",
        "mass_org_opinion": "Đồng ý",
    }
    assert candidate_missing(introducer_ids=[1, 2], **complete) == []
    assert candidate_missing(introducer_ids=[1, 1], **complete) == ["introducers"]
    assert candidate_missing(introducer_ids=[1, None], **complete) == ["introducers"]


def test_probation_missing_lists_each_item_in_order():
    assert probation_missing(
        mentor_id=None, self_review="", mentor_opinion="", group_opinion=""
    ) == ["mentor", "self_review", "mentor_opinion", "group_opinion"]
    assert (
        probation_missing(
            mentor_id=3,
            self_review="Tự kiểm điểm",
            mentor_opinion="Tốt",
            group_opinion="Đề nghị",
        )
        == []
    )


# deciding_vote ----------------------------------------------------------------------


def _vote(pk, *, passed, adopted=True):
    return {"id": pk, "passed": passed, "adopted": adopted, "date": date(2026, 1, pk)}


def test_deciding_vote_prefers_the_latest_passed_vote_of_adopted_minutes():
    votes = [_vote(1, passed=False), _vote(2, passed=True), _vote(3, passed=False)]
    assert deciding_vote(votes)["id"] == 2


def test_deciding_vote_ignores_minutes_not_adopted():
    assert deciding_vote([_vote(1, passed=True, adopted=False)]) is None
    assert (
        deciding_vote([_vote(1, passed=False), _vote(2, passed=True, adopted=False)])[
            "id"
        ]
        == 1
    )
    assert deciding_vote([]) is None


# the committee's decisions ----------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "passed", "vote_date", "decided", "expected"),
    [
        ([], True, date(2026, 3, 3), date(2026, 3, 6), []),
        ([], True, date(2026, 3, 3), date(2026, 3, 3), []),  # same day
        ([], True, date(2026, 3, 3), date(2026, 3, 2), ["decision_before_vote"]),
        (
            ["certificate"],
            True,
            date(2026, 3, 3),
            date(2026, 3, 6),
            ["file_incomplete"],
        ),
        ([], False, None, date(2026, 3, 6), ["no_passed_vote"]),
        (
            ["introducers"],
            False,
            None,
            date(2026, 3, 6),
            ["file_incomplete", "no_passed_vote"],
        ),
    ],
)
def test_admission_decision_problems(missing, passed, vote_date, decided, expected):
    assert (
        admission_decision_problems(
            missing=missing,
            vote_passed=passed,
            vote_date=vote_date,
            decision_date=decided,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("admission", "missing", "passed", "vote_date", "decided", "expected"),
    [
        (CEREMONY, [], True, date(2026, 3, 9), date(2026, 3, 20), []),
        (CEREMONY, [], True, date(2026, 3, 6), date(2026, 3, 20), ["vote_too_early"]),
        (
            CEREMONY,
            [],
            True,
            date(2026, 3, 10),
            date(2026, 3, 9),
            ["decision_before_vote"],
        ),
        (
            CEREMONY,
            ["self_review"],
            False,
            None,
            date(2026, 3, 20),
            ["file_incomplete", "no_passed_vote"],
        ),
        (None, [], True, date(2026, 3, 9), date(2026, 3, 20), ["no_ceremony"]),
    ],
)
def test_recognition_decision_problems(
    admission, missing, passed, vote_date, decided, expected
):
    assert (
        recognition_decision_problems(
            admission_date=admission,
            missing=missing,
            vote_passed=passed,
            vote_date=vote_date,
            decision_date=decided,
        )
        == expected
    )


def test_in_period_includes_both_ends():
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    assert in_period(date(2026, 1, 1), start, end)
    assert in_period(date(2026, 3, 31), start, end)
    assert not in_period(date(2026, 4, 1), start, end)
    assert not in_period(None, start, end)


# overdue cutoffs (what the dashboards count in the database) -------------------------


def test_ceremony_cutoff_splits_overdue_from_not_overdue():
    from datetime import timedelta

    from members.admission.domain import ceremony_cutoff

    today = date(2026, 6, 15)
    holidays = {date(2026, 4, 27), date(2026, 4, 30), date(2026, 5, 1)}
    cutoff = ceremony_cutoff(today=today, holidays=holidays)

    for offset in range(0, 120):
        day = today - timedelta(days=offset)
        overdue = ceremony_overdue(
            decision_date=day, ceremony_date=None, today=today, holidays=holidays
        )
        assert overdue is (day < cutoff), day


def test_recognition_cutoff_splits_overdue_from_not_overdue():
    from datetime import timedelta

    from members.admission.domain import recognition_cutoff

    today = date(2026, 6, 15)
    cutoff = recognition_cutoff(today=today)

    for offset in range(300, 500):
        day = today - timedelta(days=offset)
        overdue = recognition_overdue(
            is_probationary=True, admission_date=day, today=today
        )
        assert overdue is (day < cutoff), day
