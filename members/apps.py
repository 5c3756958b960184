from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisation and members")

    def ready(self):
        # Every create/change/delete of a party record is written to the audit log.
        from . import audit

        audit.connect()
