"""Login accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .member import Member


class User(AbstractUser):
    """A login. Party roles come from the linked member's positions and assignments."""

    member = models.OneToOneField(
        Member,
        verbose_name=_("party member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )
    large_text = models.BooleanField(_("larger text"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self):
        if self.member_id:
            return self.member.full_name
        return self.get_full_name() or self.username
