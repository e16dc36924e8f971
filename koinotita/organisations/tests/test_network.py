import io
import json

from django.core.management import call_command

from koinotita.organisations.models import Centre, Site
from koinotita.organisations.services import network_load_reference

WESTERN_MACEDONIA = {
    "Γρεβενά": ["Γρεβενά", "Δεσκάτη"],
    "Καστοριά": ["Καστοριά", "Νεστόριο", "Άργος Ορεστικό"],
    "Κοζάνη": ["Κοζάνη", "Εορδαία", "Σέρβια-Βελβεντός", "Βόιο"],
    "Φλώρινα": ["Φλώρινα", "Πρέσπες", "Αμύνταιο"],
}
# places.md: ten municipalities of Western Macedonia have a centre; two are served by antennas.
WM_WITH_CENTRE = {
    "grevena",
    "deskati",
    "kastoria",
    "argos-orestiko",
    "kozani",
    "eordaia",
    "servia-velventos",
    "voio",
    "florina",
    "amyntaio",
}


def network_json() -> dict:
    out = io.StringIO()
    call_command("network", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_network_json_matches_places_md(db):
    network_load_reference()
    data = network_json()
    regions = {r["code"]: r for r in data["regions"]}
    assert set(regions) == {"dytiki-makedonia", "thessalia"}

    wm = regions["dytiki-makedonia"]
    assert wm["name"] == "Περιφέρεια Δυτικής Μακεδονίας"
    units = {u["name"]: [m["name"] for m in u["municipalities"]] for u in wm["regional_units"]}
    assert {k: sorted(v) for k, v in units.items()} == {
        k: sorted(v) for k, v in WESTERN_MACEDONIA.items()
    }
    municipalities = {m["code"]: m for u in wm["regional_units"] for m in u["municipalities"]}
    with_centre = {code for code, m in municipalities.items() if m["centres"]}
    assert with_centre == WM_WITH_CENTRE
    assert municipalities["eordaia"]["seat"] == "Πτολεμαΐδα"

    def sites(code):
        return {
            (s["kind"], s["serves_municipality"], s["specialisation"])
            for s in municipalities[code]["centres"][0]["sites"]
        }

    assert ("antenna", "nestorio", None) in sites("kastoria")
    assert ("antenna", "prespes", None) in sites("florina")
    assert ("branch", "florina", "roma") in sites("florina")
    assert ("branch", "eordaia", "roma") in sites("eordaia")
    antennas = [
        s
        for m in municipalities.values()
        for c in m["centres"]
        for s in c["sites"]
        if s["kind"] == "antenna"
    ]
    assert len(antennas) == 2

    thessaly = regions["thessalia"]
    [magnesia] = thessaly["regional_units"]
    [almyros] = magnesia["municipalities"]
    assert almyros["name"] == "Αλμυρός"
    assert len(almyros["centres"]) == 1


def test_loading_the_reference_network_twice_changes_nothing(db):
    network_load_reference()
    first = network_json()
    counts = (Centre.objects.count(), Site.objects.count())
    network_load_reference()
    assert network_json() == first
    assert (Centre.objects.count(), Site.objects.count()) == counts == (11, 15)


def test_every_centre_has_exactly_one_main_office(db):
    network_load_reference()
    for centre in Centre.objects.all():
        assert centre.sites.filter(kind="main").count() == 1, centre.code
