"""Compliance dashboard: every headline figure and flag of a small tree with known
facts (DOMAIN.md §8), access by reach and role, drill-down, exports, query counts."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluations import dashboard as dash
from evaluations import rollup
from evaluations.models import (
    QualityScore,
    Recommendation,
    Rubric,
    SupervisionReport,
    Task,
)
from meetings.models import MeetingKind
from members import services as member_services
from members.models import RuleKey
from tests.evaluations.dashboard_fixtures import HANOI, TODAY, freeze, grow, held

Q3 = dash.Period("quarter", 2026, 3)


def _score(meeting, role, band):
    return QualityScore.objects.create(
        meeting=meeting,
        rubric=Rubric.objects.first(),
        role=role,
        total=0,
        maximum=100,
        percent={"good": 95, "fair": 80, "average": 60, "poor": 40}[band],
        band=band,
    )


@pytest.fixture
def facts(tree, monkeypatch):
    """Quarter 3 of 2026, seen on 23/11/2026:

    cell (5 official): July regular (all present, 3 spoke, locked in 24 h, submitted
    in 30 h); August regular combined with a thematic session, 100 minutes, member
    absent without reason, one other excused, 1 spoke, minutes never locked;
    September: nothing.
    cell2 (2 official): July, August, September regular (all present, minutes locked
    after 72 h) and a thematic meeting on Hồ Chí Minh's example on 10/09 (locked in
    24 h).
    """
    freeze(monkeypatch)
    s, m, o = tree.secretary, tree.member, tree.others
    july = held(
        tree.cell,
        date(2026, 7, 3),
        spoke={s, m, o[0]},
        submitted_after_hours=30,
    )
    held(
        tree.cell,
        date(2026, 8, 3),
        is_combined=True,
        minutes=100,
        statuses={m: "absent_unexcused", o[0]: "absent_excused"},
        spoke={s},
        locked_after_hours=None,
    )
    august = tree.cell.meetings.get(planned_date=date(2026, 8, 3))
    c2_july = None
    for month in (7, 8, 9):
        meeting = held(tree.cell2, date(2026, month, 3), locked_after_hours=72)
        c2_july = c2_july or meeting
    held(
        tree.cell2,
        date(2026, 9, 10),
        kind=MeetingKind.THEMATIC,
        is_ho_chi_minh_topic=True,
    )
    _score(july, "self", "good")
    _score(july, "supervisor", "fair")
    _score(c2_july, "self", "poor")
    SupervisionReport.objects.create(
        meeting=july,
        cell=tree.cell,
        supervisor=tree.supervisor,
        observations="Nghiêm túc",
        due_on=date(2026, 8, 10),
        submitted_at=datetime(2026, 8, 9, 10, tzinfo=HANOI),
    )
    SupervisionReport.objects.create(
        meeting=august,
        cell=tree.cell,
        supervisor=tree.supervisor,
        observations="",
        due_on=date(2026, 9, 10),
    )
    for raised, status in ((date(2026, 8, 9), "open"), (date(2026, 9, 20), "resolved")):
        Recommendation.objects.create(
            cell=tree.cell,
            meeting=july,
            text="Tăng cường sinh hoạt chuyên đề",
            addressee="Chi bộ",
            responsible="Bí thư",
            status=status,
            raised_on=raised,
        )
    for deadline, outcome in (
        (date(2026, 8, 31), "done_on_time"),
        (date(2026, 9, 30), "not_done"),
        (date(2026, 9, 15), ""),
    ):
        Task.objects.create(
            meeting=july,
            cell=tree.cell,
            text="Việc",
            deadline=deadline,
            outcome=outcome,
        )
    assert rollup.rebuild(years=[2026]) > 0
    return tree


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
        "no_thematic": 0,
        "unexcused": 1,
        "low_attendance": 1,
        "absent_streak": 0,
        "minutes_late": 2,
        "report_late": 1,
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
        "no_thematic": 0,
        "unexcused": 1,
        "low_attendance": 1,
        "absent_streak": 0,
        "minutes_late": 1,
        "report_late": 1,
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
    freeze(monkeypatch)
    held(tree.cell, date(2026, 10, 3))
    held(tree.cell, date(2026, 11, 3))
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
    freeze(monkeypatch)
    for month in (1, 2, 3, 4):
        held(tree.cell, date(2026, month, 3), statuses={tree.member: "absent_excused"})
    held(tree.cell, date(2026, 5, 3))
    rollup.rebuild(years=[2026])
    march = dash.build(tree.cell, dash.Period("month", 2026, 3), today=TODAY)
    assert march.total.flags["absent_streak"] == 0  # 3 in a row is allowed
    april = dash.build(tree.cell, dash.Period("month", 2026, 4), today=TODAY)
    assert april.total.flags["absent_streak"] == 1
    year = dash.build(tree.cell, dash.Period("year", 2026), today=TODAY)
    assert year.total.flags["absent_streak"] == 1


# --- pages ----------------------------------------------------------------------------


def url(name, pk, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(f"evaluations:{name}", args=[pk]) + (f"?{query}" if query else "")


def test_committee_sees_the_ward_with_flags_and_notes(facts, persona_client):
    client = persona_client("committee")
    response = client.get(url("dashboard", facts.ward.pk, period="2026-Q3"))
    assert response.status_code == 200
    html = response.content.decode()
    assert facts.cell.name in html
    assert facts.cell2.name in html
    assert 'data-flag="missed_regular"' in html
    assert html.count('<details class="dash-note">') == len(dash.FIGURES)
    assert "5 / 6" in html
    assert "88,9 %" in html


def test_flag_to_meeting_in_two_clicks(facts, persona_client):
    client = persona_client("committee")
    html = client.get(
        url("dashboard", facts.ward.pk, period="2026-Q3")
    ).content.decode()
    first = url(
        "dashboard-meetings", facts.cell.pk, period="2026-Q3", figure="missed_regular"
    )
    assert first.replace("&", "&amp;") in html
    page = client.get(first).content.decode()
    assert 'data-month="2026-09"' in page
    assert "border-danger" in page
    july = facts.cell.meetings.get(planned_date=date(2026, 7, 3))
    assert july.get_absolute_url() in page


def test_cells_list_behind_a_flag(facts, persona_client):
    client = persona_client("committee")
    page = client.get(
        url("dashboard-cells", facts.ward.pk, period="2026-Q3", figure="few_officials")
    ).content.decode()
    assert facts.cell2.name in page
    assert facts.cell.name not in page


def test_province_root_lists_its_children(facts, persona_client):
    html = (
        persona_client("admin")
        .get(url("dashboard", facts.province.pk, period="2026-Q3"))
        .content.decode()
    )
    assert facts.ward.name in html
    assert facts.bloc.name in html


@pytest.mark.parametrize(
    ("persona", "node", "status"),
    [
        ("committee", "ward", 200),
        ("committee", "cell", 200),
        ("committee", "province", 404),
        ("committee", "other_cell", 404),
        ("secretary", "cell", 200),
        ("secretary", "ward", 404),
        ("supervisor", "cell", 200),
        ("member", "cell", 403),
        ("outsider", "cell", 404),
        ("admin", "province", 200),
    ],
)
def test_reach_and_role(facts, persona_client, persona, node, status):
    client = persona_client(persona)
    for name in ("dashboard", "dashboard-cells", "dashboard-xlsx"):
        response = client.get(url(name, getattr(facts, node).pk, period="2026-Q3"))
        assert response.status_code == status, name


def test_anonymous_is_sent_to_login(facts, client):
    response = client.get(url("dashboard", facts.ward.pk))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_home_redirects_to_the_highest_node(facts, persona_client):
    response = persona_client("committee").get(reverse("evaluations:dashboard-home"))
    assert response["Location"] == reverse(
        "evaluations:dashboard", args=[facts.ward.pk]
    )
    assert (
        persona_client("member").get(reverse("evaluations:dashboard-home")).status_code
        == 403
    )


def test_xlsx_has_the_same_figures_and_flags(facts, persona_client):
    response = persona_client("committee").get(
        url("dashboard-xlsx", facts.ward.pk, period="2026-Q3")
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    with translation.override("vi"):
        regular = str(dash.FIGURE_BY_KEY["regular"].label)
        attendance = str(dash.FIGURE_BY_KEY["attendance"].label)
        missed = str(dash.FLAG_BY_KEY["missed_regular"].label)
        few = str(dash.FLAG_BY_KEY["few_officials"].label)
        flag_labels = {str(flag.label) for flag in dash.FLAGS}
    assert summary[regular] == "5 / 6"
    assert summary[attendance] == "88,9 %"
    assert summary[missed] == 1
    assert summary[few] == 1
    cells = list(book.worksheets[2].iter_rows(values_only=True))
    header = cells[0]
    assert flag_labels <= set(header)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in cells[1:]}
    assert by_name[facts.cell.name][missed] == 1
    assert by_name[facts.cell.name][few] == 0
    assert by_name[facts.cell2.name][few] == 1


def test_pdf_summary(facts, persona_client):
    from pypdf import PdfReader

    response = persona_client("committee").get(
        url("dashboard-pdf", facts.ward.pk, period="2026-Q3")
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert facts.ward.name in text
    assert "5 / 6" in text
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert any(name.endswith("+Chibo-Serif") for name in names), names  # static/fonts


# --- query counts -------------------------------------------------------------------


def _count(client, django_assert_num_queries, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "dashboard",
        "dashboard-cells",
        "dashboard-xlsx",
        "dashboard-pdf",
        "dashboard-meetings",
    ],
)
def test_query_counts_do_not_grow_from_3_to_30_cells(
    tree, monkeypatch, persona_client, django_assert_num_queries, name
):
    freeze(monkeypatch)
    grow(tree.ward, 1)  # ward: cell, cell2 and 1 more = 3 cells
    rollup.rebuild(years=[2026])
    client = persona_client("committee")
    node = tree.cell if name == "dashboard-meetings" else tree.ward
    path = url(name, node.pk, period="2026")
    small = _count(client, django_assert_num_queries, path)
    grow(tree.ward, 27)
    for month in (1, 2):
        held(tree.cell, date(2026, month, 3))
    rollup.rebuild(years=[2026])
    large = _count(client, django_assert_num_queries, path)
    assert small == large
