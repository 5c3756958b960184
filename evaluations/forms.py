"""Forms for evaluations: input checks; rules live in services and domain."""

import copy
from decimal import Decimal
from fractions import Fraction

from django import forms
from django.utils.translation import gettext_lazy as _

from members.api import date_field
from members.models import Member, Organization, OrgKind

from .models import RatingLevel, RecommendationStatus, TaskOutcome


class TaskForm(forms.Form):
    text = forms.CharField(
        label=_("Task"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignees = forms.ModelMultipleChoiceField(
        label=_("Assigned members"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    party_group = forms.ModelChoiceField(
        label=_("Or a party group"),
        queryset=Organization.objects.none(),
        required=False,
    )
    deadline = date_field(_("Deadline"), required=True)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = Member.objects.filter(
            organization_id=meeting.cell_id, is_active=True
        ).order_by("full_name", "pk")
        self.fields["party_group"].queryset = Organization.objects.filter(
            parent_id=meeting.cell_id, kind=OrgKind.PARTY_GROUP, is_active=True
        ).order_by("name")
        self.fields["deadline"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]


OUTCOME_CHOICES = [("", _("Not reviewed yet")), *TaskOutcome.choices]


class TaskReviewForm(forms.Form):
    """One outcome select and comment per task, named outcome-<id>, comment-<id>."""

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        for task in tasks:
            self.fields[f"outcome-{task.pk}"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=OUTCOME_CHOICES,
                required=False,
                initial=task.outcome,
            )
            self.fields[f"comment-{task.pk}"] = forms.CharField(
                label=_("Comment"),
                max_length=500,
                required=False,
                initial=task.outcome_comment,
            )

    def rows(self):
        for task in self.tasks:
            yield task, self[f"outcome-{task.pk}"], self[f"comment-{task.pk}"]

    def outcomes(self):
        data = self.cleaned_data
        return {
            task.pk: (data[f"outcome-{task.pk}"], data[f"comment-{task.pk}"])
            for task in self.tasks
        }


class RecommendationUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RecommendationStatus.choices)
    response = forms.CharField(
        label=_("Response"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


LEVEL_CHOICES = RatingLevel.choices


class ScoreForm(forms.Form):
    """One field per hand-scored item of the rubric (◆ items are not inputs)."""

    note = forms.CharField(
        label=_("Remarks"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rubric, thematic, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        points = points or {}
        self.manual_keys = []
        checklist = rubric.is_checklist
        for group in rubric.groups:
            for item in group["items"]:
                if item.get("auto") or (item.get("thematic") and not thematic):
                    continue
                key = item["key"]
                self.manual_keys.append(key)
                if checklist:
                    self.fields[f"item-{key}"] = forms.BooleanField(
                        label=item["label"],
                        required=False,
                        initial=bool(points.get(key) and float(points[key]) > 0),
                    )
                else:
                    self.fields[f"item-{key}"] = forms.DecimalField(
                        label=item["label"],
                        min_value=0,
                        max_value=item["max"],
                        decimal_places=2,
                        max_digits=5,
                        required=False,
                        initial=points.get(key, ""),
                        widget=forms.NumberInput(attrs={"step": "0.25"}),
                    )
        self.items_by_key = {
            item["key"]: item for group in rubric.groups for item in group["items"]
        }

    def manual_points(self):
        data = self.cleaned_data
        result = {}
        for key in self.manual_keys:
            value = data.get(f"item-{key}")
            if self.rubric.is_checklist:
                result[key] = self.items_by_key[key]["max"] if value else 0
            else:
                result[key] = value if value is not None else 0
        return result

    def field_for(self, key):
        name = f"item-{key}"
        return self[name] if name in self.fields else None


RECOMMENDATION_ROWS = 3


class ReportForm(forms.Form):
    attended = forms.BooleanField(
        label=_("I attended the meeting"), required=False, initial=True
    )
    summary = forms.CharField(
        label=_("What happened"),
        max_length=8000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    observations = forms.CharField(
        label=_("Quality observations"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(RECOMMENDATION_ROWS):
            self.fields[f"rec-{index}-text"] = forms.CharField(
                label=_("Recommendation"),
                max_length=4000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"rec-{index}-addressee"] = forms.CharField(
                label=_("Addressed to"), max_length=255, required=False
            )
            self.fields[f"rec-{index}-responsible"] = forms.CharField(
                label=_("Responsible body"), max_length=255, required=False
            )

    def recommendation_rows(self):
        for index in range(RECOMMENDATION_ROWS):
            yield (
                self[f"rec-{index}-text"],
                self[f"rec-{index}-addressee"],
                self[f"rec-{index}-responsible"],
            )

    def recommendations(self):
        data = self.cleaned_data
        return [
            {
                "text": data[f"rec-{i}-text"],
                "addressee": data[f"rec-{i}-addressee"],
                "responsible": data[f"rec-{i}-responsible"],
            }
            for i in range(RECOMMENDATION_ROWS)
        ]


class MonthForm(forms.Form):
    """A month typed mm/yyyy (the picker's format) or yyyy-mm; cleaned to yyyy-mm."""

    month = forms.RegexField(
        label=_("Month"),
        regex=r"^(\d{4}-(0[1-9]|1[0-2])|(0?[1-9]|1[0-2])/\d{4})$",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "mm/yyyy", "class": "js-month", "autocomplete": "off"}
        ),
    )

    def clean_month(self):
        value = self.cleaned_data["month"]
        if "/" in value:
            month, year = value.split("/")
            value = f"{year}-{int(month):02d}"
        return value


class RubricChoiceForm(forms.Form):
    rubric_code = forms.ChoiceField(label=_("Scoring rubric"))
    valid_from = date_field(_("Valid from"), required=True)

    def __init__(self, *args, rubrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric_code"].choices = [
            (rubric.code, f"{_(rubric.name)} (v{rubric.version})") for rubric in rubrics
        ]
        self.fields["valid_from"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]


# --- a committee's own rubric version (DOMAIN.md §6) ----------------------------------


def _points_field(label, initial):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        max_digits=5,
        initial=initial,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )


def _percent(bound):
    share = Fraction(bound) * 100
    value = Decimal(share.numerator) / Decimal(share.denominator)
    return value.quantize(Decimal("0.01")).normalize()


def _number(value):
    """A points value as stored in the rubric's data: an int when whole."""
    return int(value) if value == value.to_integral_value() else float(value)


def _share(percent):
    share = Fraction(percent) / 100
    return f"{share.numerator}/{share.denominator}"


SHARE_EXTRAS = (
    ("floor", _("Below the last band")),
    ("empty", _("When there is nothing to count")),
    ("unexcused", _("With any unexcused absence")),
)
DURATION_EXTRAS = (
    ("half", _("At least half the minimum")),
    ("floor", _("Shorter")),
)


class RubricVersionForm(forms.Form):
    """A rubric version's editable data: each item's maximum points and the ◆ items'
    scales (share bands in percent, duration shortfalls in minutes), its name and
    the day it takes effect. `layout` lists the fields group by group for the
    template; `groups()` rebuilds the rubric data from the cleaned values."""

    name = forms.CharField(label=_("Name"), max_length=255)
    valid_from = date_field(_("Takes effect on"), required=True)

    def __init__(self, *args, rubric, fixed_date=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = rubric
        self.fields["valid_from"].input_formats = ["%d/%m/%Y", "%Y-%m-%d"]
        if fixed_date:
            del self.fields["valid_from"]
        self.layout = []
        for group in rubric.groups:
            items = [self._item_fields(item) for item in group["items"]]
            self.layout.append({"label": _(group["label"]), "items": items})

    def _add(self, name, field):
        self.fields[name] = field
        return self[name]

    def _item_fields(self, item):
        key = item["key"]
        label = _(item["label"])
        rows = []
        entry = {
            "label": label,
            "auto": bool(item.get("auto")),
            "thematic": bool(item.get("thematic")),
            "max": self._add(
                f"item-{key}-max", _points_field(_("Maximum points"), item["max"])
            ),
            "rows": rows,
        }
        scale = item.get("scale")
        if not scale:
            return entry
        if item.get("auto") == "duration":
            rows.append(
                self._scale_row(_("Minimum length reached"), key, "full", scale["full"])
            )
            for index, (most, points) in enumerate(scale["short"]):
                minutes = forms.IntegerField(
                    label=_("Short by at most (minutes)"),
                    min_value=0,
                    max_value=600,
                    initial=most,
                )
                rows.append(
                    self._scale_row(
                        _("Shorter than the minimum"),
                        key,
                        f"short{index}",
                        points,
                        lead=("minutes", minutes),
                    )
                )
            extras = DURATION_EXTRAS
        else:
            for index, (comparison, bound, points) in enumerate(scale["bands"]):
                share = forms.DecimalField(
                    label=_("More than (%)") if comparison == "gt" else _("From (%)"),
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                    max_digits=5,
                    initial=_percent(bound),
                )
                rows.append(
                    self._scale_row(
                        _("Band %(n)s") % {"n": index + 1},
                        key,
                        f"band{index}",
                        points,
                        lead=("share", share),
                    )
                )
            extras = SHARE_EXTRAS
        rows.extend(
            self._scale_row(label, key, name, scale[name])
            for name, label in extras
            if name in scale
        )
        return entry

    def _scale_row(self, label, key, name, points, lead=None):
        """One line of a ◆ scale: its points, after a share or minutes field."""
        fields = []
        if lead is None:
            points_name = f"item-{key}-{name}"
        else:
            fields.append(self._add(f"item-{key}-{name}-{lead[0]}", lead[1]))
            points_name = f"item-{key}-{name}-points"
        fields.append(self._add(points_name, _points_field(_("Points"), points)))
        return {"label": label, "fields": fields}

    def groups(self):
        """The rubric data with the typed values (call after is_valid())."""
        data = self.cleaned_data
        groups = copy.deepcopy(self.base.groups)
        for group in groups:
            for item in group["items"]:
                key = item["key"]
                item["max"] = _number(data[f"item-{key}-max"])
                scale = item.get("scale")
                if not scale:
                    continue
                if item.get("auto") == "duration":
                    scale["full"] = _number(data[f"item-{key}-full"])
                    scale["short"] = [
                        [
                            data[f"item-{key}-short{index}-minutes"],
                            _number(data[f"item-{key}-short{index}-points"]),
                        ]
                        for index in range(len(scale["short"]))
                    ]
                    names = [name for name, _label in DURATION_EXTRAS]
                else:
                    scale["bands"] = [
                        [
                            comparison,
                            _share(data[f"item-{key}-band{index}-share"]),
                            _number(data[f"item-{key}-band{index}-points"]),
                        ]
                        for index, (comparison, _b, _p) in enumerate(scale["bands"])
                    ]
                    names = [name for name, _label in SHARE_EXTRAS]
                for name in names:
                    if name in scale:
                        scale[name] = _number(data[f"item-{key}-{name}"])
            group["max"] = _number(
                sum(Decimal(str(item["max"])) for item in group["items"])
            )
        return groups
