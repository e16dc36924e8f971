"""Reads of the network. Personal data never lives here, but what a user sees of the
network is still scoped: a worker of one centre sees their own centre, not the others."""

from django.db.models import Prefetch
from django.http import Http404

from koinotita.accounts.scoping import Capability, centres_for
from koinotita.organisations.models import Centre, Region, Site


def centre_list_for(user):
    return centres_for(user, Capability.VIEW_NETWORK).prefetch_related(
        Prefetch("sites", queryset=Site.objects.select_related("serves_municipality"))
    )


def centre_get_for(user, code: str) -> Centre:
    """The centre with this code if the user may see it; 404 otherwise (never 403)."""
    centre = centre_list_for(user).filter(code=code).first()
    if centre is None:
        raise Http404
    return centre


def network_snapshot() -> dict:
    """The whole network as plain data (`koinotita network --json`), for operators."""
    sites = Site.objects.select_related("serves_municipality").order_by("code")
    centres = Centre.objects.prefetch_related(Prefetch("sites", queryset=sites)).order_by("code")
    centres_by_municipality: dict[int, list] = {}
    for centre in centres:
        centres_by_municipality.setdefault(centre.municipality_id, []).append(
            {
                "code": centre.code,
                "name": centre.name,
                "name_en": centre.name_en,
                "active": centre.is_active,
                "sites": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "name_en": s.name_en,
                        "kind": s.kind,
                        "specialisation": s.specialisation or None,
                        "serves_municipality": s.serves_municipality.code,
                        "active": s.is_active,
                    }
                    for s in centre.sites.all()
                ],
            }
        )
    regions = Region.objects.prefetch_related("regional_units__municipalities").order_by("code")
    return {
        "regions": [
            {
                "code": region.code,
                "name": region.name,
                "name_en": region.name_en,
                "regional_units": [
                    {
                        "code": unit.code,
                        "name": unit.name,
                        "name_en": unit.name_en,
                        "municipalities": [
                            {
                                "code": m.code,
                                "name": m.name,
                                "name_en": m.name_en,
                                "seat": m.seat or None,
                                "centres": centres_by_municipality.get(m.pk, []),
                            }
                            for m in sorted(unit.municipalities.all(), key=lambda m: m.code)
                        ],
                    }
                    for unit in sorted(region.regional_units.all(), key=lambda u: u.code)
                ],
            }
            for region in regions
        ]
    }
