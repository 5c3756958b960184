"""Form of an inspection: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.api import date_field


class InspectionForm(forms.Form):
    inspector = forms.ModelChoiceField(label=_("Inspector"), queryset=None)
    inspected_on = date_field(_("Date"), required=True)
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings examined"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusions = forms.CharField(
        label=_("Conclusions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label=_("Recommendations (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, inspectors, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors
        self.fields["meetings"].queryset = meetings

    def clean_recommendations(self):
        text = self.cleaned_data["recommendations"]
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
