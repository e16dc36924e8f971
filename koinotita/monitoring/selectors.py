"""Reads for monitoring, always through the centre scope (koinotita.accounts.scoping).

Two kinds of read: a person's participation records (CASE_FILES in the owning centre,
audited) and aggregate scopes (a centre, a municipality, a region, the country), which a
user reaches when they hold AGGREGATES in every centre of it — or, for one centre, when they
keep its case files. Outside the user's scope is a 404 (Http404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.dates import age_on
from koinotita.monitoring.models import Participation, Submission
from koinotita.organisations.models import Centre, Municipality, Region
from koinotita.people.models import Category, Relationship
from koinotita.people.selectors import household_members, persons_listed

LEVELS = ("centre", "municipality", "region", "national")


@dataclass(frozen=True)
class ReportScope:
    level: str  # centre, municipality, region, national
    code: str  # "" for national
    label: str
    centre_ids: tuple[int, ...]
    suppress: bool  # the report leaves the centre: small cells are suppressed

    @property
    def spec(self) -> str:
        return self.level if self.level == "national" else f"{self.level}:{self.code}"


def participation_list_for(user) -> QuerySet[Participation]:
    return restrict(Participation.objects.all(), user, Capability.CASE_FILES, person_field="person")


def participation_list_for_person(user, person) -> QuerySet[Participation]:
    return (
        participation_list_for(user)
        .filter(centre_id=person.centre_id, person=person)
        .order_by("entry_date", "pk")
    )


def participation_page_for(user, *, size: int = 100, request=None) -> list[Participation]:
    """The latest records in scope; the read is audited as one list naming their persons."""
    records = list(
        participation_list_for(user)
        .select_related("person", "centre")
        .order_by("-entry_date", "-pk")[:size]
    )
    persons_listed(
        user, action="participation.list", persons=[r.person_id for r in records], request=request
    )
    return records


def participation_get_for(user, pk: int, *, request=None, audit: bool = True) -> Participation:
    record = participation_list_for(user).select_related("person", "centre").filter(pk=pk).first()
    if record is None:
        raise Http404
    if audit:
        audit_record(
            action="participation.read",
            actor=user,
            obj=record,
            request=request,
            detail={"person": record.person_id},
        )
    return record


def centres_of_scope(level: str, code: str) -> tuple[str, QuerySet[Centre]]:
    centres = Centre.objects.filter(is_active=True)
    if level == "centre":
        centre = Centre.objects.filter(code=code, is_active=True).first()
        if centre is None:
            raise Http404
        return centre.label, centres.filter(pk=centre.pk)
    if level == "municipality":
        place = Municipality.objects.filter(code=code).first()
        if place is None:
            raise Http404
        return place.label, centres.filter(municipality=place)
    if level == "region":
        place = Region.objects.filter(code=code).first()
        if place is None:
            raise Http404
        return place.label, centres.filter(municipality__regional_unit__region=place)
    if level == "national":
        return _("National"), centres
    raise Http404


def parse_scope(spec: str) -> tuple[str, str]:
    """`centre:CODE`, `municipality:CODE`, `region:CODE` or `national`; ValueError if not."""
    spec = (spec or "").strip()
    if spec == "national":
        return "national", ""
    level, _sep, code = spec.partition(":")
    if level not in LEVELS or level == "national" or not code:
        raise ValueError(spec)
    return level, code


def report_scope_for(user, spec: str) -> ReportScope:
    """The aggregate scope `spec` if the user may see it whole, else Http404."""
    try:
        level, code = parse_scope(spec)
    except ValueError:
        raise Http404 from None
    label, centres = centres_of_scope(level, code)
    ids = tuple(sorted(centres.values_list("pk", flat=True)))
    scope = scope_for(user)
    if level == "centre" and ids and scope.allows(Capability.CASE_FILES, ids[0]):
        allowed = True
    else:
        allowed = bool(ids) and all(scope.allows(Capability.AGGREGATES, cid) for cid in ids)
    if not allowed:
        raise Http404
    # Everything above one centre leaves it; so does whatever a monitor (no supervision or
    # case files there) reads of one centre.
    inside = level == "centre" and (
        scope.allows(Capability.SUPERVISE, ids[0]) or scope.allows(Capability.CASE_FILES, ids[0])
    )
    return ReportScope(level, code, label, ids, suppress=not inside)


def report_scope_choices(user) -> list[tuple[str, str]]:
    """The aggregate scopes open to the user, for the report and dashboard forms: one query
    (every active centre with its municipality and region), the rest worked out here."""
    scope = scope_for(user)
    agg_ids = scope.centre_ids(Capability.AGGREGATES)
    mine = agg_ids | scope.centre_ids(Capability.CASE_FILES)
    if not mine:
        return []
    active = list(
        Centre.objects.filter(is_active=True).select_related("municipality__regional_unit__region")
    )
    centres = [c for c in active if c.pk in mine]
    choices: dict[str, str] = {}
    if agg_ids and {c.pk for c in active} <= agg_ids:
        choices["national"] = _("National")
    regions = {c.municipality.regional_unit.region for c in centres}
    for region in sorted(regions, key=lambda r: r.name):
        ids = {c.pk for c in active if c.municipality.regional_unit.region_id == region.pk}
        if ids <= agg_ids:
            choices[f"region:{region.code}"] = _("Region: %(name)s") % {"name": region.label}
    for municipality in sorted({c.municipality for c in centres}, key=lambda m: m.name):
        ids = {c.pk for c in active if c.municipality_id == municipality.pk}
        if ids <= agg_ids:
            choices[f"municipality:{municipality.code}"] = _("Municipality: %(name)s") % {
                "name": municipality.label
            }
    for centre in centres:
        choices[f"centre:{centre.code}"] = _("Centre: %(name)s") % {"name": centre.label}
    return list(choices.items())


def submission_list_for(user) -> QuerySet[Submission]:
    ids = scope_for(user).centre_ids(Capability.AGGREGATES)
    return Submission.objects.filter(centre_id__in=sorted(ids)).select_related(
        "centre", "submitted_by"
    )


def submission_get_for(user, pk: int) -> Submission:
    found = submission_list_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def submission_status(user, report_scope: ReportScope, *, start, end, set_key: str) -> list:
    """Per centre of the scope: its latest submission for the period (or None)."""
    latest: dict[int, Submission] = {}
    for sub in (
        submission_list_for(user)
        .filter(
            centre_id__in=report_scope.centre_ids,
            period_start=start,
            period_end=end,
            indicator_set=set_key,
        )
        .order_by("centre_id", "-version")
    ):
        latest.setdefault(sub.centre_id, sub)
    centres = Centre.objects.filter(pk__in=report_scope.centre_ids).order_by("name")
    return [(centre, latest.get(centre.pk)) for centre in centres]


EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


def participation_initial(person, *, on=None) -> dict:
    """What the entry form can fill in from the person's record: sex, age at entry, the
    coded categories (unemployed, disability, migrant, Roma), citizenship, household."""
    from django.utils import timezone

    on = on or timezone.localdate()
    categories = set(person.categories or [])
    initial = {
        "entry_date": on,
        "sex": person.sex,
        "age_at_entry": age_on(person.birth_date, on),
    }
    if Category.UNEMPLOYED in categories:
        initial["labour_status"] = "unemployed"
    if Category.DISABILITY in categories:
        initial["disability"] = "yes"
    if Category.MIGRANT in categories:
        initial["migrant"] = "yes"
    if Category.ROMA in categories:
        initial["minority"] = "yes"
    citizenship = (person.citizenship or "GR").upper()
    if citizenship not in EU_COUNTRIES:
        initial["third_country"] = True
        initial["migrant"] = "yes"
    members = household_members(person) if person.household_id else []
    children = [
        m
        for m in members
        if m.household_relationship == Relationship.CHILD
        and (age_on(m.birth_date, on) is None or age_on(m.birth_date, on) < 18)
    ]
    if children:
        initial["dependent_children"] = True
        adults = [m for m in members if m not in children]
        if not adults:
            initial["single_adult"] = True
    return initial
