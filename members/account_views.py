"""The user's own display preferences (larger text for older members)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods


class PreferencesForm(forms.Form):
    large_text = forms.BooleanField(
        label=gettext_lazy("Larger text on every page"),
        help_text=gettext_lazy(
            "Makes letters, buttons and tables bigger, for easier reading."
        ),
        required=False,
    )


def _safe_next(request):
    """The local page to go back to, or "" (a URL path on this site only: `next=abc`
    or another host is ignored)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def preferences(request):
    """Show and save the user's display preferences; the header's larger-text
    button posts here too and goes back to the page it came from."""
    user = request.user
    # An unticked box sends nothing: a POST is bound even when it is empty.
    data = request.POST if request.method == "POST" else None
    form = PreferencesForm(data, initial={"large_text": user.large_text})
    if request.method == "POST" and form.is_valid():
        user.large_text = form.cleaned_data["large_text"]
        user.save(update_fields=["large_text"])
        messages.success(
            request,
            _("Larger text is on.") if user.large_text else _("Larger text is off."),
        )
        return redirect(_safe_next(request) or reverse("members:preferences"))
    return render(request, "members/preferences.html", {"form": form})
