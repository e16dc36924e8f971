"""The Greek stems of every service's words (koinotita.lib.greek.stem_key), computed for the
services already there, and on PostgreSQL a trigram index for the LIKE on them (as 0003)."""

from django.db import migrations, models

from koinotita.lib.greek import stem_key


def fill(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    services = list(Service.objects.select_related("organization"))
    for s in services:
        o = s.organization
        text = " ".join(
            [s.name, s.alternate_name, s.description[:600], o.name, o.alternate_name]
        )
        key = stem_key(text)
        if len(key) > 2000:
            key = key[: key.rindex(" ", 0, 2000) + 1]
        s.stem_key = key
    Service.objects.bulk_update(services, ["stem_key"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS directory_service_stem_trgm "
            "ON directory_service USING gin (stem_key gin_trgm_ops)"
        )


def unfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_service_stem_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_verification_requests")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="stem_key",
            field=models.CharField(blank=True, editable=False, max_length=2000),
        ),
        migrations.RunPython(fill, unfill),
    ]
