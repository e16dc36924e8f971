"""Writes of the programmes app: the catalogue (versioned), its dated parameters, saved
pre-screenings and the help with applications. One transaction and one audit event per
call; errors are ValidationErrors with Greek (and English) messages."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.admin_site import is_administrator
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.dates import add_months
from koinotita.people.models import Person
from koinotita.programmes import screening, selectors
from koinotita.programmes.models import (
    Application,
    ApplicationStep,
    Parameter,
    Prescreening,
    Programme,
    ProgrammeDocument,
    ProgrammeVersion,
)
from koinotita.programmes.plugins import application_changed
from koinotita.programmes.rules import Facts
from koinotita.programmes.rules.minimum_income import CODE as MINIMUM_INCOME
from koinotita.programmes.states import DECISIONS, next_state

VERSIONED_FIELDS = [
    "code", "name", "name_en", "managing_body", "managing_body_en", "gives", "gives_en",
    "who_for", "who_for_en", "apply_channels", "apply_url", "how_to_apply", "how_to_apply_en",
    "centre_role", "centre_role_en", "legal_source", "unknown_figures", "order", "is_active",
]  # fmt: skip


# --- The catalogue ----------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied(_("Only an administrator edits the programme catalogue."))


def programme_snapshot(programme: Programme) -> dict:
    """The programme's versioned content: its fields and its documents checklist."""
    data = {f: getattr(programme, f) for f in VERSIONED_FIELDS}
    data["documents"] = (
        [
            {"code": d.code, "name": d.name, "name_en": d.name_en, "order": d.order}
            for d in programme.documents.order_by("order", "pk")
        ]
        if programme.pk
        else []
    )
    return data


def _documents_replace(programme: Programme, documents: list[dict]) -> None:
    codes = [d["code"] for d in documents]
    if len(set(codes)) != len(codes):
        raise ValidationError({"documents": [_("Two documents of the checklist share a code.")]})
    programme.documents.exclude(code__in=codes).delete()
    existing = {d.code: d for d in programme.documents.all()}
    for n, entry in enumerate(documents):
        document = existing.get(entry["code"]) or ProgrammeDocument(
            programme=programme, code=entry["code"]
        )
        document.name = entry["name"]
        document.name_en = entry.get("name_en", "")
        document.order = entry.get("order", n)
        document.full_clean(exclude=["programme"])
        document.save()


@transaction.atomic
def programme_save(
    *, programme: Programme, actor, documents: list[dict] | None = None, request=None
) -> Programme:
    """Create or change a programme (and, if given, replace its documents checklist); a
    change writes a new ProgrammeVersion with who, when and each field before → after."""
    _require_admin(actor)
    if programme.pk:
        stored = Programme.objects.select_for_update().get(pk=programme.pk)
        before = programme_snapshot(stored)
        programme.version = stored.version
    else:
        before = {}
    if not (programme.legal_source or "").strip():
        raise ValidationError({"legal_source": [_("A programme needs its legal source.")]})
    programme.full_clean()
    programme.save()
    if documents is not None:
        _documents_replace(programme, documents)
    after = programme_snapshot(programme)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        programme.version += 1
        Programme.objects.filter(pk=programme.pk).update(version=programme.version)
        ProgrammeVersion.objects.create(
            programme=programme,
            version=programme.version,
            changed_by=actor,
            changes=changes,
            snapshot=after,
        )
        audit_record(
            action="programme.saved",
            actor=actor,
            obj=programme,
            request=request,
            detail={"version": programme.version, "fields": sorted(changes)},
        )
    return programme


def parameter_check(*, parameter: Parameter) -> None:
    """Refuse a parameter without a legal source, a negative value, an end before the start,
    or validity that overlaps another value of the same key."""
    errors: dict[str, list[str]] = {}
    if not (parameter.legal_source or "").strip():
        errors["legal_source"] = [_("A parameter needs the legal source it comes from.")]
    if parameter.value is not None and parameter.value < 0:
        errors["value"] = [_("A parameter cannot be negative.")]
    if parameter.valid_to and parameter.valid_from and parameter.valid_to < parameter.valid_from:
        errors["valid_to"] = [_("The end of validity is before its start.")]
    if errors:
        raise ValidationError(errors)
    overlapping = Parameter.objects.filter(
        programme_id=parameter.programme_id, key=parameter.key
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=parameter.valid_from))
    if parameter.valid_to:
        overlapping = overlapping.filter(valid_from__lte=parameter.valid_to)
    if parameter.pk:
        overlapping = overlapping.exclude(pk=parameter.pk)
    clash = overlapping.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": [
                    _("Its validity overlaps another value of %(key)s: %(other)s.")
                    % {"key": parameter.key, "other": clash}
                ]
            }
        )


@transaction.atomic
def parameter_save(*, parameter: Parameter, actor, request=None) -> Parameter:
    """Create or change a dated parameter (checked by `parameter_check`). A saved
    pre-screening keeps the values it used, so changing a parameter never changes it."""
    _require_admin(actor)
    # Two administrators adding values of one key at once: the programme's row serialises them.
    Programme.objects.select_for_update().get(pk=parameter.programme_id)
    parameter_check(parameter=parameter)
    creating = parameter.pk is None
    if creating:
        parameter.created_by = actor
    parameter.full_clean()
    parameter.save()
    audit_record(
        action="programme.parameter_saved",
        actor=actor,
        obj=parameter.programme,
        request=request,
        detail={
            "parameter": parameter.pk,
            "key": parameter.key,
            "value": str(parameter.value),
            "valid_from": parameter.valid_from.isoformat(),
            "valid_to": parameter.valid_to.isoformat() if parameter.valid_to else None,
            "created": creating,
        },
    )
    return parameter


# --- Pre-screening ----------------------------------------------------------------------------


def facts_validate(facts: Facts) -> None:
    """Refuse facts no household can have (a negative income or asset value)."""
    errors: dict[str, list[str]] = {}
    for key, message in (
        ("income_6m", _("Income cannot be negative.")),
        ("deposits", _("Deposits cannot be negative.")),
        ("real_estate", _("The value of real estate cannot be negative.")),
    ):
        value = getattr(facts, key)
        if value is not None and value < 0:
            errors[key] = [message]
    if any(m.age is not None and not 0 <= m.age <= 120 for m in facts.members):
        errors["members"] = [_("An age must be between 0 and 120.")]
    if errors:
        raise ValidationError(errors)


def _check_person(actor, person: Person) -> None:
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, person.centre_id):
        raise PermissionDenied(_("This person is not a record of your centres."))
    if not person.is_active:
        raise ValidationError(_("This record is merged or anonymised."))


@transaction.atomic
def prescreening_save(
    *, actor, person: Person, facts: Facts, on: date, request=None
) -> Prescreening:
    """Run every programme's rule on `facts` as of `on` and keep the result — with each
    rule's version and the parameters it used — as the person's dated pre-screening."""
    _check_person(actor, person)
    facts_validate(facts)
    results = screening.evaluate(facts, on)
    prescreening = Prescreening.objects.create(
        centre_id=person.centre_id,
        person=person,
        on=on,
        facts=facts.to_json(),
        results=[r.to_json() for r in results],
        created_by=actor,
    )
    audit_record(
        action="prescreening.created",
        actor=actor,
        obj=person,
        request=request,
        detail={"prescreening": prescreening.pk, "on": on.isoformat()},
    )
    return prescreening


# --- Applications -----------------------------------------------------------------------------


def _step(application: Application, action: str, actor, **detail) -> None:
    ApplicationStep.objects.create(
        centre_id=application.centre_id,
        application=application,
        action=action,
        state=application.state,
        actor=actor,
        detail={k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in detail.items()},
    )


def _audit(application: Application, action: str, actor, request, **detail) -> None:
    audit_record(
        action=f"application.{action}",
        actor=actor,
        obj=application.person,
        request=request,
        detail={"application": application.pk, **detail},
    )


@transaction.atomic
def application_create(*, actor, person: Person, programme: Programme, request=None):
    """Open the help with `person`'s application to `programme` (in preparation)."""
    _check_person(actor, person)
    if not programme.is_active:
        raise ValidationError({"programme": [_("This programme is no longer in the catalogue.")]})
    application = Application.objects.create(
        centre_id=person.centre_id, person=person, programme=programme, staff=actor
    )
    _step(application, "create", actor)
    _audit(application, "created", actor, request, programme=programme.code)
    application_changed(application=application, actor=actor)
    return application


def _locked(application: Application, actor) -> Application:
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, application.centre_id):
        raise PermissionDenied(_("This application is not of your centres."))
    return (
        Application.objects.select_for_update()
        .select_related("programme", "person")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_documents_set(*, actor, application: Application, codes: list[str], request=None):
    """Tick the documents collected, from the programme's checklist."""
    application = _locked(application, actor)
    known = set(application.programme.documents.values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise ValidationError(
            {"documents": [_("Not in the programme's checklist: %(codes)s.") % {
                "codes": ", ".join(unknown)}]}
        )  # fmt: skip
    if application.state not in (Application.State.PREPARATION, Application.State.NEEDS_DOCUMENTS):
        raise ValidationError(_("Documents are collected before submitting or when asked for."))
    application.documents = sorted(set(codes))
    application.save(update_fields=["documents", "updated_at"])
    _step(application, "documents", actor, documents=",".join(application.documents))
    _audit(application, "documents", actor, request, documents=application.documents)
    return application


def _move(application: Application, step: str) -> str:
    after = next_state(step, application.state)
    if after is None:
        raise ValidationError(
            _("This step cannot be taken from the state «%(state)s».")
            % {"state": application.get_state_display()}
        )
    return after


@transaction.atomic
def application_submit(
    *,
    actor,
    application: Application,
    submitted_on: date,
    reference_number: str,
    request=None,
) -> Application:
    """Record the submission on the platform: date, reference number, by whom. A reference
    number already used for another person's application to the programme is refused."""
    application = _locked(application, actor)
    after = _move(application, "submit")
    reference_number = (reference_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not reference_number:
        errors["reference_number"] = [_("Enter the platform's reference number.")]
    if submitted_on is None:
        errors["submitted_on"] = [_("Enter the date of submission.")]
    elif submitted_on > timezone.localdate():
        errors["submitted_on"] = [_("The date of submission cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    used = (
        Application.objects.filter(
            programme_id=application.programme_id, reference_number=reference_number
        )
        .exclude(pk=application.pk)
        .first()
    )
    if used is not None:
        raise ValidationError(
            {
                "reference_number": [
                    _("This reference number is already recorded for another application.")
                ]
            }
        )
    application.state = after
    application.submitted_on = submitted_on
    application.reference_number = reference_number
    application.submitted_by = actor
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # the same number saved at the same moment elsewhere
        raise ValidationError(
            {
                "reference_number": [
                    _("This reference number is already recorded for another application.")
                ]
            }
        ) from exc
    _step(application, "submit", actor, reference_number=reference_number, on=submitted_on)
    _audit(application, "submitted", actor, request, reference_number=reference_number)
    application_changed(application=application, actor=actor)
    return application


def renewal_date(application: Application, decision_on: date) -> date | None:
    """The first day of the month the approval expires: the decision's month plus the
    programme's `approval_months` in force on the decision date (None: no such parameter)."""
    months = (
        screening.parameters_in_force(decision_on)
        .get(application.programme_id, {})
        .get("approval_months")
    )
    if months is None:
        return None
    return add_months(decision_on, int(months.value))


@transaction.atomic
def application_decide(
    *,
    actor,
    application: Application,
    step: str,
    decision_on: date,
    amount: Decimal | None = None,
    renewal_on: date | None = None,
    request=None,
) -> Application:
    """Record the platform's answer: approved (with amount and renewal date — computed from
    the programme's parameters unless given), rejected, or documents asked for."""
    if step not in DECISIONS:
        raise ValidationError(_("Choose the decision."))
    application = _locked(application, actor)
    after = _move(application, step)
    errors: dict[str, list[str]] = {}
    if decision_on is None:
        errors["decision_on"] = [_("Enter the date of the decision.")]
    elif decision_on > timezone.localdate():
        errors["decision_on"] = [_("The date of the decision cannot be in the future.")]
    elif application.submitted_on and decision_on < application.submitted_on:
        errors["decision_on"] = [_("The decision cannot be before the submission.")]
    if amount is not None and amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if step == "approve" and renewal_on is not None and decision_on and renewal_on <= decision_on:
        errors["renewal_on"] = [_("The renewal date must be after the decision.")]
    if errors:
        raise ValidationError(errors)
    application.state = after
    application.decision_on = decision_on
    if step == "approve":
        application.amount = amount
        application.renewal_on = renewal_on or renewal_date(application, decision_on)
    application.save()
    _step(
        application,
        step,
        actor,
        on=decision_on,
        amount=amount if amount is not None else "",
        renewal_on=application.renewal_on or "",
    )
    _audit(application, step, actor, request, state=after)
    application_changed(application=application, actor=actor)
    return application


@transaction.atomic
def application_end(*, actor, application: Application, request=None) -> Application:
    """Close the help with the application (approval over, rejection accepted, given up)."""
    application = _locked(application, actor)
    application.state = _move(application, "end")
    application.save(update_fields=["state", "updated_at"])
    _step(application, "end", actor)
    _audit(application, "ended", actor, request)
    application_changed(application=application, actor=actor)
    return application


def is_minimum_income(application: Application) -> bool:
    return application.programme.code == MINIMUM_INCOME


# --- The printable pre-screening ----------------------------------------------------------


@dataclass
class Printout:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


def prescreening_pdf(*, actor, prescreening: Prescreening, request=None) -> Printout:
    """The pre-screening as a Greek PDF for the person to take home: the date, every
    programme's verdict, reasons, missing facts and documents to bring; never a decision."""
    from weasyprint import HTML  # import on use: it loads Pango, which takes a moment
    from weasyprint.urls import URLFetcher  # import on use: with the line above

    _check_person(actor, prescreening.person)
    with translation.override("el"):
        html = render_to_string(
            "programmes/prescreening_pdf.html",
            {
                "prescreening": prescreening,
                "results": selectors.results_for_display(prescreening.results),
                "centre": prescreening.centre,
                "actor": actor,
            },
        )
    content = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    with transaction.atomic():
        audit_record(
            action="prescreening.printed",
            actor=actor,
            obj=prescreening.person,
            request=request,
            detail={"prescreening": prescreening.pk, "bytes": len(content)},
        )
    return Printout(filename=f"prescreening-{prescreening.pk}.pdf", content=content)
