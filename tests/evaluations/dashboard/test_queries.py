"""evaluations.dashboard.queries: every headline figure and flag of a node, as the
rollup and the live recommendations give them."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from evaluations import dashboard as dash
from evaluations.dashboard import rollup
from members import services as member_services
from members.models import RuleKey
from tests.factories.facts import TODAY, held_on, planned
from tests.factories.times import freeze

Q3 = dash.Period("quarter", 2026, 3)


def test_every_headline_figure_of_the_ward(facts):
    board = dash.build(facts.ward, Q3, today=TODAY)
    t, s = board.total, board.total.sums
    assert (t.cells, t.members) == (2, 7)
    assert (s["regular_held"], t.regular_due, s["regular_on_plan"]) == (5, 6, 5)
    assert t.thematic_cells == {3: 2}
    assert t.hcm_cells == 1
    assert (s["att_present"], s["att_required"]) == (16, 18)
    assert s["att_unexcused"] == 1
    assert (s["att_spoke"], s["att_attendees"]) == (4, 16)
    assert (s["duration_ok"], s["duration_recorded"]) == (5, 6)
    assert (s["minutes_locked_on_time"], s["minutes_due"]) == (2, 6)
    assert s["minutes_submitted_on_time"] == 1
    assert (s["scored"], s["band_fair"], s["band_poor"], s["band_good"]) == (2, 1, 1, 0)
    assert (s["reports_on_time"], t.reports_late, t.reports_due) == (1, 1, 2)
    assert (t.recs_open, t.recs_overdue) == (1, 1)
    assert (s["tasks_done"], s["tasks_total"]) == (1, 3)
    texts = {h["key"]: h for h in dash.headlines(board)}
    assert texts["regular"]["value"] == "5 / 6"
    assert texts["attendance"]["value"] == "88,9 %"
    assert texts["speaking"]["value"] == "25,0 %"
    assert texts["thematic"]["value"] == "Q3: 2/2"
    assert texts["tasks"]["value"] == "33,3 %"
    assert texts["dues"]["available"] is False


def test_every_flag_exactly(facts):
    board = dash.build(facts.ward, Q3, today=TODAY)
    assert board.total.flags == {
        "missed_regular": 1,
        "committee_missed": 0,  # cells under 9 official members: no committee
        "no_thematic": 0,
        "no_hcm": 0,  # a quarter's view
        "unexcused": 1,
        "low_attendance": 1,
        "below_minimum": 0,  # no minimum set
        "absent_streak": 0,
        "minutes_late": 2,
        "report_late": 1,
        "dues_arrears": 0,
        "few_officials": 1,
    }
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    # The SQL roll-up and the per-cell rules agree on every flag.
    assert board.total.flags == {
        key: sum(1 for _c, stats in cells.values() if stats.flags[key])
        for key in dash.FLAG_BY_KEY
    }
    cell = cells[facts.cell.pk][1].flags
    assert cell == {
        "missed_regular": 1,
        "committee_missed": 0,  # cells under 9 official members: no committee
        "no_thematic": 0,
        "no_hcm": 0,  # a quarter's view
        "unexcused": 1,
        "low_attendance": 1,
        "below_minimum": 0,  # no minimum set
        "absent_streak": 0,
        "minutes_late": 1,
        "report_late": 1,
        "dues_arrears": 0,
        "few_officials": 0,
    }
    cell2 = cells[facts.cell2.pk][1].flags
    assert {k for k, n in cell2.items() if n} == {"minutes_late", "few_officials"}
    assert cell2["minutes_late"] == 3


@pytest.mark.parametrize(("days", "overdue"), [(106, 0), (105, 1)])
def test_recommendation_days_setting_inherited_by_the_figures(facts, days, overdue):
    """The open recommendation of the cell was raised on 09/08, 106 days before
    TODAY: recommendation_days set on the province decides whether it is overdue, in
    the rolled-up total, the children rows and the per-cell figures alike."""
    member_services.set_rule(
        org=facts.province,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=days,
        valid_from=date(2026, 1, 1),
    )
    board = dash.build(facts.ward, Q3, today=TODAY)
    assert (board.total.recs_open, board.total.recs_overdue) == (1, overdue)
    by_child = {child.pk: stats for child, stats in board.rows}
    assert by_child[facts.cell.pk].recs_overdue == overdue
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    assert cells[facts.cell.pk][1].recs_overdue == overdue
    own = dash.build(facts.cell, Q3, today=TODAY)
    assert own.total.recs_overdue == overdue
    # A value on the cell itself overrides the province's; its sibling keeps it.
    member_services.set_rule(
        org=facts.cell,
        key=RuleKey.RECOMMENDATION_DAYS,
        value=days - 10 if not overdue else 200,
        valid_from=date(2026, 1, 1),
    )
    flipped = 1 - overdue
    assert dash.build(facts.ward, Q3, today=TODAY).total.recs_overdue == flipped
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    assert cells[facts.cell.pk][1].recs_overdue == flipped


def test_no_thematic_flag_only_for_a_closed_quarter(tree, monkeypatch):
    freeze(monkeypatch, TODAY)
    held_on(tree.cell, date(2026, 10, 3))
    held_on(tree.cell, date(2026, 11, 3))
    rollup.rebuild(years=[2026])
    q4 = dash.build(tree.cell, dash.Period("quarter", 2026, 4), today=TODAY)
    assert q4.total.flags["no_thematic"] == 0  # quarter 4 is not over
    q3 = dash.build(tree.cell, Q3, today=TODAY)
    assert q3.total.flags["no_thematic"] == 1
    assert q3.total.flags["missed_regular"] == 1  # 3 months missed, 1 cell
    assert q3.cells[tree.cell.pk][1].flags["missed_regular"] == 3
    # November is under way and held: due counts it, October counts as closed.
    assert (q4.total.sums["regular_held"], q4.total.regular_due) == (2, 2)


def test_member_absent_more_than_three_times_in_a_row(tree, monkeypatch):
    freeze(monkeypatch, TODAY)
    for month in (1, 2, 3, 4):
        held_on(
            tree.cell, date(2026, month, 3), statuses={tree.member: "absent_excused"}
        )
    held_on(tree.cell, date(2026, 5, 3))
    rollup.rebuild(years=[2026])
    march = dash.build(tree.cell, dash.Period("month", 2026, 3), today=TODAY)
    assert march.total.flags["absent_streak"] == 0  # 3 in a row is allowed
    april = dash.build(tree.cell, dash.Period("month", 2026, 4), today=TODAY)
    assert april.total.flags["absent_streak"] == 1
    year = dash.build(tree.cell, dash.Period("year", 2026), today=TODAY)
    assert year.total.flags["absent_streak"] == 1


def test_minimum_attendance_flag(facts):
    """min_attendance_percent 90 on the ward: the cell's August meeting (3 of 5
    present) is below it; July's (all present) and cell2's are not."""
    from datetime import date

    from evaluations.dashboard import rollup
    from members.models import RuleSetting

    RuleSetting.objects.create(
        organization=facts.ward,
        key="min_attendance_percent",
        value=90,
        valid_from=date(2020, 1, 1),
    )
    rollup.rebuild(years=[2026])
    board = dash.build(facts.ward, Q3, today=TODAY)
    assert board.total.flags["below_minimum"] == 1
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    assert cells[facts.cell.pk][1].flags["below_minimum"] == 1
    assert cells[facts.cell2.pk][1].flags["below_minimum"] == 0


def test_rules_are_read_as_they_stood_on_the_meeting_day(facts):
    """A setting counts from its day on, never back: 90 % from 01/09/2026 leaves
    August's meeting (3 of 5 present) unflagged, and 90 % until 31/08 then 50 %
    flags it, whatever today's rule is (the score reads the meeting day too)."""
    from datetime import date

    from evaluations.dashboard import rollup
    from members.models import RuleSetting

    later = RuleSetting.objects.create(
        organization=facts.ward,
        key="min_attendance_percent",
        value=90,
        valid_from=date(2026, 9, 1),
    )
    rollup.rebuild(years=[2026])
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    assert cells[facts.cell.pk][1].flags["below_minimum"] == 0

    later.value = 50
    later.save()
    RuleSetting.objects.create(
        organization=facts.ward,
        key="min_attendance_percent",
        value=90,
        valid_from=date(2020, 1, 1),
    )
    rollup.rebuild(years=[2026])
    cells = dash.per_cell(facts.ward, Q3, today=TODAY)
    assert cells[facts.cell.pk][1].flags["below_minimum"] == 1


def test_no_ho_chi_minh_topic_flag_in_a_years_view(facts):
    """cell2 held its Hồ Chí Minh topic on 10/09; cell has none held or planned in
    2026, so the year's view flags it (a quarter's view never does). Planning one in
    December clears the flag."""
    from datetime import date

    from evaluations.dashboard import rollup
    from evaluations.dashboard.periods import Period

    year = Period("year", 2026)
    cells = dash.per_cell(facts.ward, year, today=TODAY)
    assert cells[facts.cell.pk][1].flags["no_hcm"] == 1
    assert cells[facts.cell2.pk][1].flags["no_hcm"] == 0
    assert dash.build(facts.ward, year, today=TODAY).total.flags["no_hcm"] == 1
    assert dash.build(facts.ward, Q3, today=TODAY).total.flags["no_hcm"] == 0
    meeting = planned(facts.cell, date(2026, 12, 10), kind="thematic")
    meeting.is_ho_chi_minh_topic = True
    meeting.save()
    rollup.rebuild(years=[2026])
    assert dash.build(facts.ward, year, today=TODAY).total.flags["no_hcm"] == 0


def test_committee_meeting_not_held_flag(tree, users, client, monkeypatch):
    """§3 (a cell committee meets monthly before the cell meeting): a cell of 9
    official members has a committee. Its committee met on 01/09 (prepares the
    meeting of 03/09), not in the 31 days before 03/10, and on 30/10 (prepares
    03/11); the one planned for August met on 30/07 although August's meeting
    was not held. Tree's own cell (5 members) has no committee: not applicable."""
    from django.urls import reverse

    from evaluations.models import CellMonth
    from meetings.models import Meeting, MeetingKind
    from tests.factories import MemberFactory, OrganizationFactory

    freeze(monkeypatch, TODAY)
    big = OrganizationFactory(name="Chi bộ Lớn", parent=tree.ward)
    MemberFactory.create_batch(9, organization=big)
    for day in (date(2026, 9, 3), date(2026, 10, 3), date(2026, 11, 3)):
        held_on(big, day)
        held_on(tree.cell, day)
    for day in (date(2026, 9, 1), date(2026, 10, 30)):
        held_on(big, day, kind=MeetingKind.COMMITTEE)
    august = held_on(big, date(2026, 7, 30), kind=MeetingKind.COMMITTEE)
    Meeting.objects.filter(pk=august.pk).update(plan_slot="2026-C08")
    held_on(big, date(2026, 10, 1), kind=MeetingKind.COMMITTEE, state="planned")
    rollup.rebuild(years=[2026])

    rows = {
        row.month.month: (row.committee_expected, row.committee_held)
        for row in CellMonth.objects.filter(
            cell=big, month__month__in=[7, 8, 9, 10, 11]
        )
    }
    assert rows == {7: (1, 0), 8: (1, 1), 9: (1, 1), 10: (1, 0), 11: (1, 1)}
    small = CellMonth.objects.get(cell=tree.cell, month=date(2026, 10, 1))
    assert (small.committee_expected, small.committee_held) == (0, 0)

    q4 = dash.Period("quarter", 2026, 4)
    board = dash.build(tree.ward, q4, today=TODAY)
    assert board.total.flags["committee_missed"] == 1  # one cell
    cells = dash.per_cell(tree.ward, q4, today=TODAY)
    assert cells[big.pk][1].flags["committee_missed"] == 1  # October; November open
    assert cells[tree.cell.pk][1].flags["committee_missed"] == 0
    q3 = dash.per_cell(tree.ward, Q3, today=TODAY)
    assert q3[big.pk][1].flags["committee_missed"] == 1  # July
    year = dash.per_cell(tree.ward, dash.Period("year", 2026), today=TODAY)
    assert year[big.pk][1].flags["committee_missed"] == 8  # January-July, October

    client.force_login(users.committee)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("evaluations:dashboard", args=[tree.ward.pk]), {"period": "2026-Q4"}
    ).content.decode()
    assert "Cell committee meeting not held" in page
    assert "held no committee meeting to prepare the cell meeting" in page
    export = client.get(
        reverse("evaluations:dashboard-xlsx", args=[tree.ward.pk]),
        {"period": "2026-Q4"},
    )
    book = load_workbook(io.BytesIO(export.content))
    texts = [
        str(cell.value)
        for sheet in book.worksheets
        for line in sheet.iter_rows()
        for cell in line
        if cell.value is not None
    ]
    with translation.override("vi"):  # the spreadsheet is written in Vietnamese
        label = str(dash.FLAG_BY_KEY["committee_missed"].label)
    assert label != "Cell committee meeting not held"
    assert label in texts


def test_minimum_duration_counts_the_roll_of_the_meeting_day(tree, monkeypatch):
    """The large-cell minimum (here from 5 own members) counts the cell's own
    members on the meeting day, as the score does, not on the month's last day:
    five on 03/08 make a 100-minute meeting short although one left on 20/08."""
    from evaluations.models import CellMonth
    from members.models import Member

    freeze(monkeypatch, TODAY)
    member_services.set_rule(
        org=tree.ward,
        key=RuleKey.LONG_MEETING_MEMBERS,
        value=5,
        valid_from=date(2020, 1, 1),
    )
    held_on(tree.cell, date(2026, 8, 3), minutes=100)
    Member.objects.filter(pk=tree.others[0].pk).update(
        is_active=False, deactivated_on=date(2026, 8, 20)
    )
    rollup.rebuild(years=[2026])
    august = CellMonth.objects.get(cell=tree.cell, month=date(2026, 8, 1))
    assert august.members == 4  # the month's figure: its last day
    assert (august.duration_recorded, august.duration_ok) == (1, 0)
