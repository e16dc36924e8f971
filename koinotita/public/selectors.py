"""What the citizens' pages read: the network's centres and sites, the service catalogue,
the programme catalogue. Nothing here touches a person; nothing is written."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from koinotita.lib.greek import search_keys, search_terms
from koinotita.organisations.models import Centre, Municipality, Site
from koinotita.programmes.models import Programme
from koinotita.programmes.rules import Facts
from koinotita.programmes.screening import evaluate
from koinotita.programmes.selectors import programme_list, results_for_display
from koinotita.programmes.services import facts_validate
from koinotita.reception.models import Service

SITE_ORDER = {Site.Kind.MAIN: 0, Site.Kind.BRANCH: 1, Site.Kind.ANTENNA: 2, Site.Kind.MOBILE: 3}


def _open_sites() -> QuerySet[Site]:
    return Site.objects.filter(is_active=True, centre__is_active=True).select_related(
        "serves_municipality"
    )


def centre_list() -> list[Centre]:
    """Every open centre with its open sites, by region then name."""
    return list(
        Centre.objects.filter(is_active=True)
        .select_related("municipality__regional_unit__region")
        .prefetch_related(Prefetch("sites", queryset=_open_sites(), to_attr="open_sites"))
        .order_by("municipality__regional_unit__region__name", "name")
    )


def centre_get(code: str) -> Centre:
    centre = (
        Centre.objects.filter(is_active=True, code=code)
        .select_related("municipality__regional_unit__region")
        .prefetch_related(Prefetch("sites", queryset=_open_sites(), to_attr="open_sites"))
        .first()
    )
    if centre is None:
        raise Http404
    centre.open_sites.sort(key=lambda s: (SITE_ORDER.get(s.kind, 9), s.name))
    return centre


def municipality_list() -> QuerySet[Municipality]:
    """The municipalities a site serves (antennas included): what a visitor picks."""
    return (
        Municipality.objects.filter(served_by_sites__in=_open_sites()).distinct().order_by("name")
    )


def sites_serving(municipality: Municipality | None) -> list[Site]:
    """The sites that serve residents of `municipality`: its antenna or its centre's
    offices (main office first, then branches), each with its centre."""
    if municipality is None:
        return []
    sites = list(_open_sites().filter(serves_municipality=municipality).select_related("centre"))
    return sorted(sites, key=lambda s: (SITE_ORDER.get(s.kind, 9), s.name))


def site_choices() -> list[Site]:
    """Every open site with its centre, for the request form."""
    sites = list(_open_sites().select_related("centre"))
    return sorted(sites, key=lambda s: (s.centre.name, SITE_ORDER.get(s.kind, 9), s.name))


def site_by_code(code: str) -> Site | None:
    return _open_sites().select_related("centre").filter(code=code).first()


def service_axes() -> list[tuple[str, list[Service]]]:
    """What a centre does: the service catalogue by axis."""
    labels = dict(Service.Axis.choices)
    axes: dict[str, list[Service]] = {}
    for service in Service.objects.filter(is_active=True).order_by("axis", "order"):
        axes.setdefault(service.axis, []).append(service)
    return [(labels[axis], services) for axis, services in axes.items()]


# A programme's search keys, by (id, last change): the catalogue is a dozen programmes
# whose long texts are folded and stemmed once per process, not once per search.
_KEYS: dict[tuple, tuple[str, str]] = {}


def _programme_keys(p: Programme) -> tuple[str, str]:
    key = (p.pk, p.updated_at)
    if key not in _KEYS:
        text = " ".join([p.name, p.name_en, p.gives, p.gives_en, p.who_for, p.who_for_en])
        _KEYS[key] = search_keys(text)
    return _KEYS[key]


def programme_search(text: str = "") -> list[Programme]:
    """The programme catalogue, or the programmes whose words match `text` (Greek-aware, the
    directory's terms: lib.greek.search_terms)."""
    programmes = list(programme_list())
    terms = search_terms(text)
    if not terms:
        return programmes
    return [p for p in programmes if all(t.matches(*_programme_keys(p)) for t in terms)]


def self_check(facts: Facts, on: date) -> list[dict]:
    """The staff pre-screening's rules run on what a visitor typed, as the pages show them:
    per programme probably / probably not / cannot tell, why, what is missing and what to
    bring. Refuses impossible facts (programmes.services.facts_validate). Stores nothing."""
    facts_validate(facts)
    return results_for_display([r.to_json() for r in evaluate(facts, on)])
