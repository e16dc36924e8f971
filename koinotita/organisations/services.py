"""Writes to the network of regions, municipalities, centres and sites."""

from dataclasses import dataclass

from django.db import transaction

from koinotita.organisations import reference
from koinotita.organisations.models import Centre, Municipality, Region, RegionalUnit, Site


@dataclass
class LoadSummary:
    regions: int = 0
    regional_units: int = 0
    municipalities: int = 0
    centres: int = 0
    sites: int = 0


@transaction.atomic
def network_load_reference() -> LoadSummary:
    """Create or update the reference network of places.md. Safe to run any number of times."""
    summary = LoadSummary()
    municipalities: dict[str, Municipality] = {}
    for region_data in reference.REGIONS:
        region, _ = Region.objects.update_or_create(
            code=region_data["code"],
            defaults={"name": region_data["name"], "name_en": region_data["name_en"]},
        )
        summary.regions += 1
        for unit_data in region_data["regional_units"]:
            unit, _ = RegionalUnit.objects.update_or_create(
                code=unit_data["code"],
                defaults={
                    "region": region,
                    "name": unit_data["name"],
                    "name_en": unit_data["name_en"],
                },
            )
            summary.regional_units += 1
            for m in unit_data["municipalities"]:
                municipalities[m["code"]], _ = Municipality.objects.update_or_create(
                    code=m["code"],
                    defaults={
                        "regional_unit": unit,
                        "name": m["name"],
                        "name_en": m["name_en"],
                        "seat": m.get("seat", ""),
                        "note": m.get("note", ""),
                    },
                )
                summary.municipalities += 1
    for c in reference.CENTRES:
        centre, _ = Centre.objects.update_or_create(
            code=c["code"],
            defaults={
                "municipality": municipalities[c["municipality"]],
                "name": c["name"],
                "name_en": c["name_en"],
                "note": c["note"],
            },
        )
        summary.centres += 1
        for s in c["sites"]:
            Site.objects.update_or_create(
                code=s["code"],
                defaults={
                    "centre": centre,
                    "kind": s["kind"],
                    "specialisation": s.get("specialisation", ""),
                    "name": s["name"],
                    "name_en": s["name_en"],
                    "serves_municipality": municipalities[s["serves"]],
                },
            )
            summary.sites += 1
    return summary
