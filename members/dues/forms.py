"""Forms of the dues ledger."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import date_field
from members.models import DuesCategory, DuesChannel, DuesDecisionKind, ReliefKind


class MonthField(forms.DateField):
    """A month typed as mm/yyyy (or a full date): the first day of that month."""

    input_formats = ["%m/%Y", "%d/%m/%Y", "%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def month_field(label, **kwargs):
    return MonthField(
        label=label,
        widget=forms.TextInput(
            attrs={"placeholder": "mm/yyyy", "inputmode": "numeric"}
        ),
        **kwargs,
    )


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Dues category"), choices=DuesCategory.choices)
    start = month_field(_("From month"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class BaseForm(forms.Form):
    month = month_field(_("From month"))
    amount = forms.IntegerField(
        label=_("Base amount (đồng)"),
        min_value=0,
        max_value=10_000_000_000,
        help_text=_("The previous month's social-insurance salary, or the pension."),
    )
    declared_amount = forms.IntegerField(
        label=_("Monthly amount the member chooses to pay (đồng)"),
        min_value=0,
        max_value=1_000_000_000,
        required=False,
        help_text=_("Only when it is more than the rate."),
    )


class ReliefForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReliefKind.choices)
    percent = forms.TypedChoiceField(
        label=_("Reduction"),
        choices=[(0, "—"), (30, "30%"), (50, "50%"), (70, "70%")],
        coerce=int,
        required=False,
        empty_value=0,
    )
    first_month = month_field(_("From month"))
    last_month = month_field(_("Until month"), required=False)
    decision = forms.CharField(label=_("Decision (number, issued by)"), max_length=255)
    decision_date = date_field(_("Decision date"), required=False)


class AdjustmentForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Member"), coerce=int)
    amount = forms.IntegerField(
        label=_("Amount (đồng)"),
        min_value=-1_000_000_000,
        max_value=1_000_000_000,
        help_text=_("A refund is a negative amount."),
    )
    paid_on = date_field(_("Date"), required=True)
    channel = forms.ChoiceField(label=_("Channel"), choices=DuesChannel.choices)
    receipt_reference = forms.CharField(
        label=_("Portal receipt reference"), max_length=64, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.full_name) for m in members]


class CashForm(forms.Form):
    paid_on = date_field(_("Paid on"), required=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DuesDecisionKind.choices)
    decided_on = date_field(_("Decided on"), required=True)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class SheetRowForm(forms.Form):
    """One member's row of the collection sheet (prefix: the member's id)."""

    paid_amount = forms.IntegerField(
        label=_("Amount paid"), min_value=0, max_value=1_000_000_000, required=False
    )
    paid_on = date_field(_("Paid on"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", "—"), *DuesChannel.choices],
        required=False,
    )
    receipt_reference = forms.CharField(
        label=_("Portal receipt reference"), max_length=64, required=False
    )
    excuse = forms.CharField(
        label=_("Approved reason for not paying"), max_length=255, required=False
    )
