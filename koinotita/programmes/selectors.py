"""Reads of the programmes app. The catalogue is public reference data; pre-screenings and
applications are personal data, read through the centre scope and audited."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from koinotita.accounts.scoping import Capability, restrict
from koinotita.audit.services import audit_record
from koinotita.lib.dates import age_on
from koinotita.people.models import Category, Person, Relationship
from koinotita.programmes.models import Application, Prescreening, Programme, Verdict
from koinotita.programmes.rules import Facts, Member
from koinotita.programmes.rules.base import FACT_LABELS, render_reason
from koinotita.programmes.states import NEEDS_ACTION

RENEWAL_NOTICE_DAYS = 30  # an approval whose renewal is this close needs action


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True).prefetch_related("documents")


def programme_get(code: str) -> Programme:
    programme = programme_list().filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


# --- What the records already hold about a household --------------------------------------


def household_members(person: Person) -> list[Person]:
    """The person first, then the other active members of their household (same centre)."""
    if not person.household_id:
        return [person]
    others = (
        Person.objects.filter(
            centre_id=person.centre_id,
            household_id=person.household_id,
            merged_into__isnull=True,
            anonymised_at__isnull=True,
        )
        .exclude(pk=person.pk)
        .order_by("birth_date", "pk")
    )
    return [person, *others]


def facts_from_records(person: Person, on: date) -> Facts:
    """The pre-screening's starting facts: members with their age on `on`, relationship and
    disability from the recorded categories; a single-parent family when one adult lives
    with their children only. Income, assets and housing are asked."""
    members = []
    for member in household_members(person):
        members.append(
            Member(
                age=age_on(member.birth_date, on),
                relationship=member.household_relationship,
                disability=True if Category.DISABILITY in (member.categories or []) else None,
                unemployed=True if Category.UNEMPLOYED in (member.categories or []) else None,
            )
        )
    facts = Facts(members=tuple(members))
    single_parent = None
    if facts.ages_known and facts.adults == 1 and facts.minors:
        minors_are_children = all(
            m.relationship == Relationship.CHILD for m in members if m.age < 18
        )
        single_parent = True if minors_are_children else None
    return Facts(members=facts.members, single_parent=single_parent)


# --- Pre-screenings -----------------------------------------------------------------------


def prescreening_list_for_person(user, person: Person) -> QuerySet[Prescreening]:
    return restrict(
        Prescreening.objects.filter(person=person),
        user,
        Capability.PERSONAL_DATA,
        person_field="person",
    ).order_by("-created_at")


def prescreening_get_for(user, pk: int, *, request=None, audit: bool = True) -> Prescreening:
    found = (
        restrict(Prescreening.objects.all(), user, Capability.PERSONAL_DATA, person_field="person")
        .select_related("person", "created_by")
        .filter(pk=pk, person__merged_into__isnull=True, person__anonymised_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404
    if audit:
        audit_record(
            action="prescreening.read",
            actor=user,
            obj=found.person,
            request=request,
            detail={"prescreening": found.pk},
        )
    return found


# --- Applications -------------------------------------------------------------------------


def application_list_for(user) -> QuerySet[Application]:
    return restrict(
        Application.objects.all(), user, Capability.PERSONAL_DATA, person_field="person"
    )


def application_list_for_person(user, person: Person) -> QuerySet[Application]:
    return (
        application_list_for(user)
        .filter(person=person)
        .select_related("programme")
        .order_by("-created_at")
    )


def application_get_for(user, pk: int, *, request=None, audit: bool = True) -> Application:
    found = (
        application_list_for(user)
        .select_related("person", "programme", "staff", "submitted_by")
        .filter(pk=pk, person__merged_into__isnull=True, person__anonymised_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404
    if audit:
        audit_record(
            action="application.read",
            actor=user,
            obj=found.person,
            request=request,
            detail={"application": found.pk},
        )
    return found


def applications_needing_action_for(
    user, *, today: date, request=None, limit: int = 100
) -> list[Application]:
    """The worker's applications with something to do: in preparation, documents asked for,
    or an approval whose renewal is due within RENEWAL_NOTICE_DAYS (or past). One query
    (index programmes_application_staff); the listing is audited with the persons it shows."""
    soon = today + timedelta(days=RENEWAL_NOTICE_DAYS)
    found = list(
        application_list_for(user)
        .filter(staff=user)
        .filter(
            Q(state__in=sorted(NEEDS_ACTION))
            | Q(state=Application.State.APPROVED, renewal_on__lte=soon)
        )
        .select_related("person", "programme")
        .order_by("renewal_on", "created_at")[:limit]
    )
    if found:
        audit_record(
            action="application.list",
            actor=user,
            request=request,
            centre=found[0].centre_id,
            detail={"persons": sorted({a.person_id for a in found})},
        )
    return found


HOME_APPLICATIONS = 8


def applications_home_for(user, *, today: date, request=None) -> dict:
    """The home page's "applications needing action": the first HOME_APPLICATIONS (renewals
    soonest first), whether there are more, and the link to all. Nothing for a user who
    keeps no applications. Two queries and one audit event, whatever the volume."""
    found = applications_needing_action_for(
        user, today=today, request=request, limit=HOME_APPLICATIONS + 1
    )
    if not found:
        return {}
    return {
        "rows": [(a, renewal_is_due(a, today)) for a in found[:HOME_APPLICATIONS]],
        "more": len(found) > HOME_APPLICATIONS,
    }


def renewal_is_due(application: Application, today: date) -> bool:
    return (
        application.state == Application.State.APPROVED
        and application.renewal_on is not None
        and application.renewal_on <= today + timedelta(days=RENEWAL_NOTICE_DAYS)
    )


# --- Results as the pages show them -------------------------------------------------------


def results_for_display(results: list[dict]) -> list[dict]:
    """Each stored (or just computed) result with its programme, its verdict's label, its
    reasons in the active language, the missing facts named, and the documents to bring
    (the checklist, unless the verdict is "probably not")."""
    programmes = {
        p.code: p for p in programme_list().filter(code__in=[r["programme"] for r in results])
    }
    labels = dict(Verdict.choices)
    shown = []
    for result in results:
        programme = programmes.get(result["programme"])
        shown.append(
            {
                "code": result["programme"],
                "programme": programme,
                "verdict": result["verdict"],
                "verdict_label": labels.get(result["verdict"], result["verdict"]),
                "reasons": [render_reason(r) for r in result.get("reasons", ())],
                "missing": [str(FACT_LABELS.get(k, k)) for k in result.get("missing", ())],
                "amount": Decimal(result["amount"]) if result.get("amount") else None,
                "documents": (
                    list(programme.documents.all())
                    if programme is not None and result["verdict"] != Verdict.PROBABLY_NOT
                    else []
                ),
                "rule_version": result.get("rule_version", ""),
                "rule_source": result.get("rule_source", ""),
                "parameters": result.get("parameters", {}),
            }
        )
    return shown


# --- Figures (aggregates; monitoring suppresses and shows them) ---------------------------


def programme_figure_counts(centre_ids: list[int]) -> dict:
    """The raw counts of the figures over `centre_ids`: applications by programme and state
    (one GROUP BY), pre-screenings by programme and verdict (over the stored results), and
    each submitted application's person, programme and dates (for the medians)."""
    applications = Counter()
    for row in (
        Application.objects.filter(centre_id__in=centre_ids)
        .values("programme__code", "state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        applications[(row["programme__code"], row["state"])] = row["n"]
    verdicts = Counter()
    for results in (
        Prescreening.objects.filter(centre_id__in=centre_ids)
        .values_list("results", flat=True)
        .iterator(chunk_size=2000)
    ):
        for result in results:
            verdicts[(result["programme"], result["verdict"])] += 1
    submitted = list(
        Application.objects.filter(centre_id__in=centre_ids, submitted_on__isnull=False)
        .values_list("centre_id", "person_id", "programme__code", "submitted_on", "decision_on")
        .order_by()
    )
    return {"applications": applications, "verdicts": verdicts, "submitted": submitted}
