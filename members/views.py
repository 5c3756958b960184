"""Views of the members app: decorator → authorising selector → form → service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import exports, hooks, imports, permissions, selectors, services
from .admission import selectors as admission_selectors
from .dues import rules as dues_rules
from .forms import (
    AttachmentForm,
    DeactivateForm,
    EndPeriodForm,
    ExemptionForm,
    LinkedPersonForm,
    MemberForm,
    MemberSearchForm,
    OrganizationForm,
    PositionForm,
    RuleSettingForm,
    SupervisionForm,
    SuspensionForm,
)
from .models import (
    Exemption,
    ImportBatch,
    Member,
    Organization,
    OrgKind,
    Position,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
)
from .org_settings import RULES, value_label


def apply_errors(form, error):
    """Show a service's ValidationError on the form, field by field when it can."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET"])
def home(request):
    context = selectors.home_for_user(request.user)
    my_cell = context["my_cell"]
    if my_cell is not None:
        context["my_cell_summary"] = selectors.cell_summary(my_cell)
    context["managed"] = [
        (cell, selectors.cell_summary(cell)) for cell in context["managed_cells"]
    ]
    context["committee_views"] = [
        (node, selectors.subtree_counts(node)) for node in context["committees"]
    ]
    if context["scope"].is_admin:
        context["roots"] = list(Organization.objects.filter(parent__isnull=True))
    # Panels of the apps above (the evaluations app: tasks and ratings).
    context.update(hooks.home_panels(request.user))
    context["home_templates"] = hooks.home_panel_templates()
    return render(request, "members/home.html", context)


@require_http_methods(["GET"])
def org_tree(request):
    search = request.GET.get("q", "").strip()[:120]
    nodes, truncated = selectors.tree_for_user(request.user, search=search)
    scope = selectors.get_scope(request.user)
    return render(
        request,
        "members/org_tree.html",
        {
            "nodes": nodes,
            "truncated": truncated,
            "q": search,
            "can_add_root": scope.is_admin,
        },
    )


@require_http_methods(["GET"])
def org_detail(request, pk):
    org = selectors.get_organization_for_user(request.user, pk)
    scope = selectors.get_scope(request.user)
    context = {
        "org": org,
        "ancestors": selectors.org_ancestors(org),
        "can_edit": permissions.can_edit_org(scope, org),
        "can_manage": permissions.can_manage_cell(scope, org),
        "can_manage_tree": permissions.can_manage_tree(scope, org),
    }
    if org.kind == OrgKind.PARTY_GROUP:
        context["search_form"] = MemberSearchForm()
        context["members"] = selectors.cell_members(org.parent).filter(party_group=org)
    elif org.is_cell:
        form = MemberSearchForm(request.GET or None)
        status = search = ""
        if form.is_valid():
            status, search = form.cleaned_data["status"], form.cleaned_data["q"]
        context.update(
            search_form=form,
            members=selectors.cell_members(org, status=status, search=search),
            summary=selectors.cell_summary(org),
            groups=list(org.children.filter(kind=OrgKind.PARTY_GROUP)),
            linked=list(org.linked_people.filter(selectors.current_q())),
            supervisions=list(
                org.supervisions.filter(selectors.current_q()).select_related(
                    "supervisor"
                )
            ),
            filtered=bool(status or search),
        )
        # The dues ledger's alert: members with 3 unpaid months this year.
        context["can_read_dues"] = permissions.can_read_dues(scope, org)
        if context["can_read_dues"] and not request.htmx:
            today = timezone.localdate()
            context["dues_alerts"] = dues_rules.year_ledger(
                org, today.year, today=today
            )["alerts"]
            context["dues_year"] = today.year
    else:
        context.update(selectors.subtree_counts(org))
        context["officials"] = list(
            Position.objects.filter(selectors.current_q(), organization=org)
            .select_related("member")
            .order_by("role")
        )
    template = "members/org_detail.html"
    if request.htmx and request.htmx.target == "member-list":
        template += "#member-list"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def org_create(request, pk=None):
    if pk is None:
        if not selectors.get_scope(request.user).is_admin:
            raise PermissionDenied
        parent = None
    else:
        parent = selectors.get_organization_for_user(request.user, pk)
        # Under a cell only party groups: its officers may add them.
        action = "manage" if parent.kind == OrgKind.CELL else "tree"
        parent = selectors.get_organization_for_user(request.user, pk, action=action)
    form = OrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organization(parent=parent, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Organisation created."))
            return redirect(org)
    return render(request, "members/org_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = selectors.get_organization_for_user(request.user, pk, action="edit")
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        try:
            services.update_organization(org=org, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(org)
    return render(request, "members/org_form.html", {"form": form, "org": org})


@require_http_methods(["GET", "POST"])
def org_rules(request, pk):
    org = selectors.get_organization_for_user(request.user, pk)
    scope = selectors.get_scope(request.user)
    settable = {
        key
        for key, rule in RULES.items()
        if permissions.can_set_rule(scope, org, rule.judges)
    }
    can_edit = bool(settable)
    form = RuleSettingForm(
        request.POST or None,
        initial={"valid_from": timezone.localdate()},
        keys=settable,
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.set_rule(
                org=org,
                key=data["key"],
                value=data["parsed_value"],
                valid_from=data["valid_from"],
                source=data["source"],
            )
            messages.success(request, _("Setting saved."))
            return redirect("members:org-rules", pk=org.pk)
    effective = selectors.effective_rules(org)
    ancestors = {a.pk: a for a in selectors.org_ancestors(org)}
    ancestors[org.pk] = org
    rows = [
        {
            "key": key,
            "label": dict(RuleSettingForm.base_fields["key"].choices)[key],
            "value": info["value"],
            "value_label": value_label(key, info["value"]),
            "source": info["source"],
            "set_on": ancestors.get(info["set_on"]),
            "valid_from": info["valid_from"],
            "own": info["set_on"] == org.pk,
            "can_set": key in settable,
            "judges": RULES[key].judges,
            "kind": RULES[key].kind,
        }
        for key, info in effective.items()
    ]
    return render(
        request,
        "members/org_rules.html",
        {"org": org, "rows": rows, "form": form, "can_edit": can_edit},
    )


@require_POST
def org_rule_clear(request, pk, key):
    org = selectors.get_organization_for_user(request.user, pk, action="edit")
    if key not in RULES:
        raise Http404
    scope = selectors.get_scope(request.user)
    if not permissions.can_set_rule(scope, org, RULES[key].judges):
        raise PermissionDenied
    services.clear_rule(org=org, key=key)
    messages.success(request, _("The inherited value applies again."))
    return redirect("members:org-rules", pk=org.pk)


def _position_candidates(org):
    if org.kind == OrgKind.PARTY_GROUP:
        return Member.objects.filter(organization_id=org.parent_id, is_active=True)
    if org.kind == OrgKind.CELL:
        return Member.objects.filter(organization=org, is_active=True)
    # Officials of a committee are party members of the cells below it.
    return Member.objects.filter(
        organization__path__startswith=org.path, is_active=True
    ).select_related("organization")


@require_http_methods(["GET", "POST"])
def position_add(request, pk):
    org = selectors.get_organization_for_user(request.user, pk, action="edit")
    form = PositionForm(
        request.POST or None,
        org=org,
        members=_position_candidates(org),
        initial={"start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        position = form.save(commit=False)
        position.organization = org
        try:
            services.save_position(position=position, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Position recorded."))
            return redirect(org)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "org": org, "title": _("Add a position")},
    )


@require_http_methods(["GET", "POST"])
def position_end(request, pk):
    position = get_object_or_404(Position.objects.select_related("organization"), pk=pk)
    org = selectors.get_organization_for_user(
        request.user, position.organization_id, action="edit"
    )
    return _end_period(request, position, org, redirect_to=org)


@require_http_methods(["GET", "POST"])
def supervision_add(request, pk):
    cell = selectors.get_organization_for_user(request.user, pk, action="tree")
    if not cell.is_cell:
        raise Http404
    # Officials of the committee above follow its cells; offer its subtree's members.
    supervisors = Member.objects.filter(
        is_active=True, organization__path__startswith=(cell.parent or cell).path
    ).select_related("organization")
    form = SupervisionForm(
        request.POST or None,
        supervisors=supervisors,
        initial={"start": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        assignment.cell = cell
        try:
            services.save_period(
                instance=assignment, by=request.user, overlap_extra={"cell": cell}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Supervisor assigned."))
            return redirect(cell)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "org": cell, "title": _("Assign a supervisor")},
    )


@require_http_methods(["GET", "POST"])
def supervision_end(request, pk):
    assignment = get_object_or_404(SupervisionAssignment, pk=pk)
    cell = selectors.get_organization_for_user(
        request.user, assignment.cell_id, action="tree"
    )
    return _end_period(request, assignment, cell, redirect_to=cell)


@require_http_methods(["GET", "POST"])
def linked_add(request, pk):
    cell = selectors.get_organization_for_user(request.user, pk, action="manage")
    if not cell.is_cell:
        raise Http404
    form = LinkedPersonForm(
        request.POST or None, initial={"start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.residence_cell = cell
        person.full_clean()
        person.save()
        messages.success(request, _("Linked resident added."))
        return redirect(cell)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "org": cell, "title": _("Add a linked resident (QĐ 213)")},
    )


@require_http_methods(["GET", "POST"])
def member_create(request, pk):
    cell = selectors.get_organization_for_user(request.user, pk, action="manage")
    if not cell.is_cell:
        raise Http404
    form = MemberForm(request.POST or None, cell=cell)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(
                cell=cell, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was added to the cell.") % {"name": member}
            )
            return redirect(cell)
    return render(request, "members/member_form.html", {"form": form, "cell": cell})


@require_http_methods(["GET"])
def member_detail(request, pk):
    member = selectors.get_member_for_user(request.user, pk)
    scope = selectors.get_scope(request.user)
    context = {
        "member": member,
        "standing": selectors.member_standing(member),
        "can_edit": permissions.can_manage_member(scope, member.organization),
        "party_age": selectors.party_age(member),
        "probation_end": selectors.probation_end(member),
        "path": admission_selectors.admission_path(member),
        **selectors.member_history(member),
        "extra_history": hooks.member_history_rows(member),
    }
    return render(request, "members/member_detail.html", context)


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = selectors.get_member_for_user(request.user, pk, write=True)
    cell = member.organization
    form = MemberForm(request.POST or None, instance=member, cell=cell)
    if request.method == "POST" and form.is_valid():
        fresh = Member.objects.get(pk=member.pk)
        try:
            services.update_member(member=fresh, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(fresh)
    return render(
        request,
        "members/member_form.html",
        {"form": form, "cell": cell, "member": member},
    )


@require_http_methods(["GET", "POST"])
def member_deactivate(request, pk):
    member = selectors.get_member_for_user(request.user, pk, write=True)
    form = DeactivateForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_member(
                member=member,
                by=request.user,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The member was deactivated."))
            return redirect(member)
    return render(
        request,
        "members/period_form.html",
        {
            "form": form,
            "member": member,
            "org": member.organization,
            "title": _("Deactivate %(name)s") % {"name": member},
        },
    )


@require_POST
def member_reactivate(request, pk):
    member = selectors.get_member_for_user(request.user, pk, write=True)
    try:
        services.reactivate_member(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member is active again."))
    return redirect(member)


PERIOD_KINDS = {
    "exemption": (Exemption, ExemptionForm, _("Record an exemption")),
    "suspension": (Suspension, SuspensionForm, _("Record a suspension")),
    "attachment": (
        TemporaryAttachment,
        AttachmentForm,
        _("Record a temporary attachment"),
    ),
}


@require_http_methods(["GET", "POST"])
def member_period_add(request, pk, kind):
    if kind not in PERIOD_KINDS:
        raise Http404
    member = selectors.get_member_for_user(request.user, pk, write=True)
    _model, form_class, title = PERIOD_KINDS[kind]
    form = form_class(request.POST or None, initial={"start": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        period = form.save(commit=False)
        period.member = member
        try:
            services.save_period(instance=period, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(member)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "member": member, "org": member.organization, "title": title},
    )


@require_http_methods(["GET", "POST"])
def member_period_end(request, pk, kind, period_pk):
    if kind not in PERIOD_KINDS:
        raise Http404
    member = selectors.get_member_for_user(request.user, pk, write=True)
    model = PERIOD_KINDS[kind][0]
    period = get_object_or_404(model, pk=period_pk, member=member)
    return _end_period(request, period, member.organization, redirect_to=member)


def _end_period(request, period, org, *, redirect_to):
    form = EndPeriodForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_period(
                instance=period, on=form.cleaned_data["end"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The period was closed."))
            return redirect(redirect_to)
    return render(
        request,
        "members/period_form.html",
        {"form": form, "org": org, "title": _("End: %(what)s") % {"what": period}},
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, pk):
    org = selectors.get_organization_for_user(request.user, pk, action="manage")
    form = imports.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = imports.stage_import(
            org=org, upload=form.cleaned_data["file"], by=request.user
        )
        return redirect("members:import-preview", pk=org.pk, batch=batch.pk)
    return render(request, "members/import_upload.html", {"org": org, "form": form})


@require_http_methods(["GET", "POST"])
def import_preview(request, pk, batch):
    org = selectors.get_organization_for_user(request.user, pk, action="manage")
    batch = get_object_or_404(
        ImportBatch, pk=batch, organization=org, kind=ImportBatch.Kind.MEMBERS
    )
    if batch.created_by_id != request.user.pk:
        raise Http404
    plan = imports.plan_import(batch)
    if request.method == "POST":
        if batch.status != ImportBatch.Status.STAGED:
            messages.error(request, _("This import was already processed."))
            return redirect(org)
        try:
            result = imports.commit_import(batch=batch, by=request.user)
        except imports.ImportRejectedError as rejected:
            plan = rejected.plan
            messages.error(
                request, _("Nothing was imported: fix the rows listed below.")
            )
        else:
            messages.success(
                request,
                _("Import finished: %(created)s added, %(updated)s updated.") % result,
            )
            return redirect(org)
    return render(
        request,
        "members/import_preview.html",
        {"org": org, "batch": batch, "plan": plan},
    )


@never_cache  # personal data: no copy in any cache
@require_http_methods(["GET"])
def export_members(request, pk):
    org = selectors.get_organization_for_user(request.user, pk, action="manage")
    content = exports.members_xlsx(org)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"dang-vien-{org.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    """Liveness for load balancers and docker healthchecks: the database answers."""
    Organization.objects.exists()
    return HttpResponse("ok", content_type="text/plain")
