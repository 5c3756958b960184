"""Forms of the model-meeting pages: input checks only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line

MONTHS = [(m, f"{m:02d}") for m in range(1, 13)]


class ModelMeetingForm(forms.Form):
    cell = forms.ModelChoiceField(label=_("Cell"), queryset=None)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int)
    topic = forms.CharField(label=_("Topic"), max_length=255, validators=[single_line])

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells.order_by("cell_type", "name")
        self.fields["cell"].label_from_instance = lambda cell: (
            f"{cell.name} ({cell.get_cell_type_display()})"
        )


class InvitationForm(forms.Form):
    committee_members = forms.MultipleChoiceField(
        label=_("Committee members invited"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee_members"].choices = [
            (p.member_id, p.member.full_name) for p in officials
        ]


class InviteeAttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (i.pk, i.member.full_name) for i in invitations
        ]
        self.fields["present"].initial = [i.pk for i in invitations if i.attended]
