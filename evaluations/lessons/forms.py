"""Forms of the lesson-drawing pages: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.models import SessionKind
from members.api import date_field


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    held_on = date_field(_("Held on"), required=True)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=None)
    model_meetings = forms.ModelMultipleChoiceField(
        label=_("Model meetings"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, chairs, model_meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["model_meetings"].queryset = model_meetings
        self.fields["model_meetings"].label_from_instance = lambda entry: (
            f"{entry.cell.name} — {entry.month:02d}/{entry.year}: {entry.topic}"
        )


class FeedbackForm(forms.Form):
    worked = forms.CharField(
        label=_("What worked"), widget=forms.Textarea(attrs={"rows": 3})
    )
    did_not_work = forms.CharField(
        label=_("What did not work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    will_adopt = forms.CharField(
        label=_("What my cell will adopt (one lesson a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    score = forms.DecimalField(
        label=_("Score on the rubric (out of 100, optional)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
    )


class ConcludeForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Chair's conclusions"), widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("Lessons drawn (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ApplyForm(forms.Form):
    note = forms.CharField(
        label=_("How it was applied"), widget=forms.Textarea(attrs={"rows": 2})
    )
