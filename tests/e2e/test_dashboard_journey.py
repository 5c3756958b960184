"""The committee's compliance dashboard in a real browser: a red flag on the cell that
missed its meetings, down to that cell and month, and the .xlsx download."""

from datetime import date

import pytest
from openpyxl import load_workbook

from evaluations import dashboard as dash
from evaluations.dashboard import rollup
from evaluations.dashboard.periods import add_months, current_month
from tests.factories.facts import held_on

pytestmark = pytest.mark.e2e


def test_committee_follows_a_red_flag_to_the_month_and_downloads_the_table(
    page, login, screenshot, tree, users, tmp_path
):
    this = current_month()
    last = add_months(this, -1)
    # cell2 holds every regular meeting of the year; cell holds none but this month's.
    for month in range(1, this.month):
        held_on(tree.cell2, date(this.year, month, 3))
    held_on(tree.cell, this.replace(day=3))
    rollup.rebuild(years=[this.year])

    login("committee")
    page.goto("/evaluations/dashboard/")
    page.wait_for_url(f"**/evaluations/dashboard/{tree.ward.pk}/")
    main = page.locator("main")
    assert tree.ward.name in main.locator("h1").inner_text()
    row = page.locator(f"#children tr[data-org='{tree.cell.pk}']")
    flag = row.locator("a[data-flag='missed_regular']")
    assert flag.count() == 1
    assert f"×{this.month - 1}" in flag.inner_text()  # every ended month missed
    assert (
        page.locator(
            f"#children tr[data-org='{tree.cell2.pk}'] a[data-flag='missed_regular']"
        ).count()
        == 0
    )
    screenshot("dashboard-ward")

    # First click: the flag opens the cell's meetings, the missed months in red.
    flag.click()
    page.wait_for_url(f"**/evaluations/dashboard/{tree.cell.pk}/meetings/**")
    missed = page.locator(f"section[data-month='{last:%Y-%m}']")
    assert "border-danger" in missed.get_attribute("class")
    assert missed.locator("[data-flag='missed_regular']").count() == 1
    # The meeting that was held this month is one click away.
    current = page.locator(f"section[data-month='{this:%Y-%m}'] a").first
    assert "/meetings/" in current.get_attribute("href")

    # Back on the dashboard, the heatmap square of that cell and month drills down.
    page.go_back()
    square = (
        f"[href*='/dashboard/{tree.cell.pk}/meetings/'][href*='month={last:%Y-%m}']"
    )
    page.locator(f"#heatmap a{square}").click()
    page.wait_for_url(f"**month={last:%Y-%m}")
    sections = page.locator("section[data-month]")
    assert sections.count() == 1
    assert "border-danger" in sections.first.get_attribute("class")
    screenshot("dashboard-cell-month")

    # The table as .xlsx, with the same flags.
    page.go_back()
    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx"
    book = load_workbook(path)
    from django.utils import translation

    with translation.override("vi"):
        missed_label = str(dash.FLAG_BY_KEY["missed_regular"].label)
    rows = list(book.worksheets[2].iter_rows(values_only=True))
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name[tree.cell.name][missed_label] == this.month - 1
    assert by_name[tree.cell2.name][missed_label] == 0
