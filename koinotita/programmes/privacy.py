"""Programmes' personal-data contract (koinotita.people.personal_data): a person's saved
pre-screenings and applications in their subject-access export; what anonymisation erases;
what a transfer to another centre carries.

- Anonymisation keeps what the figures count — each pre-screening's date, programmes,
  verdicts and rule versions; each application's programme, state, dates, amount and steps —
  and erases the rest: the household's facts of a pre-screening (ages, income, assets) with
  the reasons and amounts computed from them, and the platform's reference number of an
  application (a national identifier of the person's file) with the steps' details.
- A merge re-points the rows itself (they have a foreign key to Person); nothing is derived
  from them, so there is no `after_merge`.
- A transfer moves the applications still open (the help with them goes on at the receiving
  centre, by the worker who accepts the transfer) with their history; the pre-screenings stay
  at the sending centre, with its read-only record, as the dated advice given there."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koinotita.people.personal_data import ExportPart, PersonalData
from koinotita.programmes.models import Application, ApplicationStep, Prescreening, Verdict
from koinotita.programmes.plugins import application_changed
from koinotita.programmes.states import OPEN


def _iso(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def prescreenings_collect(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    found = (
        Prescreening.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("created_by")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": p.pk,
            "on": _iso(p.on),
            "created_at": _iso(p.created_at),
            "by": p.created_by.get_username(),
            "facts": p.facts,
            "results": [
                {
                    "programme": r["programme"],
                    "verdict": r["verdict"],
                    "amount": r.get("amount"),
                    "missing": r.get("missing", []),
                    "rule_version": r.get("rule_version", ""),
                }
                for r in p.results
            ],
        }
        for p in found
    ]


def prescreenings_describe(record: dict) -> list[tuple[str, str]]:
    verdicts = dict(Verdict.choices)
    lines = [
        f"{r['programme']}: {verdicts.get(r['verdict'], r['verdict'])}"
        + (f" ({r['amount']} €)" if r.get("amount") else "")
        for r in record["results"]
    ]
    return [
        (str(_("Date of the assessment")), record["on"]),
        (str(_("Staff member")), record["by"]),
        (str(_("Results")), "; ".join(lines) or "—"),
    ]


def applications_collect(*, centre_id: int, person_ids: list[int]) -> list[dict]:
    found = (
        Application.objects.filter(centre_id=centre_id, person_id__in=person_ids)
        .select_related("programme", "staff")
        .prefetch_related("steps")
        .order_by("created_at", "pk")
    )
    return [
        {
            "id": a.pk,
            "programme": {"code": a.programme.code, "name": a.programme.name},
            "state": a.state,
            "documents": a.documents,
            "submitted_on": _iso(a.submitted_on),
            "reference_number": a.reference_number,
            "decision_on": _iso(a.decision_on),
            "amount": str(a.amount) if a.amount is not None else None,
            "renewal_on": _iso(a.renewal_on),
            "worker": a.staff.get_username(),
            "steps": [
                {"action": s.action, "state": s.state, "at": _iso(s.at)} for s in a.steps.all()
            ],
        }
        for a in found
    ]


def applications_describe(record: dict) -> list[tuple[str, str]]:
    states = dict(Application.State.choices)
    return [
        (str(_("Programme")), record["programme"]["name"]),
        (str(_("State")), str(states.get(record["state"], record["state"]))),
        (str(_("Submitted on")), record["submitted_on"] or "—"),
        (str(_("Reference number")), record["reference_number"] or "—"),
        (str(_("Decision date")), record["decision_on"] or "—"),
        (str(_("Monthly amount granted")), record["amount"] or "—"),
        (str(_("Renewal date")), record["renewal_on"] or "—"),
    ]


KEPT_OF_A_RESULT = ("programme", "verdict", "rule_version", "rule_source")


def programmes_erase_person(*, centre_id: int, person_ids: list[int], actor) -> dict:
    prescreenings = Prescreening.objects.filter(centre_id=centre_id, person_id__in=person_ids)
    erased = 0
    for prescreening in prescreenings:
        prescreening.facts = {}
        prescreening.results = [
            {k: r[k] for k in KEPT_OF_A_RESULT if k in r} for r in prescreening.results
        ]
        prescreening.save(update_fields=["facts", "results"])
        erased += 1
    applications = Application.objects.filter(centre_id=centre_id, person_id__in=person_ids)
    numbers = applications.exclude(reference_number="").update(reference_number="")
    ApplicationStep.objects.filter(
        centre_id=centre_id, application__in=applications.values("pk")
    ).update(detail={})
    return {"prescreenings_erased": erased, "reference_numbers_erased": numbers}


def programmes_after_transfer(*, source, person, actor) -> None:
    moving = list(
        Application.objects.select_for_update().filter(
            centre_id=source.centre_id, person=source, state__in=sorted(OPEN)
        )
    )
    for application in moving:
        ApplicationStep.objects.filter(centre_id=source.centre_id, application=application).update(
            centre_id=person.centre_id
        )
        application.centre_id = person.centre_id
        application.person = person
        application.staff = actor
        application.save(update_fields=["centre", "person", "staff", "updated_at"])
        ApplicationStep.objects.create(
            centre_id=person.centre_id,
            application=application,
            action="transfer",
            state=application.state,
            actor=actor,
            detail={"from_centre": source.centre_id},
        )
        application_changed(application=application, actor=actor, moved_from=source.centre_id)


PERSONAL_DATA = PersonalData(
    app="programmes",
    exports=(
        ExportPart(
            "prescreenings",
            _("Pre-screenings of entitlements"),
            prescreenings_collect,
            prescreenings_describe,
        ),
        ExportPart(
            "applications",
            _("Applications to programmes"),
            applications_collect,
            applications_describe,
        ),
    ),
    erase=programmes_erase_person,
    after_transfer=programmes_after_transfer,
)
