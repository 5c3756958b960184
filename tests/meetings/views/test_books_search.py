"""Searching one's meetings, and the minute and resolution books."""

from meetings import services
from tests.factories.meetings import make_meeting, tree_held, tree_locked
from tests.factories.times import at
from tests.support.pages import body, meeting_url


def test_my_meetings_search_finds_by_conclusion(member_client, tree):
    # Arrange
    roads, _ = tree_locked(
        tree,
        conclusion="Vận động làm đường bê tông",
        topic="Tháng 10",
        starts_at=at(2026, 10, 3),
    )
    storm, _ = tree_locked(
        tree,
        conclusion="Phòng chống bão lụt",
        topic="Tháng 11",
        starts_at=at(2026, 11, 3),
    )
    upcoming = make_meeting(tree.cell, starts_at=at(2026, 12, 3), topic="Tháng 12")

    # Act
    found = body(member_client.get(meeting_url("my-meetings") + "?q=bão lụt"))
    everything = body(member_client.get(meeting_url("my-meetings")))
    nothing = body(member_client.get(meeting_url("my-meetings") + "?q=không có"))

    # Assert
    records = found.split('id="records"')[1]
    assert storm.get_absolute_url() in records
    assert roads.get_absolute_url() not in records
    all_records = everything.split('id="records"')[1]
    assert all_records.index(storm.get_absolute_url()) < all_records.index(
        roads.get_absolute_url()
    )  # newest first
    assert upcoming.get_absolute_url() in everything.split('id="records"')[0]
    assert "/meetings/" not in nothing.split('id="records"')[1].split("</ul>")[0]


def test_books_list_locked_minutes_and_resolution_numbers(member_client, tree):
    # Arrange
    first, _ = tree_locked(tree, topic="Họp tháng 10", starts_at=at(2026, 10, 3))
    second, _ = tree_locked(tree, topic="Họp tháng 11", starts_at=at(2026, 11, 3))
    draft, _ = tree_held(tree)
    services.issue_resolution(meeting=first, title="NQ tháng 10", text="…", by=None)
    services.issue_resolution(meeting=second, title="NQ tháng 11", text="…", by=None)

    # Act
    html = body(member_client.get(meeting_url("books", tree.cell.pk)))

    # Assert
    minute_book = html.split('id="minute-book"')[1].split("</table>")[0]
    assert minute_book.index(first.get_absolute_url()) < minute_book.index(
        second.get_absolute_url()
    )
    assert draft.get_absolute_url() not in minute_book
    resolution_book = html.split('id="resolution-book"')[1]
    assert "<strong>Số 01-NQ/CB</strong> (03/10/2026)" in resolution_book
    assert "<strong>Số 02-NQ/CB</strong> (03/11/2026)" in resolution_book


def test_books_with_an_impossible_year_does_not_fail(member_client, tree):
    # Act
    response = member_client.get(meeting_url("books", tree.cell.pk) + "?year=10000")

    # Assert
    assert response.status_code == 200
    assert response.context["year"] is None


def test_books_filter_by_year(member_client, tree):
    # Arrange
    old, _ = tree_locked(tree, starts_at=at(2025, 12, 3))
    new, _ = tree_locked(tree, starts_at=at(2026, 1, 5))

    # Act
    html = body(member_client.get(meeting_url("books", tree.cell.pk) + "?year=2026"))

    # Assert
    minute_book = html.split('id="minute-book"')[1].split("</table>")[0]
    assert new.get_absolute_url() in minute_book
    assert old.get_absolute_url() not in minute_book
