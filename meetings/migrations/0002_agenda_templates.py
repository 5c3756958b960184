"""The national agenda templates (DOMAIN.md §3.2), as data."""

from django.db import migrations

from meetings.agenda import DEFAULT_AGENDAS as TEMPLATES


def create(apps, schema_editor):
    agenda_template = apps.get_model("meetings", "AgendaTemplate")
    for kind, titles in TEMPLATES.items():
        agenda_template.objects.update_or_create(
            kind=kind, organization=None,
            defaults={"items": [{"title": title} for title in titles]},
        )


def remove(apps, schema_editor):
    apps.get_model("meetings", "AgendaTemplate").objects.filter(
        organization=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
