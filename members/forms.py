"""Forms of the members app: input checks only; rules live in services and domain."""

from datetime import time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Exemption,
    LinkedPerson,
    Member,
    MemberStatus,
    Organization,
    OrgKind,
    Position,
    PositionRole,
    RuleKey,
    SupervisionAssignment,
    Suspension,
    TemporaryAttachment,
)
from .org_settings import RULES, SHIFT_CHOICES, RuleType
from .services import ALLOWED_CHILDREN


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: the same in every browser and language."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "class": "js-date",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


class DatedModelForm(forms.ModelForm):
    """Uses the dd/mm/yyyy widget for every date field; a period's end before its
    start is an error on the end field (not a whole-form constraint message)."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.input_formats = ["%d/%m/%Y", "%Y-%m-%d"]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "is_grassroots", "cell_type", "code", "place"]

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["kind"].disabled = True
        else:
            allowed = ALLOWED_CHILDREN[parent.kind if parent else None]
            self.fields["kind"].choices = [
                (value, label) for value, label in OrgKind.choices if value in allowed
            ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == OrgKind.CELL and not data.get("cell_type"):
            self.add_error("cell_type", _("Choose the type of the cell."))
        if kind != OrgKind.CELL:
            data["cell_type"] = ""
            data["is_grassroots"] = False
        return data


class RuleSettingForm(forms.Form):
    key = forms.ChoiceField(label=_("Setting"), choices=RuleKey.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=40,
        help_text=_(
            "A number, a time such as 08:00, yes or no, or for the shift rule: "
            "keep the day, next working day or previous working day."
        ),
    )
    valid_from = date_field(_("Valid from"), required=True)
    source = forms.CharField(
        label=_("Source regulation"), max_length=255, required=False
    )

    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        if keys is not None:  # only the rules this user may set here
            self.fields["key"].choices = [
                (key, label) for key, label in RuleKey.choices if key in keys
            ]

    def clean(self):
        data = super().clean()
        key, raw = data.get("key"), (data.get("value") or "").strip()
        if not key or not raw:
            return data
        rule = RULES[key]
        if rule.kind == RuleType.INT:
            try:
                value = int(raw)
            except ValueError:
                self.add_error("value", _("Enter a whole number."))
                return data
            if (rule.minimum is not None and value < rule.minimum) or (
                rule.maximum is not None and value > rule.maximum
            ):
                self.add_error(
                    "value",
                    _("Enter a number from %(min)s to %(max)s.")
                    % {"min": rule.minimum, "max": rule.maximum},
                )
                return data
        elif rule.kind == RuleType.BOOL:
            lowered = raw.lower()
            if lowered not in {"yes", "no", "có", "không", "true", "false", "1", "0"}:
                self.add_error("value", _("Enter yes or no."))
                return data
            value = lowered in {"yes", "có", "true", "1"}
        elif rule.kind == RuleType.TIME:
            try:
                hour, minute = (int(part) for part in raw.split(":"))
                value = time(hour, minute).strftime("%H:%M")
            except ValueError:
                self.add_error("value", _("Enter a time as HH:MM, e.g. 08:00."))
                return data
        else:
            # The shift rule is typed in words ("next working day"); its code is
            # accepted too.
            words = {str(label).lower(): code for code, label in SHIFT_CHOICES}
            value = words.get(raw.lower(), raw if raw in rule.choices else None)
            if value is None:
                labels = ", ".join(str(label).lower() for _code, label in SHIFT_CHOICES)
                self.add_error(
                    "value", _("Choose one of: %(choices)s.") % {"choices": labels}
                )
                return data
        data["parsed_value"] = value
        return data


class MemberForm(DatedModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "party_card_number",
            "status",
            "admission_decision_date",
            "admission_date",
            "official_date",
            "party_group",
            "phone",
            "email",
            "residence",
            "workplace",
        ]

    def __init__(self, *args, cell, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_group"].queryset = Organization.objects.filter(
            parent=cell, kind=OrgKind.PARTY_GROUP
        )
        self.fields["full_name"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        if data.get("status") == MemberStatus.OFFICIAL and not data.get(
            "official_date"
        ):
            self.add_error(
                "official_date", _("An official member needs the recognition date.")
            )
        return data

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the member's full name."))
        return name

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth is in the future."))
        return value

    def clean_party_card_number(self):
        number = self.cleaned_data.get("party_card_number", "").strip()
        clash = Member.objects.filter(party_card_number=number).exclude(
            pk=self.instance.pk
        )
        if number and clash.exists():
            raise forms.ValidationError(
                _("Another member already has this party card number.")
            )
        return number


class PositionForm(DatedModelForm):
    class Meta:
        model = Position
        fields = ["member", "role", "start", "end", "note"]

    def __init__(self, *args, org, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        if org.kind == OrgKind.PARTY_GROUP:
            roles = {PositionRole.GROUP_LEADER, PositionRole.GROUP_DEPUTY}
        else:
            roles = {
                PositionRole.SECRETARY,
                PositionRole.DEPUTY_SECRETARY,
                PositionRole.COMMITTEE_MEMBER,
            }
        self.fields["role"].choices = [
            (value, label) for value, label in PositionRole.choices if value in roles
        ]


class ExemptionForm(DatedModelForm):
    class Meta:
        model = Exemption
        fields = ["reason", "detail", "start", "end", "resolution_ref"]


class SuspensionForm(DatedModelForm):
    class Meta:
        model = Suspension
        fields = ["reason", "decision_ref", "start", "end"]


class AttachmentForm(DatedModelForm):
    class Meta:
        model = TemporaryAttachment
        fields = ["direction", "other_unit", "start", "end", "note"]


class LinkedPersonForm(DatedModelForm):
    class Meta:
        model = LinkedPerson
        fields = ["full_name", "home_unit", "address", "phone", "start", "end"]


class SupervisionForm(DatedModelForm):
    class Meta:
        model = SupervisionAssignment
        fields = ["supervisor", "start", "end"]

    def __init__(self, *args, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors


class EndPeriodForm(forms.Form):
    end = date_field(_("End date"), required=True)


class DeactivateForm(forms.Form):
    on = date_field(_("Deactivated on"), required=True)
    reason = forms.CharField(label=_("Reason"), max_length=255)


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All active")),
            ("official", _("Official")),
            ("probationary", _("Probationary")),
            ("exempt", _("Exempted")),
            ("suspended", _("Suspended")),
            ("away", _("Temporarily transferred out")),
            ("attached_in", _("Temporarily attached here")),
            ("inactive", _("Inactive")),
        ],
    )
