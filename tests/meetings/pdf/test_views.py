"""PDF downloads and minute-book pages per persona, with constant queries
(meetings/pdf/views.py)."""

from django.urls import reverse

from meetings import pdf, services
from meetings.models import MinuteBookJob, Minutes, MinutesPdf
from tests.factories.meetings import full_meeting
from tests.support.pdf import stored, text_of

# Queries of the meeting's PDF card and of the cell's chain status (constant).
QUERIES_STATUS = 13
QUERIES_CHAIN = 7


def test_minute_book_form_refuses_a_bad_year(tree, users, persona_client):
    response = persona_client("member").post(
        reverse("meetings:minute-book", args=[tree.cell.pk]), {"year": "20x6"}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="20x6"' in body
    assert MinuteBookJob.objects.count() == 0


def test_draft_minutes_only_for_officers_and_committee(tree, users, persona_client):
    meeting = full_meeting(tree, users, lock=False, tasks=False)
    url = reverse("meetings:minutes-pdf", args=[meeting.pk])

    got = {
        persona: persona_client(persona).get(url).status_code
        for persona in ("secretary", "member", "committee", "supervisor", "outsider")
    }

    assert got == {
        "secretary": 200,
        "member": 403,
        "committee": 200,
        "supervisor": 403,
        "outsider": 404,
    }
    response = persona_client("secretary").get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "DỰ THẢO" in text_of(response.content)


def test_locked_minutes_not_stored_yet_redirect_with_a_message(
    tree, users, persona_client
):
    meeting = full_meeting(tree, users, tasks=False)

    response = persona_client("member").get(
        reverse("meetings:minutes-pdf", args=[meeting.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert stored(meeting).status == MinutesPdf.Status.PENDING


def test_pdf_pages_queries_do_not_grow(
    tree, users, persona_client, django_assert_num_queries
):
    meeting = full_meeting(tree, users, tasks=False)
    minutes = Minutes.objects.get(meeting=meeting)
    client = persona_client("secretary")
    status_url = reverse("meetings:minutes-pdf-status", args=[meeting.pk])
    chain_url = reverse("meetings:minutes-chain", args=[tree.cell.pk])

    for versions in (1, 3):
        while MinutesPdf.objects.filter(minutes=minutes).count() < versions:
            addendum = services.add_addendum(
                minutes=minutes, text="Bổ sung.", by=users.secretary
            )
            services.sign_addendum(addendum=addendum, user=users.secretary)
            services.sign_addendum(addendum=addendum, user=users.member)
        pdf.render_pending(cell_id=tree.cell.pk)

        with django_assert_num_queries(QUERIES_STATUS):
            page = client.get(status_url, headers={"HX-Request": "true"})
        with django_assert_num_queries(QUERIES_CHAIN):
            chain = client.get(chain_url, headers={"HX-Request": "true"})

        assert page.content.decode().count("?version=") == (
            versions if versions > 1 else 0
        )
        assert f"đã kiểm tra {versions} tệp" in chain.content.decode()


def test_failed_pdf_box_says_what_to_do_not_the_exception(tree, users, persona_client):
    meeting = full_meeting(tree, users, tasks=False)
    MinutesPdf.objects.filter(minutes__meeting=meeting).update(
        status=MinutesPdf.Status.FAILED,
        last_error="NotADirectoryError: [Errno 20] Not a directory: '/media'",
    )

    html = (
        persona_client("secretary")
        .get(reverse("meetings:minutes-pdf-status", args=[meeting.pk]))
        .content.decode()
    )

    assert "NotADirectoryError" not in html
    assert "Errno" not in html
    assert (
        "Hãy bấm thử lại bên dưới; nếu vẫn không được, xin báo quản trị viên "
        "(chi tiết lỗi được ghi trong nhật ký máy chủ)." in html
    )
    assert reverse("meetings:minutes-pdf-retry", args=[meeting.pk]) in html


def test_failed_minute_book_says_what_to_do_not_the_exception(
    tree, users, persona_client
):
    job = MinuteBookJob.objects.create(
        organization=tree.cell,
        year=2026,
        status=MinuteBookJob.Status.FAILED,
        error="OSError: disk full",
        requested_by=users.secretary,
    )

    html = (
        persona_client("secretary")
        .get(reverse("meetings:minute-book-job", args=[job.pk]))
        .content.decode()
    )

    assert "OSError" not in html
    assert "Hãy yêu cầu lại; nếu vẫn không được, xin báo quản trị viên" in html
