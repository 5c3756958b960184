"""The organisation tree: committees, cells and party groups."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members import domain

from .base import TimeStamped

PATH_STEP = 8  # digits per level of the materialized path


class OrgKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune/ward party committee")
    BLOC_COMMITTEE = "bloc_committee", _("Bloc party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial party committee")
    CELL = domain.CELL, _("Party cell")
    PARTY_GROUP = domain.PARTY_GROUP, _("Party group")


COMMITTEE_KINDS = frozenset(
    {
        OrgKind.PROVINCE_COMMITTEE,
        OrgKind.COMMUNE_COMMITTEE,
        OrgKind.BLOC_COMMITTEE,
        OrgKind.GRASSROOTS_COMMITTEE,
        OrgKind.PARTIAL_COMMITTEE,
    }
)


class CellType(models.TextChoices):
    RURAL = "rural", _("Rural village")
    URBAN = "urban", _("Urban residential group")
    AGENCY = "agency", _("Administrative agency")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-state enterprise")
    STUDENTS = "students", _("Students")
    ARMY = "army", _("Army")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other")


class Organization(TimeStamped):
    """A node of the party tree: a committee, a cell or a party group, at any depth.

    `path` is the materialized path of zero-padded primary keys ("00000001/00000004/"),
    so a subtree is `path__startswith=node.path`; services keep it in step.
    """

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind)
    is_grassroots = models.BooleanField(
        _("grassroots cell"),
        default=False,
        help_text=_(
            "A cell that is itself the grassroots organisation (chi bộ cơ sở)."
        ),
    )
    cell_type = models.CharField(
        _("cell type"), max_length=32, choices=CellType, blank=True
    )
    code = models.CharField(
        _("document code"),
        max_length=16,
        blank=True,
        help_text=_(
            "Used in document numbers, e.g. CB for a cell, ĐU for a committee."
        ),
    )
    place = models.CharField(
        _("place name"),
        max_length=120,
        blank=True,
        help_text=_("Printed before the date on documents, e.g. Nghệ An."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("superior organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrgKind.CELL) | ~Q(cell_type=""),
                name="organization_cell_has_type",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:org-detail", args=[self.pk])

    @property
    def is_cell(self):
        return self.kind == OrgKind.CELL

    @property
    def is_party_group(self):
        return self.kind == OrgKind.PARTY_GROUP

    @property
    def is_committee(self):
        return self.kind in COMMITTEE_KINDS

    @property
    def ancestor_ids(self):
        """Primary keys from the root down to and including this node."""
        return [int(step) for step in self.path.split("/") if step]
