"""Forms for meetings: input checks; rules live in services and domain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.validators import single_line
from members import api as members_api
from members.models import Member

from .models import AttendanceStatus, Guest, Meeting, MeetingKind, VoteKind

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DateTimeInput(forms.DateTimeInput):
    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy hh:mm",
            "autocomplete": "off",
            "class": "js-datetime",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y %H:%M")


def datetime_field(label, required=True, **kwargs):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        **kwargs,
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class MeetingCreateForm(forms.ModelForm):
    starts_at = datetime_field(_("Date and time"))

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "starts_at",
            "place",
            "topic",
            "is_combined",
            "is_model",
            "is_online",
            "is_ho_chi_minh_topic",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The list starts with the regular meeting, the one a cell holds most.
        self.fields["kind"].choices = list(MeetingKind.choices)


def _members_field(label, cell, required=False):
    return forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=Member.objects.filter(organization=cell, is_active=True),
    )


class PreparationForm(forms.ModelForm):
    agenda_text = forms.CharField(
        label=_("Agenda (one item per line)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = [
            "place",
            "topic",
            "is_combined",
            "is_model",
            "is_online",
            "is_ho_chi_minh_topic",
            "preparer",
            "news_briefer",
            "presenter",
            "contributors",
            "draft_resolution",
        ]
        widgets = {
            "draft_resolution": forms.Textarea(attrs={"rows": 6}),
            "contributors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = Member.objects.filter(organization=self.instance.cell, is_active=True)
        for name in ("preparer", "news_briefer", "presenter", "contributors"):
            self.fields[name].queryset = members
        self.fields["agenda_text"].initial = "\n".join(
            item["title"] for item in self.instance.agenda
        )

    def clean_agenda_text(self):
        lines = [
            " ".join(line.split())
            for line in self.cleaned_data["agenda_text"].splitlines()
        ]
        items = [{"title": line[:255]} for line in lines if line]
        if not items:
            raise forms.ValidationError(_("The agenda needs at least one item."))
        return items


class RescheduleForm(forms.Form):
    starts_at = datetime_field(_("New date and time"))
    place = forms.CharField(
        label=_("Place"), max_length=255, required=False, validators=[single_line]
    )
    reason = forms.CharField(label=_("Reason"), max_length=255)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; 20 MB."),
    )


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, validators=[single_line])
    role = forms.ChoiceField(label=_("Role"), choices=Guest.Role.choices)
    title = forms.CharField(
        label=_("Position / unit"),
        max_length=255,
        required=False,
        validators=[single_line],
    )


class ExcuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("acknowledge", _("Acknowledge")),
            ("return", _("Return for an addendum")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(forms.Form):
    """One status select, reason, late and spoke fields per attendance row."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            prefix = f"m{row.member_id}"
            # A member suspended on the meeting day stays suspended; nobody else
            # can be marked suspended (it is a standing, not a choice, §3.3).
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                choices=[
                    (value, label)
                    for value, label in AttendanceStatus.choices
                    if (value == AttendanceStatus.SUSPENDED) == row.was_suspended
                ],
                initial=row.status,
                label=row.member.full_name,
            )
            self.fields[f"{prefix}_reason"] = forms.CharField(
                required=False, max_length=255, initial=row.reason, label=_("Reason")
            )
            self.fields[f"{prefix}_late"] = forms.BooleanField(
                required=False, initial=row.late, label=_("Late")
            )
            self.fields[f"{prefix}_spoke"] = forms.BooleanField(
                required=False, initial=row.spoke, label=_("Spoke")
            )

    def clean(self):
        data = super().clean()
        for row in self.rows:
            prefix = f"m{row.member_id}"
            status = data.get(f"{prefix}_status")
            if (
                status == AttendanceStatus.ABSENT_EXCUSED
                and not data.get(f"{prefix}_reason", "").strip()
            ):
                self.add_error(f"{prefix}_reason", _("Give the reason."))
        return data

    def bound_rows(self):
        for row in self.rows:
            prefix = f"m{row.member_id}"
            yield {
                "row": row,
                "status": self[f"{prefix}_status"],
                "reason": self[f"{prefix}_reason"],
                "late": self[f"{prefix}_late"],
                "spoke": self[f"{prefix}_spoke"],
            }

    def rows_data(self):
        data = self.cleaned_data
        return {
            row.member_id: {
                "status": data[f"m{row.member_id}_status"],
                "reason": data.get(f"m{row.member_id}_reason", "").strip(),
                "late": data.get(f"m{row.member_id}_late", False),
                "spoke": data.get(f"m{row.member_id}_spoke", False),
            }
            for row in self.rows
        }


class MinutesForm(forms.Form):
    """The structured minutes editor. Items come as items-N-title / -speakers /
    -conclusion; speakers are one per line, "Name: gist"."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    chair = forms.ModelChoiceField(
        label=_("Chair"), queryset=Member.objects.none(), required=False
    )
    minute_taker = forms.ModelChoiceField(
        label=_("Minute-taker"), queryset=Member.objects.none(), required=False
    )
    started_at = datetime_field(_("Started at"), required=False)
    ended_at = datetime_field(_("Ended at"), required=False)
    opening = forms.CharField(
        label=_("Opening notes, guests and dues status"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommendations = forms.CharField(
        label=_(
            "Members' recommendations and answers; recommendations to the superior "
            "level"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conclusion = forms.CharField(
        label=_("Conclusion or resolution text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.minutes = minutes
        members = Member.objects.filter(
            organization=minutes.meeting.cell_id, is_active=True
        )
        self.fields["chair"].queryset = members
        self.fields["minute_taker"].queryset = members
        self.item_count = len(minutes.items)
        for index, item in enumerate(minutes.items):
            self.fields[f"items-{index}-title"] = forms.CharField(
                max_length=255, initial=item.get("title", ""), label=_("Item")
            )
            self.fields[f"items-{index}-speakers"] = forms.CharField(
                required=False,
                label=_("Speakers and the gist of what they said"),
                widget=forms.Textarea(attrs={"rows": 3}),
                initial="\n".join(
                    f"{s.get('name', '')}: {s.get('gist', '')}".strip(": ")
                    for s in item.get("speakers", [])
                ),
                help_text=_("One per line: Name: what they said."),
            )
            self.fields[f"items-{index}-conclusion"] = forms.CharField(
                required=False,
                label=_("Chair's conclusion"),
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=item.get("conclusion", ""),
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end <= start:
            self.add_error("ended_at", _("The end must be after the start."))
        return data

    def items_data(self):
        items = []
        for index in range(self.item_count):
            speakers = []
            for line in self.cleaned_data.get(
                f"items-{index}-speakers", ""
            ).splitlines():
                line = line.strip()
                if not line:
                    continue
                name, _sep, gist = line.partition(":")
                speakers.append({"name": name.strip(), "gist": gist.strip()})
            items.append(
                {
                    "title": self.cleaned_data.get(f"items-{index}-title", ""),
                    "speakers": speakers,
                    "conclusion": self.cleaned_data.get(
                        f"items-{index}-conclusion", ""
                    ),
                }
            )
        return items

    def item_fields(self):
        for index in range(self.item_count):
            yield (
                self[f"items-{index}-title"],
                self[f"items-{index}-speakers"],
                self[f"items-{index}-conclusion"],
            )


class VoteForm(forms.Form):
    about = forms.ChoiceField(
        label=_("Person voted on"),
        required=False,
        help_text=_(
            "For an admission or an official recognition (two thirds of N). Only "
            "candidates with a complete file and members whose 12 months of "
            "probation are over, with their recognition file complete, are listed."
        ),
    )
    subject = forms.CharField(label=_("What was voted"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Rule"), choices=VoteKind.choices)
    yes = forms.IntegerField(label=_("In favour"), min_value=0, max_value=10000)
    no = forms.IntegerField(label=_("Against"), min_value=0, max_value=10000)
    abstain = forms.IntegerField(
        label=_("Abstain"), min_value=0, max_value=10000, initial=0
    )
    reserved_member = forms.ModelChoiceField(
        label=_("Reserved opinion by"), queryset=Member.objects.none(), required=False
    )
    reserved_opinion = forms.CharField(
        label=_("Reserved opinion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cell, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserved_member"].queryset = Member.objects.filter(
            organization=cell, is_active=True
        )
        self.people = {}
        if on is None:
            del self.fields["about"]
            return
        subjects = members_api.vote_subjects(cell, on=on)
        for candidate in subjects["candidates"]:
            self.people[f"c{candidate.pk}"] = ("candidate", candidate)
        for member in subjects["members"]:
            self.people[f"m{member.pk}"] = ("member", member)
        choices = [("", _("— none (another question) —"))]
        if subjects["candidates"]:
            choices.append(
                (
                    _("Admission of a candidate"),
                    [(f"c{c.pk}", c.full_name) for c in subjects["candidates"]],
                )
            )
        if subjects["members"]:
            choices.append(
                (
                    _("Official recognition of a probationary member"),
                    [(f"m{m.pk}", m.full_name) for m in subjects["members"]],
                )
            )
        self.fields["about"].choices = choices

    def clean(self):
        data = super().clean()
        if bool(data.get("reserved_member")) != bool(
            (data.get("reserved_opinion") or "").strip()
        ):
            self.add_error(
                "reserved_opinion",
                _("Give both the member and their reserved opinion."),
            )
        data["candidate"] = data["about_member"] = None
        person = self.people.get(data.get("about") or "")
        if person is not None:
            role, record = person
            # Admission and recognition pass with two thirds of N (DOMAIN.md §3.4).
            data["kind"] = VoteKind.ADMISSION
            if role == "candidate":
                data["candidate"] = record
                default = _("Admission of %(name)s to the Party")
            else:
                data["about_member"] = record
                default = _("Official recognition of %(name)s")
            if not (data.get("subject") or "").strip():
                data["subject"] = str(default) % {"name": record.full_name}
        elif not (data.get("subject") or "").strip() and "subject" not in self.errors:
            self.add_error("subject", _("This field is required."))
        return data


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
