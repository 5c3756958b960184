"""The residence cell's yearly comments on its linked residents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members import permissions, selectors
from members.models import LinkedPerson

from . import selectors as residence_selectors
from . import services
from .forms import ResidenceCommentForm


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_http_methods(["GET", "POST"])
def residence_comments(request, pk):
    cell = selectors.get_organization_for_user(request.user, pk)
    if not cell.is_cell:
        raise Http404
    scope = selectors.get_scope(request.user)
    can_comment = permissions.can_manage_cell(scope, cell)
    year = _year(request)
    errors = {}
    if request.method == "POST":
        if not can_comment:
            raise PermissionDenied
        link = LinkedPerson.objects.filter(
            residence_cell=cell, pk=request.POST.get("link", "0") or 0
        ).first()
        if link is None:
            raise Http404
        form = ResidenceCommentForm(request.POST)
        if form.is_valid():
            services.save_residence_comment(
                link=link, year=year, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Comment saved."))
            return redirect(f"{request.path}?year={year}")
        errors[link.pk] = form
    links = residence_selectors.links_with_comments(cell, year)
    for link in links:
        link.form = errors.get(link.pk) or ResidenceCommentForm(
            initial={
                "exemplary_role": link.comment.exemplary_role if link.comment else "",
                "participation": link.comment.participation if link.comment else "",
            },
            prefix=None,
        )
    return render(
        request,
        "members/residence_comments.html",
        {"cell": cell, "year": year, "links": links, "can_comment": can_comment},
        status=400 if errors else 200,
    )
