"""Form of a residence comment: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ResidenceCommentForm(forms.Form):
    exemplary_role = forms.CharField(
        label=_("Exemplary role at home and in the area"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    participation = forms.CharField(
        label=_("Participation in local activities"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
