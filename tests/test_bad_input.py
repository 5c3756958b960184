"""Hostile and random input never causes a 500, never stores half of something, and
what is stored is NFC without control characters (property-based, hypothesis)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from meetings import services as meeting_services
from meetings.models import ExcuseRequest, Meeting, Vote
from members.models import Member, RuleSetting
from tests.support.hostile import NUMBER, SETTINGS, TEXT, assert_clean


@pytest.fixture
def secretary(persona_client, tree):
    return persona_client("secretary")


@SETTINGS
@given(name=TEXT, birth=TEXT, card=TEXT, phone=TEXT, email=TEXT, status=TEXT)
def test_member_form_survives_anything(
    secretary, tree, name, birth, card, phone, email, status
):
    before = Member.objects.count()
    response = secretary.post(
        reverse("members:member-create", args=[tree.cell.pk]),
        {
            "full_name": name,
            "birth_date": birth,
            "party_card_number": card,
            "phone": phone,
            "email": email,
            "status": status,
            "gender": status,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Member.objects.count() == before
    else:
        created = Member.objects.latest("pk")
        assert Member.objects.count() == before + 1
        assert_clean(created.full_name)
        assert_clean(created.party_card_number)


@SETTINGS
@given(key=TEXT, value=NUMBER, valid_from=TEXT, source=TEXT)
def test_rule_form_survives_anything(secretary, tree, key, value, valid_from, source):
    before = RuleSetting.objects.count()
    response = secretary.post(
        reverse("members:org-rules", args=[tree.cell.pk]),
        {"key": key, "value": value, "valid_from": valid_from, "source": source},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert RuleSetting.objects.count() == before


@SETTINGS
@given(kind=TEXT, starts=TEXT, place=TEXT, topic=TEXT)
def test_meeting_form_survives_anything(secretary, tree, kind, starts, place, topic):
    before = Meeting.objects.count()
    response = secretary.post(
        reverse("meetings:meeting-create", args=[tree.cell.pk]),
        {"kind": kind, "starts_at": starts, "place": place, "topic": topic},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert Meeting.objects.count() == before
    else:
        assert_clean(Meeting.objects.latest("pk").topic)


@SETTINGS
@given(subject=TEXT, yes=NUMBER, no=NUMBER, abstain=NUMBER, kind=TEXT)
def test_vote_form_survives_anything(
    secretary, started_meeting, subject, yes, no, abstain, kind
):
    before = Vote.objects.count()
    response = secretary.post(
        reverse("meetings:vote-add", args=[started_meeting.pk]),
        {"subject": subject, "yes": yes, "no": no, "abstain": abstain, "kind": kind},
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert Vote.objects.count() == before


@SETTINGS
@given(starts=TEXT, ends=TEXT, conclusion=TEXT, opening=TEXT, chair=NUMBER)
def test_minutes_editor_survives_anything(
    secretary, started_meeting, starts, ends, conclusion, opening, chair
):
    minutes = started_meeting.minutes
    minutes.refresh_from_db()
    response = secretary.post(
        reverse("meetings:minutes-edit", args=[started_meeting.pk]),
        {
            "version": minutes.version,
            "started_at": starts,
            "ended_at": ends,
            "conclusion": conclusion,
            "opening": opening,
            "chair": chair,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code in (200, 409, 422)
    minutes.refresh_from_db()
    assert_clean(minutes.conclusion)


@SETTINGS
@given(reason=TEXT)
def test_excuse_request_survives_anything(persona_client, tree, users, reason):
    meeting = Meeting.objects.filter(cell=tree.cell, state="planned").first()
    if meeting is None:
        meeting = meeting_services.create_meeting(
            cell=tree.cell,
            kind="extraordinary",
            starts_at=timezone.now() + timedelta(days=3),
            by=users.secretary,
        )
    response = persona_client("member").post(
        reverse("meetings:excuse-request", args=[meeting.pk]), {"reason": reason}
    )
    assert response.status_code == 302
    excuse = ExcuseRequest.objects.filter(meeting=meeting, member=tree.member).first()
    if excuse is not None:
        assert_clean(excuse.reason)


@SETTINGS
@given(query=TEXT, status=TEXT)
def test_search_pages_survive_anything(secretary, tree, query, status):
    for url in (
        reverse("members:org-tree"),
        reverse("members:org-detail", args=[tree.cell.pk]),
        reverse("meetings:my-meetings"),
        reverse("meetings:plan", args=[tree.cell.pk]),
        reverse("meetings:books", args=[tree.cell.pk]),
    ):
        response = secretary.get(url, {"q": query, "status": status, "year": query})
        assert response.status_code == 200


@SETTINGS
@given(content=st.binary(max_size=4096), name=st.sampled_from(["a.xlsx", "a.csv"]))
def test_import_upload_survives_any_file(secretary, tree, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = Member.objects.count()
    response = secretary.post(
        reverse("members:import-upload", args=[tree.cell.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        preview = secretary.get(response.url)
        assert preview.status_code == 200
    assert Member.objects.count() == before


def test_stored_markup_is_shown_escaped(secretary, tree):
    secretary.post(
        reverse("members:member-create", args=[tree.cell.pk]),
        {"full_name": "<script>alert(1)</script>", "status": "probationary"},
    )

    page = secretary.get(reverse("members:org-detail", args=[tree.cell.pk]))

    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_a_nul_in_a_search_is_not_a_500(users, persona_client, settings):
    """GET /org/?q=%00 reached PostgreSQL, which refuses NUL (also in production)."""
    settings.DEBUG = False
    client = persona_client("committee")

    response = client.get("/org/?q=%00Kh%E1%BB%91i")

    assert response.status_code == 200
    assert response.context["q"] == "Khối"


def test_a_next_that_is_not_a_local_path_is_ignored(users, persona_client):
    client = persona_client("member")

    for target in ("abc", "//evil.example/", "https://evil.example/", "javascript:x"):
        response = client.post(
            "/account/preferences/", {"large_text": "on", "next": target}
        )
        assert response.status_code == 302
        assert response["Location"] == "/account/preferences/"

    back = client.post("/account/preferences/", {"next": "/meetings/"})
    assert back["Location"] == "/meetings/"


def test_invisible_characters_never_reach_a_stored_name(tree, persona_client):
    """U+202E and U+200B typed into a form are removed like control characters."""
    from chibo.middleware import clean_text

    assert clean_text("Nguyễn\u200b Văn\u202e A\ufeff") == "Nguyễn Văn A"
    assert clean_text("dòng\r\nhai\ttab") == "dòng\r\nhai\ttab"
