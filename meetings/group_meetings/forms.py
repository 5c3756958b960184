"""Form of a party-group meeting: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.api import date_field


class GroupMeetingForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Party group"), queryset=None)
    held_on = date_field(_("Date"), required=True)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 3})
    )
    committee_member = forms.ModelChoiceField(
        label=_("Cell committee member attending"), queryset=None, required=False
    )

    def __init__(self, *args, groups, members, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["attendees"].queryset = members
        self.fields["committee_member"].queryset = committee
