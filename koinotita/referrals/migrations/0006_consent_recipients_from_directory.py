"""Give every consent to share recorded with a free-text partner the directory organisation
it names (the text as written stays): the one organisation whose name or alternate name is that text, case, accents and
spacing ignored. A consent whose text matches none (or several) is kept as it is, without a
recipient key: the person's page marks it "not matched to the directory" and it lets no
referral be sent until the consent is recorded again for an organisation of the directory."""

from django.db import migrations

from koinotita.lib.greek import fold


def _folded(text):
    return fold(" ".join(str(text or "").split()))


def match_free_text_consents(apps, schema_editor):
    Consent = apps.get_model("people", "Consent")
    Organization = apps.get_model("directory", "Organization")
    by_name: dict[str, set] = {}
    for pk, name, alternate in Organization.objects.values_list("pk", "name", "alternate_name"):
        for text in (name, alternate):
            if text:
                by_name.setdefault(_folded(text), set()).add(pk)
    unmatched = Consent.objects.filter(purpose="referral", recipient_key="").exclude(partner="")
    for consent in unmatched.iterator():
        found = by_name.get(_folded(consent.partner), set())
        if len(found) == 1:
            (pk,) = found
            consent.recipient_key = str(pk)
            consent.save(update_fields=["recipient_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_sample_referrals"),
        ("people", "0006_consent_recipient_key"),
        ("directory", "0004_logo_and_service_capacity"),
    ]

    operations = [migrations.RunPython(match_free_text_consents, migrations.RunPython.noop)]
