"""meetings.notify.recipients (and the scanner's due work): the rules of many cells
at once and who receives what."""

from datetime import date

from meetings import notify
from meetings.models import MeetingKind
from members import selectors as member_selectors
from members.models import PositionRole, RuleKey, RuleSetting
from tests.factories import PositionFactory
from tests.factories.meetings import upcoming_meeting
from tests.factories.members import LONG_AGO
from tests.support.notify import Kind, notice_time


def test_rules_for_cells_resolve_like_effective_rules(tree):
    RuleSetting.objects.create(
        organization=tree.ward, key=RuleKey.NOTICE_DAYS, value=5, valid_from=LONG_AGO
    )
    RuleSetting.objects.create(
        organization=tree.cell, key=RuleKey.NOTICE_DAYS, value=2, valid_from=LONG_AGO
    )
    RuleSetting.objects.create(
        organization=tree.province,
        key=RuleKey.MINUTES_NAG_DAYS,
        value=4,
        valid_from=LONG_AGO,
    )
    RuleSetting.objects.create(
        organization=tree.cell2,
        key=RuleKey.NOTICE_DAYS,
        value=9,
        valid_from=date(2030, 1, 1),  # not in force yet
    )
    on = date(2026, 11, 20)
    bulk = notify.rules_for_cells([tree.cell, tree.cell2, tree.other_cell], on=on)
    for cell in (tree.cell, tree.cell2, tree.other_cell):
        single = member_selectors.effective_rules(cell, on=on)
        assert bulk[cell.pk] == {
            key: single[key]["value"] for key in notify.OFFSET_KEYS
        }
    assert bulk[tree.cell.pk][RuleKey.NOTICE_DAYS] == 2
    assert bulk[tree.cell2.pk][RuleKey.NOTICE_DAYS] == 5
    assert bulk[tree.other_cell.pk][RuleKey.NOTICE_DAYS] == 3
    assert bulk[tree.other_cell.pk][RuleKey.MINUTES_NAG_DAYS] == 4


def test_notice_goes_to_required_members_and_the_supervisor(tree, people):
    meeting = upcoming_meeting(tree.cell)
    works, contacts = notify.due_work(now=notice_time(meeting))
    notices = [w for w in works if w.kind == Kind.MEETING_NOTICE]
    assert len(notices) == 1
    assert sorted(notices[0].member_ids) == sorted(m.pk for m in people.required)
    assert contacts[tree.member.pk].email == "dangvien@chibo.test"
    assert contacts[tree.others[2].pk].user_id is None  # no login: email only
    preparation = next(w for w in works if w.kind == Kind.PREPARATION)
    assert preparation.member_ids == (tree.secretary.pk,)


def test_committee_meeting_notice_goes_to_the_committee_only(tree, people):
    deputy = tree.others[2]
    PositionFactory(
        member=deputy, organization=tree.cell, role=PositionRole.DEPUTY_SECRETARY
    )
    meeting = upcoming_meeting(tree.cell, kind=MeetingKind.COMMITTEE)
    works, _contacts = notify.due_work(now=notice_time(meeting))
    notice = next(w for w in works if w.kind == Kind.MEETING_NOTICE)
    assert sorted(notice.member_ids) == sorted(
        [tree.secretary.pk, deputy.pk, tree.supervisor.pk]
    )
