"""Pages of the admission pipeline: the cell's candidates and probationary members, a
candidate's file and decision, a member's probation and recognition."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chibo import uploads
from members.models import CandidateDocument, MemberStatus
from members.views import apply_errors

from . import selectors, services
from .forms import (
    AdmissionDecisionForm,
    CandidateForm,
    CeremonyForm,
    DecisionForm,
    DocumentForm,
    MentorForm,
    RecognitionFileForm,
    WithdrawForm,
)


@require_http_methods(["GET"])
def pipeline(request, pk):
    cell = selectors.get_cell_for_pipeline(request.user, pk)
    context = {"cell": cell, "org": cell, **selectors.cell_pipeline(cell)}
    return render(request, "members/admission/pipeline.html", context)


@require_http_methods(["GET", "POST"])
def candidate_create(request, pk):
    cell = selectors.get_cell_for_pipeline(request.user, pk)
    form = CandidateForm(
        request.POST or None, cell=cell, initial={"proposed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.propose_candidate(
                cell=cell, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The candidate's file was opened."))
            return redirect(candidate)
    return render(
        request,
        "members/admission/candidate_form.html",
        {"form": form, "cell": cell, "org": cell},
    )


@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    cell = candidate.cell
    if candidate.state != candidate.State.OPEN:
        messages.error(request, _("This candidate's file is closed."))
        return redirect(candidate)
    form = CandidateForm(request.POST or None, instance=candidate, cell=cell)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.get_candidate_for_user(request.user, pk)
        try:
            services.update_candidate(
                candidate=fresh, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(fresh)
    return render(
        request,
        "members/admission/candidate_form.html",
        {"form": form, "cell": cell, "org": cell, "candidate": candidate},
    )


def _candidate_page(request, candidate, *, status=200, **forms):
    cell = candidate.cell
    context = {
        "cell": cell,
        "org": cell,
        **selectors.candidate_file(candidate),
        "document_form": forms.get("document_form") or DocumentForm(),
        "decision_form": forms.get("decision_form") or AdmissionDecisionForm(cell=cell),
        "withdraw_form": forms.get("withdraw_form")
        or WithdrawForm(initial={"on": timezone.localdate()}),
        "is_open": candidate.state == candidate.State.OPEN,
    }
    return render(
        request, "members/admission/candidate_detail.html", context, status=status
    )


@require_http_methods(["GET"])
def candidate_detail(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    return _candidate_page(request, candidate)


@require_POST
def candidate_document_upload(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_candidate_document(
                candidate=candidate,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Document attached."))
            return redirect(candidate)
    return _candidate_page(request, candidate, status=422, document_form=form)


@require_http_methods(["GET"])
def candidate_document_download(request, pk):
    document = get_object_or_404(CandidateDocument, pk=pk)
    selectors.get_candidate_for_user(request.user, document.candidate_id)
    return uploads.download(document.file, content_type=document.content_type)


@require_POST
def candidate_decision(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    form = AdmissionDecisionForm(request.POST, cell=candidate.cell)
    if form.is_valid():
        try:
            member = services.record_admission_decision(
                candidate=candidate, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is admitted as a probationary member. Record the "
                    "ceremony within 30 working days."
                )
                % {"name": member.full_name},
            )
            return redirect("members:probation", pk=member.pk)
    return _candidate_page(request, candidate, status=422, decision_form=form)


@require_POST
def candidate_withdraw(request, pk):
    candidate = selectors.get_candidate_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_candidate(
                candidate=candidate, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The file was closed."))
            return redirect("members:pipeline", pk=candidate.cell_id)
    return _candidate_page(request, candidate, status=422, withdraw_form=form)


def _probation_page(request, member, *, status=200, **forms):
    cell = member.organization
    probation = selectors.member_probation(member)
    today = timezone.localdate()
    context = {
        "member": member,
        "cell": cell,
        "org": cell,
        "probation": probation,
        "path": selectors.admission_path(member),
        "is_probationary": member.status == MemberStatus.PROBATIONARY,
        "ceremony_form": forms.get("ceremony_form")
        or CeremonyForm(cell=cell, initial={"on": today}),
        "mentor_form": forms.get("mentor_form")
        or MentorForm(
            cell=cell,
            initial={
                "on": today,
                "mentor": probation.mentor_id if probation else None,
            },
        ),
        "file_form": forms.get("file_form") or RecognitionFileForm(instance=probation),
        "decision_form": forms.get("decision_form") or DecisionForm(),
    }
    return render(request, "members/admission/probation.html", context, status=status)


def _probation_step(request, member, *, form, key, service, done):
    """Validate `form`, call `service`, back to the probation page; else the page
    again with the form's errors under `key`."""
    if form.is_valid():
        try:
            service(member=member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("members:probation", pk=member.pk)
    return _probation_page(request, member, status=422, **{key: form})


@require_http_methods(["GET", "POST"])
def probation(request, pk):
    member = selectors.get_probation_member_for_user(request.user, pk)
    if request.method == "GET":
        return _probation_page(request, member)
    return _probation_step(
        request,
        member,
        form=RecognitionFileForm(request.POST),
        key="file_form",
        service=services.save_recognition_file,
        done=_("Changes saved."),
    )


@require_POST
def ceremony(request, pk):
    member = selectors.get_probation_member_for_user(request.user, pk)
    return _probation_step(
        request,
        member,
        form=CeremonyForm(request.POST, cell=member.organization),
        key="ceremony_form",
        service=services.record_ceremony,
        done=_("The admission ceremony was recorded."),
    )


@require_POST
def mentor(request, pk):
    member = selectors.get_probation_member_for_user(request.user, pk)
    return _probation_step(
        request,
        member,
        form=MentorForm(request.POST, cell=member.organization),
        key="mentor_form",
        service=services.assign_mentor,
        done=_("Mentor assigned."),
    )


@require_POST
def recognition_decision(request, pk):
    member = selectors.get_probation_member_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_recognition_decision(
                member=member, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is recognised as an official member.")
                % {"name": member.full_name},
            )
            return redirect(member)
    return _probation_page(request, member, status=422, decision_form=form)
