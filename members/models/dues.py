"""The party dues ledger (DOMAIN.md §9): each member's dues category over time, the
monthly base, exemptions and reductions, the cell's monthly collection sheet, its
closing and remittance, corrections after closing and the cell's decisions on
members who left dues unpaid."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members import domain

from .base import Period, TimeStamped
from .member import Member
from .organization import Organization, OrgKind


class DuesCategory(models.TextChoices):
    INSURED = domain.INSURED, _("In compulsory social insurance")
    PENSIONER = domain.PENSIONER, _("Pensioner outside social insurance")
    STUDENT = domain.STUDENT, _("Pupil or student")
    OTHER = domain.OTHER_CATEGORY, _("Other")


class DuesCategoryPeriod(Period):
    """A member's dues category from `start` (first day of a month) until `end`."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_categories",
    )
    category = models.CharField(_("dues category"), max_length=16, choices=DuesCategory)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dues category")
        verbose_name_plural = _("dues categories")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="duescategory_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.get_category_display()}"


class DuesBase(TimeStamped):
    """The base a member's dues are computed from, from `month` on until the next
    entry: the previous month's social-insurance salary or the pension. A member
    may declare a higher monthly amount than the rate (QĐ 01-QĐ/TW encourages it)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_bases",
    )
    month = models.DateField(_("from month"))
    amount = models.PositiveBigIntegerField(_("base amount (đồng)"), default=0)
    declared_amount = models.PositiveBigIntegerField(
        _("amount declared by the member (đồng)"), null=True, blank=True
    )
    entered_by = models.ForeignKey(
        "members.User",
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                name="duesbase_one_per_month",
                violation_error_message=_(
                    "This member already has a base for this month."
                ),
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.amount} ({self.month:%m/%Y})"


class ReliefKind(models.TextChoices):
    SOCIAL_PENSION = "social_pension", _("Exempt: social pension allowance")
    HARDSHIP = "hardship", _("Exempt: approved hardship")
    REDUCTION = "reduction", _("Reduction")


class DuesRelief(TimeStamped):
    """An exemption from dues or a reduction (30, 50 or 70%) for the months from
    `first_month` to `last_month`; a reduction lasts at most 12 months per
    approval. (Fifty years of party age exempt by themselves: not recorded.)"""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_reliefs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReliefKind)
    percent = models.PositiveSmallIntegerField(_("reduction (%)"), default=0)
    first_month = models.DateField(_("from month"))
    last_month = models.DateField(_("until month"), null=True, blank=True)
    decision = models.CharField(_("decision (number, issued by)"), max_length=255)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    created_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dues exemption or reduction")
        verbose_name_plural = _("dues exemptions and reductions")
        ordering = ["-first_month", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=ReliefKind.REDUCTION)
                | Q(percent__in=[30, 50, 70], last_month__isnull=False),
                name="duesrelief_reduction_percent_and_end",
                violation_error_message=_(
                    "A reduction is 30, 50 or 70% and has a last month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=ReliefKind.REDUCTION) | Q(percent=0),
                name="duesrelief_exemption_no_percent",
            ),
            models.CheckConstraint(
                condition=Q(last_month__isnull=True)
                | Q(last_month__gte=models.F("first_month")),
                name="duesrelief_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()}"


class DuesMonth(TimeStamped):
    """A cell's month of dues. Closed by the secretary: its payments never change
    again (the database refuses it) and corrections are dated adjustments; the
    totals and the remittance to the superior committee are frozen at closing."""

    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="dues_months",
        limit_choices_to={"kind": OrgKind.CELL},
    )
    month = models.DateField(_("month"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "members.User",
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_total = models.PositiveBigIntegerField(_("total due"), default=0)
    paid_total = models.PositiveBigIntegerField(_("total collected"), default=0)
    retained_percent = models.PositiveSmallIntegerField(
        _("share kept by the cell (%)"), default=0
    )
    retained_amount = models.PositiveBigIntegerField(_("kept by the cell"), default=0)
    remitted_amount = models.PositiveBigIntegerField(
        _("remitted to the superior committee"), default=0
    )

    class Meta:
        verbose_name = _("month of dues")
        verbose_name_plural = _("months of dues")
        ordering = ["cell", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "month"], name="duesmonth_one_per_cell_month"
            )
        ]

    def __str__(self):
        return f"{self.cell}: {self.month:%m/%Y}"

    @property
    def is_closed(self):
        return self.closed_at is not None


class DuesChannel(models.TextChoices):
    PORTAL = "portal", _("National public-service portal")
    CASH = "cash", _("Cash to the cell")


class DuesPayment(TimeStamped):
    """One member's dues for one month: what the rules made due then, what was paid,
    when, by which channel (the portal's receipt reference), who recorded it, or
    the approved reason for not paying."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    month = models.DateField(_("month"))
    category = models.CharField(_("dues category"), max_length=16, choices=DuesCategory)
    base = models.PositiveBigIntegerField(_("base amount (đồng)"), default=0)
    due_amount = models.PositiveBigIntegerField(_("amount due"), default=0)
    paid_amount = models.PositiveBigIntegerField(_("amount paid"), default=0)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, choices=DuesChannel, blank=True
    )
    receipt_reference = models.CharField(
        _("portal receipt reference"), max_length=64, blank=True
    )
    excuse = models.CharField(
        _("approved reason for not paying"), max_length=255, blank=True
    )
    recorded_by = models.ForeignKey(
        "members.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-month", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"], name="duespayment_one_per_member_month"
            ),
            models.CheckConstraint(
                condition=Q(paid_amount=0)
                | (Q(paid_on__isnull=False) & ~Q(channel="")),
                name="duespayment_paid_has_date_and_channel",
                violation_error_message=_("A payment needs the date and the channel."),
            ),
        ]
        indexes = [models.Index(fields=["cell", "month"])]

    def __str__(self):
        return f"{self.member}: {self.month:%m/%Y}"


class DuesAdjustment(models.Model):
    """A dated correction of a closed month (a late payment, a refund as a negative
    amount); written once, never edited."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_adjustments",
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="dues_adjustments",
    )
    month = models.DateField(_("month corrected"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    paid_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=DuesChannel)
    receipt_reference = models.CharField(
        _("portal receipt reference"), max_length=64, blank=True
    )
    reason = models.CharField(_("reason"), max_length=255)
    recorded_by = models.ForeignKey(
        "members.User",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dues adjustment")
        verbose_name_plural = _("dues adjustments")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["cell", "month"])]

    def __str__(self):
        return f"{self.member}: {self.amount} ({self.month:%m/%Y})"


class DuesDecisionKind(models.TextChoices):
    PROPOSE_REMOVAL = "propose_removal", _("Propose removal from the rolls")
    KEEP = "keep", _("Keep on the rolls (reason accepted)")


class DuesDecision(TimeStamped):
    """The cell's decision on a member with 3 unpaid months in a calendar year."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_decisions",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.CharField(_("decision"), max_length=20, choices=DuesDecisionKind)
    decided_on = models.DateField(_("decided on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        "members.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dues decision")
        verbose_name_plural = _("dues decisions")
        ordering = ["-year", "-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"], name="duesdecision_one_per_member_year"
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.get_decision_display()} ({self.year})"


class DuesOpeningBalance(TimeStamped):
    """What a member carried into `year` from before the ledger: owed (positive) or
    paid in advance (negative), imported with the year's categories."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="dues_opening_balances",
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="dues_opening_balances",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(
        _("opening balance (đồng)"),
        help_text=_("Owed from before: positive; paid in advance: negative."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dues opening balance")
        verbose_name_plural = _("dues opening balances")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"], name="duesopening_one_per_member_year"
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.amount} ({self.year})"
