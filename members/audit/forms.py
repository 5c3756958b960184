"""The filter of an organisation's audit log: record type and operation."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import AuditAction

from .policy import audited_models, label


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("Operation"),
        required=False,
        choices=[("", gettext_lazy("All")), *AuditAction.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = sorted(
            (
                (label(model), capfirst(model._meta.verbose_name))
                for model in audited_models()
            ),
            key=lambda pair: str(pair[1]),
        )
        self.fields["model"].choices = [("", _("All")), *types]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
