"""Seed the service catalogue with the starting entries of domain/services.md (the founding
joint ministerial decision, axes A, B and C). Admins edit it afterwards; this only adds
entries whose code is missing."""

from django.db import migrations

SERVICES = [
    ("A", "reception", "Υποδοχή και καταγραφή του ατόμου και του αιτήματός του",
     "Reception and registration of the person and of their request"),
    ("A", "needs-assessment", "Διερεύνηση αναγκών (κοινωνικών, οικονομικών, στέγασης, υγείας, απασχόλησης, εκπαίδευσης)",
     "Needs assessment (social, economic, housing, health, employment, education)"),
    ("A", "information", "Ενημέρωση για κοινωνικά προγράμματα και παροχές",
     "Information on social programmes and benefits"),
    ("A", "application-help", "Υποστήριξη αιτήσεων σε εθνικές πλατφόρμες",
     "Help with applications on national platforms"),
    ("A", "counselling", "Συμβουλευτική και ψυχοκοινωνική υποστήριξη (ατομική, οικογενειακή, ομαδική)",
     "Counselling and psychosocial support (individual, family, group)"),
    ("A", "social-investigation", "Κοινωνική έρευνα και κατ' οίκον επισκέψεις",
     "Social investigation and home visits"),
    ("B", "referral", "Παραπομπή σε υπηρεσία και παρακολούθηση της έκβασης",
     "Referral to a service and follow-up of its outcome"),
    ("B", "referral-received", "Υποδοχή παραπομπών από άλλες υπηρεσίες",
     "Receiving referrals from other services"),
    ("B", "cooperation", "Πρωτόκολλα συνεργασίας και κοινές δράσεις με φορείς",
     "Cooperation protocols and joint actions with partner bodies"),
    ("B", "networking", "Δικτύωση και χαρτογράφηση τοπικών υπηρεσιών",
     "Networking and mapping of local services"),
    ("C", "groups-at-risk", "Δράσεις για ομάδες σε κίνδυνο (Ρομά, μετανάστες, ΑμεΑ, άστεγοι)",
     "Actions for groups at risk (Roma, migrants, people with disabilities, homeless)"),
    ("C", "community", "Δράσεις ευαισθητοποίησης και κοινότητας, μητρώο εθελοντών",
     "Awareness and community actions, volunteer register"),
    ("C", "aid-distribution", "Διανομή βοήθειας (τρόφιμα, είδη υγιεινής)",
     "Distribution of aid (food, hygiene products)"),
    ("C", "mobile", "Κινητές υπηρεσίες και αντένες σε όμορους δήμους",
     "Mobile services and antennas for neighbouring municipalities"),
]


def seed(apps, schema_editor):
    Service = apps.get_model("reception", "Service")
    for order, (axis, code, name, name_en) in enumerate(SERVICES):
        Service.objects.get_or_create(
            code=code, defaults={"axis": axis, "name": name, "name_en": name_en, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("reception", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
