"""The larger-text setting: a visible control in the header and a preferences page,
kept on the account, making every page bigger."""

import pytest
from django.conf import settings
from django.urls import reverse

from members.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_header_button_turns_larger_text_on_and_returns_to_the_page(
    persona_client, users, tree
):
    client = persona_client("member")
    page = reverse("members:member-detail", args=[tree.member.pk])
    html = client.get(page).content.decode()
    assert '<html lang="vi">' in html
    assert 'id="text-size-toggle"' in html
    assert 'aria-pressed="false"' in html

    response = client.post(
        reverse("members:preferences"), {"large_text": "on", "next": page}
    )

    assert response.status_code == 302
    assert response["Location"] == page
    users.member.refresh_from_db()
    assert users.member.large_text is True
    html = client.get(page).content.decode()
    assert '<html lang="vi" class="large-text">' in html
    assert 'aria-pressed="true"' in html


def test_every_page_is_larger_once_set(persona_client, users, tree):
    users.secretary.large_text = True
    users.secretary.save(update_fields=["large_text"])
    client = persona_client("secretary")

    for url in (
        reverse("home"),
        reverse("members:org-detail", args=[tree.cell.pk]),
        reverse("meetings:my-meetings"),
        reverse("members:preferences"),
    ):
        assert 'class="large-text"' in client.get(url).content.decode()


def test_turning_it_off_from_the_preferences_page(persona_client, users):
    users.member.large_text = True
    users.member.save(update_fields=["large_text"])
    client = persona_client("member")
    assert "checked" in client.get(reverse("members:preferences")).content.decode()

    response = client.post(reverse("members:preferences"), {})

    assert response["Location"] == reverse("members:preferences")
    users.member.refresh_from_db()
    assert users.member.large_text is False
    page = client.get(response["Location"]).content.decode()
    assert "Đã tắt chữ lớn" in page or "Larger text is off" in page
    assert 'class="large-text"' not in page


def test_next_outside_the_site_is_ignored(persona_client, users):
    response = persona_client("member").post(
        reverse("members:preferences"),
        {"large_text": "on", "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("members:preferences")


def test_a_display_preference_is_not_an_audited_party_record(persona_client, users):
    before = AuditEntry.objects.count()

    persona_client("member").post(reverse("members:preferences"), {"large_text": "on"})

    assert AuditEntry.objects.count() == before


def test_the_stylesheet_scales_the_root_font():
    css = (settings.BASE_DIR / "static" / "css" / "chibo.css").read_text()

    assert "html.large-text { font-size: 125%; }" in css
