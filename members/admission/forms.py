"""Forms of the admission pipeline: input checks only (rules live in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from members.forms import DatedModelForm, date_field
from members.models import Candidate, Member, MemberStatus, OrgKind, Probation


def official_members(cell):
    return Member.objects.filter(
        organization=cell, is_active=True, status=MemberStatus.OFFICIAL
    ).order_by("full_name", "pk")


class CandidateForm(DatedModelForm):
    class Meta:
        model = Candidate
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "phone",
            "email",
            "residence",
            "workplace",
            "party_group",
            "proposed_on",
            "certificate_date",
            "certificate_issuer",
            "introducer_1",
            "introducer_2",
            "group_opinion",
            "group_opinion_date",
            "mass_org_name",
            "mass_org_opinion",
            "mass_org_opinion_date",
        ]
        widgets = {
            "group_opinion": forms.Textarea(attrs={"rows": 3}),
            "mass_org_opinion": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_on"].required = True
        self.fields["party_group"].queryset = cell.children.filter(
            kind=OrgKind.PARTY_GROUP
        )
        for name in ("introducer_1", "introducer_2"):
            self.fields[name].queryset = official_members(cell)
            self.fields[name].help_text = _("An official member of the cell.")


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, validators=[single_line]
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 20 MB."),
    )


class WithdrawForm(forms.Form):
    on = date_field(_("Date"), required=True)
    reason = forms.CharField(
        label=_("Reason"), max_length=255, validators=[single_line]
    )


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=_("Decision number"), max_length=64, validators=[single_line]
    )
    decided_on = date_field(_("Decision date"), required=True)
    issuer = forms.CharField(
        label=_("Deciding committee"), max_length=255, validators=[single_line]
    )


class AdmissionDecisionForm(DecisionForm):
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("The official member who helps the new member in probation."),
    )

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = official_members(cell)


class CeremonyForm(forms.Form):
    on = date_field(_("Ceremony date"), required=True)
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=Member.objects.none(), required=False
    )

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = official_members(cell)


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Member.objects.none())
    on = date_field(_("Assigned on"), required=True)

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = official_members(cell)


class RecognitionFileForm(DatedModelForm):
    class Meta:
        model = Probation
        fields = [
            "self_review",
            "self_review_date",
            "mentor_opinion",
            "mentor_opinion_date",
            "group_opinion",
            "group_opinion_date",
        ]
        widgets = {
            "self_review": forms.Textarea(attrs={"rows": 4}),
            "mentor_opinion": forms.Textarea(attrs={"rows": 3}),
            "group_opinion": forms.Textarea(attrs={"rows": 3}),
        }
