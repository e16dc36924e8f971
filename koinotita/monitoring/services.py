"""Writes of monitoring: participation entry, exit and follow-up, and the submission of a
centre's report. Keyword-only arguments, permission check, `full_clean()`, one transaction,
one audit event (koinotita.audit.services), and the object returned — for the web, the
API, the import and the commands alike. Every write of a record also brings its
participant's summary row up to date (koinotita.monitoring.summary), in the same
transaction, which is what the reports read."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.dates import age_on
from koinotita.monitoring.checks import flags_of, record_checks
from koinotita.monitoring.indicators import indicator_set
from koinotita.monitoring.models import (
    Answer,
    ExitStatus,
    LabourStatus,
    Participation,
    Submission,
)
from koinotita.monitoring.reports import report_build
from koinotita.monitoring.selectors import ReportScope
from koinotita.monitoring.summary import summary_record_changed
from koinotita.people.models import Consent, Person
from koinotita.people.selectors import consent_in_force

ENTRY_FIELDS = (
    "entry_date",
    "sex",
    "age_at_entry",
    "labour_status",
    "unemployed_months",
    "in_education",
    "self_employed",
    "isced",
    "jobless_household",
    "dependent_children",
    "single_adult",
    "household_known",
    "migrant",
    "foreign_background",
    "third_country",
    "minority",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
    "note",
)
EXIT_FIELDS = ("exit_date", "exit_status", "exit_self_employed", "qualification_gained")
EXIT_FIELDS += ("exit_observed_on",)
FOLLOWUP_FIELDS = ("followup_on", "followup_status", "improved_situation")
SENSITIVE = ("migrant", "foreign_background", "minority", "disability", "other_disadvantage")


def _require(actor, centre_id: int, capability=Capability.CASE_FILES) -> None:
    if not scope_for(actor).allows(capability, centre_id):
        raise PermissionDenied(_("You cannot keep participation records in this centre."))


def _clean_entry(record: Participation, errors: dict) -> None:
    today = timezone.localdate()
    if record.entry_date and record.entry_date > today:
        errors.setdefault("entry_date", []).append(_("The entry date is in the future."))
    if record.labour_status == LabourStatus.UNEMPLOYED and record.unemployed_months is None:
        errors.setdefault("unemployed_months", []).append(
            _("Say for how many months the participant has been unemployed.")
        )
    if record.labour_status != LabourStatus.EMPLOYED:
        record.self_employed = False


def _clean_exit(record: Participation, errors: dict) -> None:
    today = timezone.localdate()
    has_result = bool(record.exit_status or record.qualification_gained or record.exit_observed_on)
    if record.exit_date is None:
        if has_result:
            errors.setdefault("exit_date", []).append(_("A result on leaving needs the exit date."))
        return
    if record.exit_date > today:
        errors.setdefault("exit_date", []).append(_("The exit date is in the future."))
    if not record.exit_status:
        errors.setdefault("exit_status", []).append(_("Choose the situation on leaving."))
    if record.exit_status != ExitStatus.EMPLOYED:
        record.exit_self_employed = False
    if record.exit_observed_on and record.exit_observed_on < record.exit_date:
        errors.setdefault("exit_observed_on", []).append(
            _("The situation cannot be observed before the exit.")
        )


def _clean_followup(record: Participation, errors: dict) -> None:
    has_followup = bool(record.followup_on or record.followup_status or record.improved_situation)
    if not has_followup:
        return
    if record.exit_date is None:
        errors.setdefault("followup_on", []).append(
            _("A six-month result needs the exit record first.")
        )
        return
    if not record.followup_on:
        errors.setdefault("followup_on", []).append(_("Give the date of the follow-up."))
    elif record.followup_on <= record.exit_date:
        errors.setdefault("followup_on", []).append(
            _("The follow-up date must be after the exit date.")
        )
    elif record.followup_on > timezone.localdate():
        errors.setdefault("followup_on", []).append(_("The follow-up date is in the future."))
    if not record.followup_status:
        errors.setdefault("followup_status", []).append(
            _("Choose the situation six months after leaving.")
        )


def participation_clean(record: Participation) -> None:
    """Validate a record as a whole; ValidationError with every field's message at once.
    The record-level checks (koinotita.monitoring.checks) run too: an error refuses the
    record, the warnings' codes are kept on it (`flags`)."""
    errors: dict[str, list[str]] = {}
    for check in record_checks(record):
        if check.is_error:
            errors.setdefault(check.field, []).append(str(check.message))
    record.flags = flags_of(record)
    _clean_entry(record, errors)
    if record.entry_date:
        _clean_exit(record, errors)
        _clean_followup(record, errors)
    try:
        record.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def participation_enter(
    *, actor, fields: dict, person: Person | None = None, centre=None, request=None
) -> Participation:
    """Record a participant's entry (and, when given, their exit and follow-up too).

    The sex and age at entry come from the person's record when it holds them. A person
    without consent to be recorded is kept as an ANONYMOUS participant: no link to the
    person, and the sensitive answers are not kept ("declined") — counted where the rules
    allow, never dropped. Raises ValidationError (every field) or PermissionDenied."""
    centre_id = person.centre_id if person is not None else getattr(centre, "pk", centre)
    if centre_id is None:
        raise ValidationError(_("Say which centre the participant belongs to."))
    _require(actor, centre_id)
    unknown = set(fields) - set(ENTRY_FIELDS + EXIT_FIELDS + FOLLOWUP_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    record = Participation(centre_id=centre_id, created_by=actor, **fields)
    if person is not None:
        if not person.is_active:
            raise ValidationError(_("This record was merged or anonymised and cannot change."))
        if person.sex and person.sex != "U":
            record.sex = person.sex
        if person.birth_date and record.entry_date:
            record.age_at_entry = age_on(person.birth_date, record.entry_date)
        if record.entry_date and consent_in_force(person, Consent.Purpose.REGISTRATION):
            record.person = person
    if record.person_id is None:
        record.is_anonymous = True
        for name in SENSITIVE:
            setattr(record, name, Answer.DECLINED)
    participation_clean(record)
    with transaction.atomic():
        record.save()
        summary_record_changed(record)
        audit_record(
            action="participation.entered",
            actor=actor,
            obj=record,
            request=request,
            detail={
                "person": person.pk if person is not None and not record.is_anonymous else None,
                "anonymous": record.is_anonymous,
            },
        )
    return record


def _change(*, actor, record: Participation, fields: dict, allowed, action, request):
    _require(actor, record.centre_id)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)})
    before = {name: getattr(record, name) for name in fields}
    for name, value in fields.items():
        setattr(record, name, value)
    try:
        participation_clean(record)
    except ValidationError:
        for name, value in before.items():
            setattr(record, name, value)
        raise
    changed = sorted(n for n in fields if getattr(record, n) != before[n])
    with transaction.atomic():
        record.save()
        summary_record_changed(record)
        audit_record(
            action=action, actor=actor, obj=record, request=request, detail={"fields": changed}
        )
    return record


def participation_update_entry(*, actor, record: Participation, fields: dict, request=None):
    """Correct the entry record. An anonymous participant's sensitive answers stay
    unrecorded ("declined"): no one consented to keep them."""
    if record.is_anonymous:
        kept = [n for n in SENSITIVE if n in fields and fields[n] != Answer.DECLINED]
        if kept:
            raise ValidationError(
                {n: [_("An anonymous participant's sensitive answers are not kept.")] for n in kept}
            )
    return _change(
        actor=actor,
        record=record,
        fields=fields,
        allowed=ENTRY_FIELDS,
        action="participation.updated",
        request=request,
    )


def participation_exit(*, actor, record: Participation, fields: dict, request=None):
    """Record (or correct) the exit: date, situation on leaving, qualification."""
    fields = {"exit_status": "", **fields}
    return _change(
        actor=actor,
        record=record,
        fields=fields,
        allowed=EXIT_FIELDS,
        action="participation.exited",
        request=request,
    )


def participation_followup(*, actor, record: Participation, fields: dict, request=None):
    """Record the six-month follow-up of a participant who has left."""
    return _change(
        actor=actor,
        record=record,
        fields=fields,
        allowed=FOLLOWUP_FIELDS,
        action="participation.followed_up",
        request=request,
    )


def report_submit(
    *,
    actor,
    centre,
    start: dt.date,
    end: dt.date,
    set_key: str,
    note: str = "",
    request=None,
) -> Submission:
    """Lock the centre's report for the period and submit it: a snapshot of its figures
    (JSON) with the definitions version, the share of complete records, the validation
    result and the raw counts, which later edits of the records do not change. A report
    that fails an aggregate check (koinotita.monitoring.validation) is refused, naming
    each failed check. A resubmission is the next version; the earlier ones stay."""

    _require(actor, centre.pk, Capability.SUPERVISE)
    if end < start:
        raise ValidationError({"end": [_("The end of the period is before its start.")]})
    if end > timezone.localdate():
        raise ValidationError({"end": [_("A period can be submitted once it has ended.")]})
    try:
        chosen = indicator_set(set_key)
    except LookupError:
        raise ValidationError({"set": [_("Unknown indicator set.")]}) from None
    scope = ReportScope("centre", centre.code, centre.label, (centre.pk,), suppress=False)
    report = report_build(report_scope=scope, indicator_set=chosen, start=start, end=end)
    if not report.validation.ok:
        raise ValidationError(
            [_("The report fails its aggregate checks and cannot be submitted.")]
            + [failure.message for failure in report.validation.failures]
        )
    with transaction.atomic():
        # Lock the centre's earlier submissions of the period so two versions never collide.
        earlier = Submission.objects.select_for_update().filter(
            centre=centre, period_start=start, period_end=end, indicator_set=set_key
        )
        version = max(earlier.values_list("version", flat=True), default=0) + 1
        submission = Submission(
            centre=centre,
            period_start=start,
            period_end=end,
            version=version,
            indicator_set=set_key,
            indicator_version=chosen.version,
            # The report as shown, with the share of complete records and the validation
            # result, and the raw counts that `koinotita indicators --check` recomputes.
            figures={**report.as_json(), "counts": report.figures.counts},
            submitted_by=actor,
            note=note.strip(),
        )
        submission.full_clean()
        submission.save()
        audit_record(
            action="report.submitted",
            actor=actor,
            obj=submission,
            request=request,
            detail={"from": start, "to": end, "version": version, "set": set_key},
        )
    return submission
