"""PDF downloads and minute books: decorator → authorising selector → service.

Locked minutes are served from the stored, hash-chained file (never re-rendered);
drafts are rendered on demand with the DỰ THẢO watermark, for cell officers and the
superior committee only. Minute books are built by a worker; the page polls the
job's progress with htmx (and refreshes without JavaScript) until it can be
downloaded.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings import selectors
from meetings.forms import YearForm
from meetings.models import MinuteBookJob, Minutes, MinutesPdf
from members.api import (
    can_manage_tree,
    can_run_meetings,
    get_organization_for_user,
    get_scope,
    org_ancestors,
)

from . import services, verify
from .render import (
    filename_for,
    render_minutes,
    render_resolution,
    render_topic_cover,
)

PDF = "application/pdf"


def _roles(user, cell):
    scope = get_scope(user)
    return {
        "can_manage": can_run_meetings(scope, cell),
        "can_review": can_manage_tree(scope, cell),
    }


def _pdf_response(content, filename, *, inline=False):
    response = HttpResponse(content, content_type=PDF)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def minutes_pdf(request, pk):
    """The minutes as PDF: the stored PDF/A once locked (?version=N for an older
    one), else a draft rendered now with the watermark (officers and committee)."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    if not minutes.is_locked:
        roles = _roles(request.user, meeting.cell)
        if not (roles["can_manage"] or roles["can_review"]):
            raise PermissionDenied
        rendered = render_minutes(meeting, draft=True)
        return _pdf_response(
            rendered.content, filename_for(meeting, "du-thao-bien-ban")
        )
    records = MinutesPdf.objects.filter(
        minutes=minutes, status=MinutesPdf.Status.DONE
    ).order_by("-version")
    version = request.GET.get("version", "")
    if version.isdigit():
        records = records.filter(version=int(version))
    record = records.first()
    if record is None:
        messages.info(
            request,
            _("The PDF of the minutes is being prepared. Try again in a minute."),
        )
        return redirect(meeting)
    response = FileResponse(
        default_storage.open(record.file.name, "rb"),
        content_type=PDF,
        as_attachment=True,
        filename=filename_for(meeting, version=record.version),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = record.sha256
    return response


@require_http_methods(["GET"])
def resolution_pdf(request, pk):
    """The issued resolution (T/M CHI BỘ — BÍ THƯ), or the draft resolution with
    the watermark for officers and the committee while it is not issued."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    detail = selectors.meeting_detail(meeting)
    if detail["resolution"] is None:
        roles = _roles(request.user, meeting.cell)
        if not (roles["can_manage"] or roles["can_review"]):
            raise PermissionDenied
        if not meeting.draft_resolution.strip():
            raise Http404
        name = "du-thao-nghi-quyet"
    else:
        name = "nghi-quyet"
    rendered = render_resolution(meeting)
    return _pdf_response(rendered.content, filename_for(meeting, name))


@require_http_methods(["GET"])
def topic_cover_pdf(request, pk):
    """The cover page of a thematic meeting's topic paper."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    rendered = render_topic_cover(meeting)
    return _pdf_response(rendered.content, filename_for(meeting, "chuyen-de"))


@require_POST
def minutes_pdf_retry(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, action="manage")
    if services.retry_failed(meeting=meeting):
        messages.success(request, _("The PDF will be prepared again."))
    else:
        messages.info(request, _("There is no failed PDF to prepare again."))
    return redirect(meeting)


def _cell_for(user, pk):
    cell = get_organization_for_user(user, pk)
    if not cell.is_cell:
        raise Http404
    return cell


@require_http_methods(["GET"])
def minutes_chain(request, pk):
    """Whether the cell's chain of stored minutes verifies (an htmx fragment)."""
    cell = _cell_for(request.user, pk)
    report = verify.verify_chain(cell.pk)
    return render(
        request,
        "pdf/chain_status.html" if request.htmx else "pdf/chain_page.html",
        {"cell": cell, "report": report, "checked_at": timezone.now()},
    )


def _jobs(user, organization, scope):
    return list(
        MinuteBookJob.objects.filter(
            organization=organization, requested_by=user, scope=scope
        )[:5]
    )


def _book_page(request, organization, *, scope, title, action):
    form = YearForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        job = services.request_minute_book(
            organization=organization,
            year=form.cleaned_data["year"],
            scope=scope,
            by=request.user,
        )
        return redirect("meetings:minute-book-job", pk=job.pk)
    return render(
        request,
        "pdf/minute_book.html",
        {
            "org": organization,
            "cell": organization,
            "ancestors": org_ancestors(organization),
            "form": form,
            "jobs": _jobs(request.user, organization, scope),
            "title": title,
            "action": action,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def minute_book(request, pk):
    """Ask for the minute book of year N of a cell (anyone who reads the cell)."""
    cell = _cell_for(request.user, pk)
    return _book_page(
        request,
        cell,
        scope=MinuteBookJob.Scope.CELL,
        title=_("Minute book of %(cell)s") % {"cell": cell.name},
        action=reverse("meetings:minute-book", args=[cell.pk]),
    )


@require_http_methods(["GET", "POST"])
def minute_books_export(request, pk):
    """A committee official exports the minute books of every cell below (zip)."""
    org = get_organization_for_user(request.user, pk, action="tree")
    return _book_page(
        request,
        org,
        scope=MinuteBookJob.Scope.SUBTREE,
        title=_("Minute books of the cells under %(org)s") % {"org": org.name},
        action=reverse("meetings:minute-books-export", args=[org.pk]),
    )


def _job_for(user, pk):
    """A job is its requester's only (others: 404), while they still read the org."""
    job = get_object_or_404(
        MinuteBookJob.objects.select_related("organization"),
        pk=pk,
        requested_by=user,
    )
    get_organization_for_user(user, job.organization_id)
    return job


@require_http_methods(["GET"])
def minute_book_job(request, pk):
    """The job's progress: a page, and its bar as an htmx fragment while it runs."""
    job = _job_for(request.user, pk)
    template = "pdf/minute_book_job.html"
    if request.htmx:
        template += "#job-progress"
    return render(request, template, {"job": job, "org": job.organization})


@require_http_methods(["GET"])
def minute_book_download(request, pk):
    job = _job_for(request.user, pk)
    if job.status != MinuteBookJob.Status.DONE or not job.file.name:
        raise Http404
    is_zip = job.scope == MinuteBookJob.Scope.SUBTREE
    response = FileResponse(
        default_storage.open(job.file.name, "rb"),
        content_type="application/zip" if is_zip else PDF,
        as_attachment=True,
        filename=f"so-bien-ban-{job.year}-{job.organization_id}"
        + (".zip" if is_zip else ".pdf"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def minutes_pdf_status(request, pk):
    """The meeting's PDF documents card: download links, and for locked minutes the
    stored file's state (being prepared, stored with its SHA-256, or failed — the
    failure is shown to the cell's officers with a button to try again)."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    roles = _roles(request.user, meeting.cell)
    detail = selectors.meeting_detail(meeting)
    minutes = detail["minutes"]
    records = (
        list(MinutesPdf.objects.filter(minutes=minutes).order_by("-version"))
        if minutes is not None and minutes.is_locked
        else []
    )
    latest = records[0] if records else None
    can_see_draft = roles["can_manage"] or roles["can_review"]
    template = "pdf/_documents.html" if request.htmx else "pdf/documents_page.html"
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "minutes": minutes,
            "resolution": detail["resolution"],
            "records": records,
            "latest": latest,
            "stored": [r for r in records if r.status == MinutesPdf.Status.DONE],
            "can_manage": roles["can_manage"],
            "can_see_draft": can_see_draft,
            "show_minutes": minutes is not None
            and (minutes.is_locked or can_see_draft),
            "show_draft_resolution": can_see_draft
            and detail["resolution"] is None
            and bool(meeting.draft_resolution.strip()),
            "polling": latest is not None
            and latest.status == MinutesPdf.Status.PENDING,
        },
    )
