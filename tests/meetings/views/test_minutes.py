"""The minutes editor: autosave over htmx, bad input, closing after adoption, and
who reads the minutes when."""

from meetings import services
from meetings.models import (
    Minutes,
    VoteKind,
)
from tests.factories.meetings import adopt_and_sign, tree_held
from tests.meetings.views.forms import minutes_post
from tests.support.pages import body, english, meeting_url


def test_member_sees_minutes_only_after_lock(
    member_client, secretary_client, committee_client, tree
):
    # Arrange
    meeting, minutes = tree_held(tree, conclusion="Kết luận riêng của chi bộ")
    services.record_vote(
        minutes=minutes,
        subject="Biểu quyết bí mật",
        kind=VoteKind.RESOLUTION,
        yes=5,
        no=0,
        abstain=0,
    )

    # Act / Assert: before the lock only the cell's officers read the draft
    for client in (member_client, committee_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert "Kết luận riêng của chi bộ" not in page
        assert "Biểu quyết bí mật" not in page
        assert 'id="agenda-heading"' in page
    assert 'id="minutes-conclusion"' in body(
        secretary_client.get(meeting.get_absolute_url())
    )

    adopt_and_sign(minutes, chair=tree.secretary, taker=tree.member)
    services.lock_minutes(minutes=minutes, by=None)

    # after the lock everyone in reach reads them
    for client in (member_client, committee_client):
        page = body(client.get(meeting.get_absolute_url()))
        assert '<p id="minutes-conclusion">Kết luận riêng của chi bộ</p>' in page
        assert "Biểu quyết bí mật" in page


def test_minutes_autosave_returns_status_and_new_version(secretary_client, tree):
    # Arrange
    meeting, minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("minutes-edit", meeting.pk),
        minutes_post(minutes, conclusion="Tự động lưu"),
        HTTP_HX_REQUEST="true",
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert (
        '<input type="hidden" name="version" id="id_version" value="3" '
        'data-hx-swap-oob="true">'
    ) in html
    assert 'id="autosave-status" data-hx-swap-oob="true"' in html
    assert "(version 3)" in html
    assert "<html" not in html
    assert Minutes.objects.get(pk=minutes.pk).conclusion == "Tự động lưu"


def test_minutes_autosave_stale_version_is_409(secretary_client, tree):
    # Arrange: someone saved version 2 → 3 since this editor loaded version 2
    meeting, minutes = tree_held(tree)
    stale = minutes_post(minutes, conclusion="Bản của tôi")
    services.save_minutes(
        minutes=minutes, version=minutes.version, by=None, conclusion="Bản khác"
    )
    english(secretary_client)

    # Act
    htmx = secretary_client.post(
        meeting_url("minutes-edit", meeting.pk), stale, HTTP_HX_REQUEST="true"
    )
    full = secretary_client.post(meeting_url("minutes-edit", meeting.pk), stale)

    # Assert
    assert htmx.status_code == 409
    assert "Someone else saved these minutes (version 3)." in body(htmx)
    assert 'value="3"' in body(htmx)  # the new version for the next try
    assert full.status_code == 409
    assert "Nothing was overwritten" in body(full)
    assert "Bản của tôi" in body(full)  # the typed text is still there
    assert Minutes.objects.get(pk=minutes.pk).conclusion == "Bản khác"


def test_minutes_autosave_invalid_is_422(secretary_client, tree):
    # Arrange
    meeting, minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("minutes-edit", meeting.pk),
        minutes_post(minutes, ended_at="03/11/2026 18:00"),
        HTTP_HX_REQUEST="true",
    )

    # Assert
    assert response.status_code == 422
    assert "Not saved: check the highlighted fields." in body(response)
    assert Minutes.objects.get(pk=minutes.pk).version == minutes.version


def test_minutes_end_before_start_keeps_typed_values(secretary_client, tree):
    # Arrange
    meeting, minutes = tree_held(tree)
    english(secretary_client)

    # Act
    response = secretary_client.post(
        meeting_url("minutes-edit", meeting.pk),
        minutes_post(
            minutes,
            started_at="03/11/2026 21:00",
            ended_at="03/11/2026 19:00",
            conclusion="Nội dung đang gõ",
        ),
    )

    # Assert
    html = body(response)
    assert response.status_code == 200
    assert "The end must be after the start." in html
    assert 'value="03/11/2026 21:00"' in html
    assert 'value="03/11/2026 19:00"' in html
    assert "Nội dung đang gõ" in html
    assert Minutes.objects.get(pk=minutes.pk).version == minutes.version


def test_minutes_editor_closes_after_adoption(secretary_client, tree):
    # Arrange
    meeting, minutes = tree_held(tree)
    services.adopt_minutes(minutes=minutes, by=None)

    # Act
    response = secretary_client.post(
        meeting_url("minutes-edit", meeting.pk),
        minutes_post(minutes, conclusion="Muộn"),
    )

    # Assert
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert Minutes.objects.get(pk=minutes.pk).conclusion != "Muộn"
