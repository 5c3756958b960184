"""Offices held in the tree and supervision of cells by committee members."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import Period
from .member import Member
from .organization import Organization, OrgKind


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Party group leader")
    GROUP_DEPUTY = "group_deputy", _("Party group deputy leader")


OFFICER_ROLES = frozenset(
    {
        PositionRole.SECRETARY,
        PositionRole.DEPUTY_SECRETARY,
        PositionRole.COMMITTEE_MEMBER,
    }
)


class Position(Period):
    """A member's office in an organisation: in a cell its committee, in a committee
    node an official of that committee (who then reaches the whole subtree)."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    role = models.CharField(_("position"), max_length=20, choices=PositionRole)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["organization", "role", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member} — {self.get_role_display()} ({self.organization})"


class SupervisionAssignment(Period):
    """A superior committee member assigned to follow a cell."""

    supervisor = models.ForeignKey(
        Member,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    cell = models.ForeignKey(
        Organization,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="supervisions",
        limit_choices_to={"kind": OrgKind.CELL},
    )

    class Meta:
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")
        ordering = ["cell", "-start"]

    def __str__(self):
        return f"{self.supervisor} → {self.cell}"
