"""Writes about persons: registration, update, consent. One transaction and one audit event
per call; every caller (web, API, import, commands) goes through here."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib import phones
from koinotita.lib.errors import Conflict
from koinotita.lib.greek import elot743, has_mixed_scripts, phonetic
from koinotita.people import fields as person_fields
from koinotita.people import identifiers
from koinotita.people.models import (
    Category,
    Consent,
    Household,
    IdDocument,
    MediatorAssignment,
    Person,
    Relationship,
    Settlement,
)
from koinotita.people.personal_data import personal_data_contracts
from koinotita.people.recipients import Recipient, recipient_find, recipient_get
from koinotita.people.selectors import person_list_for

NAME_FIELDS = ("given_name", "family_name", "father_name", "mother_name")
_NAME_CHARACTERS = re.compile(r"^[^\W\d_]+(?:[ '’.\-][^\W\d_]+)*\.?$")
OLDEST_AGE = 120


class DuplicatePerson(Conflict, ValidationError):
    """An identifier already belongs to a person the user can see (HTTP 409)."""

    def __init__(self, message: str, existing: Person):
        super().__init__(message, code="duplicate")
        self.existing = existing

    def problem(self) -> dict:
        return {**super().problem(), "existing_id": self.existing.pk}


class NeedsConfirmation(Exception):
    """Warnings the user must confirm before saving (AMKA disagreements, look-alikes)."""

    def __init__(self, warnings: list[str], look_alikes: list[Person]):
        super().__init__("; ".join(warnings))
        self.warnings = warnings
        self.look_alikes = look_alikes


@dataclass
class Checked:
    warnings: list[str] = field(default_factory=list)
    look_alikes: list[Person] = field(default_factory=list)


def person_search_key(person: Person) -> str:
    """Phonetic form of the names, family name first (see koinotita.lib.greek)."""
    parts = [person.family_name, person.given_name]
    greek = phonetic(" ".join(parts))
    latin = phonetic(f"{person.family_name_latin} {person.given_name_latin}")
    return greek if latin in ("", greek) else f"{greek} {latin}"


def _clean_names(person: Person, errors: dict) -> None:
    for name in NAME_FIELDS:
        value = " ".join((getattr(person, name) or "").split())
        setattr(person, name, value)
        if not value:
            continue
        if any(has_mixed_scripts(word) for word in value.split()):
            errors.setdefault(name, []).append(
                _("The name mixes Greek and Latin letters; retype it in one alphabet.")
            )
        elif not _NAME_CHARACTERS.match(value):
            errors.setdefault(name, []).append(
                _("A name may contain letters, spaces, hyphens and apostrophes only.")
            )
    for name in ("given_name", "family_name"):
        if not getattr(person, name):
            errors.setdefault(name, []).append(_("This name is required."))
    if not person.given_name_latin and person.given_name:
        person.given_name_latin = elot743(person.given_name)
    if not person.family_name_latin and person.family_name:
        person.family_name_latin = elot743(person.family_name)


def _clean_dates(person: Person, errors: dict, today: date) -> None:
    born = person.birth_date
    if born is None:
        return
    if born > today:
        errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
    elif (today.year - born.year) > OLDEST_AGE:
        errors.setdefault("birth_date", []).append(
            _("The birth date is more than %(n)d years ago.") % {"n": OLDEST_AGE}
        )


def _clean_identifiers(person: Person, errors: dict) -> None:
    checks = {
        "amka": lambda: identifiers.validate_amka(person.amka),
        "afm": lambda: identifiers.validate_afm(
            person.afm, override_reason=person.afm_override_reason
        ),
    }
    for name, check in checks.items():
        try:
            setattr(person, name, check())
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if person.id_document_number:
        if person.id_document_type in ("", IdDocument.POLICE_ID):
            person.id_document_type = IdDocument.POLICE_ID
            number, unverified = identifiers.normalise_id_card(person.id_document_number)
        else:
            number, unverified = person.id_document_number.strip().upper(), False
        person.id_document_number, person.id_document_unverified = number, unverified
    try:
        person.phone = phones.validate(person.phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    person.phone_digits = identifiers.normalise_phone(person.phone)
    unknown = [c for c in person.categories if c not in Category.values]
    if unknown:
        errors.setdefault("categories", []).append(
            _("Unknown category: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        )


def person_clean(person: Person, *, actor) -> Checked:
    """Normalise and validate a person before saving; raise ValidationError with every
    field's messages at once. Returns the warnings that need confirmation."""
    errors: dict[str, list[str]] = {}
    _clean_names(person, errors)
    _clean_dates(person, errors, timezone.localdate())
    _clean_identifiers(person, errors)
    if person.afm_override_reason and not scope_for(actor).allows(
        Capability.SUPERVISE, person.centre_id
    ):
        errors.setdefault("afm_override_reason", []).append(
            _("Only a supervisor can accept an AFM that fails its check.")
        )
    person.search_key = person_search_key(person)
    try:
        person.full_clean(
            exclude=[*errors, "search_key"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    checked = Checked()
    checked.warnings = identifiers.amka_warnings(
        person.amka, birth_date=person.birth_date, sex=person.sex
    )
    return checked


def _visible(actor):

    return person_list_for(actor)


def person_duplicate_of(person: Person, *, actor) -> Person | None:
    """A person in the actor's scope with the same AMKA, AFM or ID number, if any."""
    visible = _visible(actor).exclude(pk=person.pk)
    for name in ("amka", "afm", "id_document_number"):
        value = getattr(person, name)
        if value:
            existing = visible.filter(**{name: value}).first()
            if existing is not None:
                return existing
    return None


def person_look_alikes(person: Person, *, actor, limit: int = 5) -> list[Person]:
    """Persons in scope with the same birth date and a similar name (possible duplicates)."""
    if person.birth_date is None:
        return []
    family = phonetic(person.family_name)
    given = phonetic(person.given_name)
    same_day = _visible(actor).filter(birth_date=person.birth_date).exclude(pk=person.pk)
    found = []
    for other in same_day[:200]:
        words = other.search_key.split()
        if (family and family in words) or (
            given and given in words and family[:3] in other.search_key
        ):
            found.append(other)
        if len(found) >= limit:
            break
    return found


def _require_personal_access(actor, centre_id: int) -> None:
    if not scope_for(actor).allows(Capability.PERSONAL_DATA, centre_id):
        raise PermissionDenied(_("You cannot register persons in this centre."))


def _check_registration_consent(given_on: date | None) -> None:
    if given_on is None:
        raise ValidationError(
            {
                "consent_given_on": [
                    _(
                        "Nobody is registered without their consent to registration and "
                        "support: record the day they gave it, or log an anonymous contact."
                    )
                ]
            }
        )
    if given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": [_("The date is in the future.")]})


def _duplicate_error(existing: Person) -> DuplicatePerson:
    return DuplicatePerson(
        _("A person with this identifier is already registered: %(name)s.") % {"name": existing},
        existing,
    )


def person_register(
    *,
    actor,
    centre,
    fields: dict,
    consent_given_on: date | None,
    consent_taken_by=None,
    confirm: bool = False,
    request=None,
) -> Person:
    """Register a person in `centre`. Raises ValidationError (field messages),
    DuplicatePerson (with the existing record) or NeedsConfirmation (warnings).

    Nobody is registered without their consent to registration and support: its evidence
    (`consent_given_on`, and who took it, `consent_taken_by`, the actor by default) is
    required and recorded in the same transaction, so that a contact can be logged straight
    away. A person who does not consent is served with an anonymous contact instead."""
    _require_personal_access(actor, getattr(centre, "pk", centre))
    _check_registration_consent(consent_given_on)
    person = Person(centre_id=getattr(centre, "pk", centre), registered_by=actor, **fields)
    checked = person_clean(person, actor=actor)
    existing = person_duplicate_of(person, actor=actor)
    if existing is not None:
        raise _duplicate_error(existing)
    checked.look_alikes = person_look_alikes(person, actor=actor)
    if checked.look_alikes:
        checked.warnings.append(_("A person with a similar name and the same birth date exists."))
    if checked.warnings and not confirm:
        raise NeedsConfirmation(checked.warnings, checked.look_alikes)
    try:
        with transaction.atomic():
            person.save()
            audit_record(
                action="person.created",
                actor=actor,
                obj=person,
                request=request,
                detail={"confirmed_warnings": checked.warnings} if checked.warnings else None,
            )
            consent_record(
                actor=actor,
                person=person,
                purpose=Consent.Purpose.REGISTRATION,
                given_on=consent_given_on,
                taken_by=consent_taken_by,
                request=request,
            )
            if person.centre_id in scope_for(actor).assigned_only_centre_ids(
                Capability.PERSONAL_DATA
            ):  # a mediator keeps the person they register
                _assignment_save(
                    MediatorAssignment(
                        centre_id=person.centre_id, mediator=actor, person=person, assigned_by=actor
                    ),
                    actor=actor,
                    request=request,
                )
    except IntegrityError:
        # Another receptionist registered the same identifier a moment ago.
        existing = person_duplicate_of(person, actor=actor)
        if existing is None:  # registered, but not assigned to this mediator
            raise ValidationError(
                _(
                    "A person with this identifier is already registered at the centre; "
                    "ask your supervisor to assign them to you."
                )
            ) from None
        raise _duplicate_error(existing) from None
    return person


def person_update(
    *, actor, person: Person, fields: dict, confirm: bool = False, request=None
) -> Person:
    """Change a person's record; same checks as registration, audited with the changed fields."""
    _require_personal_access(actor, person.centre_id)
    if not person.is_active:
        raise ValidationError(_("This record was merged or anonymised and cannot change."))
    before = {name: getattr(person, name) for name in fields}
    for name, value in fields.items():
        setattr(person, name, value)
    if {"given_name", "family_name"} & set(fields):
        person.given_name_latin = fields.get("given_name_latin", "")
        person.family_name_latin = fields.get("family_name_latin", "")
    checked = person_clean(person, actor=actor)
    existing = person_duplicate_of(person, actor=actor)
    if existing is not None:
        raise _duplicate_error(existing)
    if checked.warnings and not confirm:
        raise NeedsConfirmation(checked.warnings, [])
    changed = sorted(name for name in fields if getattr(person, name) != before[name])
    try:
        with transaction.atomic():
            person.save()
            audit_record(
                action="person.updated",
                actor=actor,
                obj=person,
                request=request,
                detail={"fields": changed},
            )
    except IntegrityError:
        existing = person_duplicate_of(person, actor=actor)
        raise _duplicate_error(existing) if existing else ValidationError(_("Not saved.")) from None
    return person


@transaction.atomic
def consent_record(
    *,
    actor,
    person: Person,
    purpose: str,
    given_on: date,
    partner: str = "",
    recipient_key: str = "",
    note: str = "",
    taken_by=None,
    request=None,
) -> Consent:
    """Record that `person` consented to `purpose` on `given_on`; `taken_by` is the staff
    member who took the consent (the actor by default), who must work at the person's
    centre. A consent to share names its recipient from the directory: by `recipient_key`,
    or by `partner`, the name (or id) of exactly one organisation of the directory."""
    _require_personal_access(actor, person.centre_id)
    if taken_by is not None and taken_by != actor:
        _require_taker(taken_by, person.centre_id)
    consent = Consent(
        centre_id=person.centre_id,
        person=person,
        purpose=purpose,
        given_on=given_on,
        note=note.strip(),
        recorded_by=taken_by or actor,
    )
    if purpose == Consent.Purpose.REFERRAL_SHARING:
        recipient = _consent_recipient(recipient_key=recipient_key, partner=partner)
        consent.recipient_key, consent.partner = recipient.key, recipient.name[:200]
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": [_("The date is in the future.")]})
    consent.full_clean()
    consent.save()
    audit_record(
        action="consent.given",
        actor=actor,
        obj=consent,
        request=request,
        detail={"person": person.pk, "purpose": purpose},
    )
    return consent


def _consent_recipient(*, recipient_key: str, partner: str) -> Recipient:
    """The directory organisation a consent to share names, or a ValidationError that says
    how to name it."""
    key, name = str(recipient_key or "").strip(), " ".join(str(partner or "").split())
    if key:
        recipient = recipient_get(key)
        if recipient is None:
            raise ValidationError(
                {
                    "recipient_key": [
                        _(
                            "«%(value)s» is not the id of an organisation of the directory of "
                            "services."
                        )
                        % {"value": key}
                    ]
                }
            )
        return recipient
    if not name:
        raise ValidationError(
            {
                "partner": [
                    _("Choose from the directory the organisation the person agreed to share with.")
                ]
            }
        )
    recipient = recipient_find(name)
    if recipient is None:
        raise ValidationError(
            {
                "partner": [
                    _(
                        "«%(value)s» is not the name of one organisation of the directory of "
                        "services: choose it from the directory (or give its id)."
                    )
                    % {"value": name}
                ]
            }
        )
    return recipient


def _require_taker(user, centre_id: int) -> None:
    if not scope_for(user).allows(Capability.PERSONAL_DATA, centre_id):
        raise ValidationError(
            {"taken_by": [_("The consent must be taken by a member of the person's centre.")]}
        )


@transaction.atomic
def consent_withdraw(
    *, actor, consent: Consent, reason: str, on: date | None = None, request=None
) -> Consent:
    """Record that the person withdrew `consent` (from `on`, today by default) and why.
    Withdrawing a consent already withdrawn changes nothing."""
    _require_personal_access(actor, consent.centre_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the consent is withdrawn.")]})
    on = on or timezone.localdate()
    if on < consent.given_on:
        raise ValidationError({"on": [_("A consent cannot be withdrawn before it was given.")]})
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on
        consent.withdrawn_by = actor
        consent.withdrawn_reason = reason
        consent.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawn_reason"])
        audit_record(
            action="consent.withdrawn",
            actor=actor,
            obj=consent,
            request=request,
            detail={"person": consent.person_id, "purpose": consent.purpose},
        )
    return consent


@transaction.atomic
def household_join(
    *,
    actor,
    person: Person,
    relationship: str,
    with_person: Person | None = None,
    address: str = "",
    request=None,
):
    """Put `person` in the household of `with_person` (or a new household of their own)."""

    _require_personal_access(actor, person.centre_id)
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": [_("Choose a relationship.")]})
    if with_person is not None:
        if with_person.pk == person.pk:
            raise ValidationError({"with_person": [_("Choose another person.")]})
        if with_person.centre_id != person.centre_id:
            raise ValidationError(
                {"with_person": [_("Both persons must be records of one centre.")]}
            )
        household = with_person.household
        if household is None:
            household = Household.objects.create(
                centre_id=person.centre_id,
                address=with_person.address,
                postal_code=with_person.postal_code,
                municipality=with_person.residence_municipality,
            )
            with_person.household = household
            with_person.household_relationship = Relationship.HEAD
            with_person.save(update_fields=["household", "household_relationship", "updated_at"])
    else:
        household = Household.objects.create(
            centre_id=person.centre_id,
            address=address or person.address,
            postal_code=person.postal_code,
            municipality=person.residence_municipality,
        )
    person.household = household
    person.household_relationship = relationship
    person.save(update_fields=["household", "household_relationship", "updated_at"])
    audit_record(
        action="household.joined",
        actor=actor,
        obj=person,
        request=request,
        detail={"household": household.pk, "relationship": relationship},
    )
    return household


@transaction.atomic
def household_leave(*, actor, person: Person, request=None) -> None:
    _require_personal_access(actor, person.centre_id)
    if person.household_id is None:
        return
    household_id = person.household_id
    person.household = None
    person.household_relationship = ""
    person.save(update_fields=["household", "household_relationship", "updated_at"])
    audit_record(
        action="household.left",
        actor=actor,
        obj=person,
        request=request,
        detail={"household": household_id},
    )


@transaction.atomic
def person_transfer(
    *,
    actor,
    source: Person,
    to_centre_id: int,
    consent_given_on: date,
    consent_recorded_by,
    note: str = "",
    request=None,
) -> Person:
    """The record of `source` at another centre, for a case moving there: the receiving
    centre's record with the same AMKA, or a copy of the fields people.fields marks for
    transfer, registered by `actor` (who must work with persons there). The person's consent
    to the transfer (given at the sending centre on `consent_given_on`, taken by
    `consent_recorded_by`) is recorded at the receiving centre. Each app's contract is then
    told (`after_transfer`). Audited in the receiving centre's chain."""
    _require_personal_access(actor, to_centre_id)
    person = None
    if source.amka:
        person = Person.objects.filter(
            centre_id=to_centre_id, amka=source.amka, merged_into__isnull=True
        ).first()
    if person is None:
        person = Person(centre_id=to_centre_id, registered_by=actor)
        for name in person_fields.transferred():
            setattr(person, name, getattr(source, name))
        person.save()
        audit_record(
            action="person.created",
            actor=actor,
            obj=person,
            request=request,
            detail={"transferred_from": source.pk, "centre": source.centre_id},
        )
    consent = Consent.objects.create(
        centre_id=to_centre_id,
        person=person,
        purpose=Consent.Purpose.REGISTRATION,
        given_on=consent_given_on,
        recorded_by=consent_recorded_by,
        note=note,
    )
    audit_record(
        action="consent.given",
        actor=actor,
        obj=consent,
        request=request,
        detail={"person": person.pk, "purpose": consent.purpose, "transfer": True},
    )
    for contract in personal_data_contracts():
        if contract.after_transfer is not None:
            contract.after_transfer(source=source, person=person, actor=actor)
    return person


# --- Mediators' assignments -----------------------------------------------------------------


def _assignment_save(assignment: MediatorAssignment, *, actor, request=None) -> MediatorAssignment:
    assignment.full_clean()
    assignment.save()
    target = assignment.target
    audit_record(
        action="mediator.assigned",
        actor=actor,
        obj=assignment.person or assignment,
        request=request,
        centre=assignment.centre_id,
        detail={
            "assignment": assignment.pk,
            "mediator": assignment.mediator_id,
            "kind": target._meta.model_name,
            "target": target.pk,
        },
    )
    return assignment


@transaction.atomic
def assignment_create(
    *,
    actor,
    mediator,
    person: Person | None = None,
    household: Household | None = None,
    settlement: Settlement | None = None,
    request=None,
) -> MediatorAssignment:
    """A supervisor of the centre gives `mediator` one person, household or settlement of
    it: the persons the mediator then sees (accounts.scoping, ASSIGNED PERSONS ONLY)."""
    targets = [t for t in (person, household, settlement) if t is not None]
    if len(targets) != 1:
        raise ValidationError(
            _("Assign one person, one household or one settlement / Ανάθεση ενός μόνο.")
        )
    centre_id = targets[0].centre_id
    if not scope_for(actor).allows(Capability.SUPERVISE, centre_id):
        raise PermissionDenied(_("Only a supervisor of the centre assigns persons to mediators."))
    mediator_roles = scope_for(mediator).roles_by_centre.get(centre_id, frozenset())
    if Role.MEDIATOR not in mediator_roles:
        raise ValidationError({"mediator": [_("This user is not a mediator of the centre.")]})
    if person is not None and not person.is_active:
        raise ValidationError({"person": [_("This record is merged or anonymised.")]})
    existing = MediatorAssignment.objects.filter(
        centre_id=centre_id,
        mediator=mediator,
        person=person,
        household=household,
        settlement=settlement,
        ended_at__isnull=True,
    ).first()
    if existing is not None:
        raise ValidationError(_("This assignment is already in force."))
    return _assignment_save(
        MediatorAssignment(
            centre_id=centre_id,
            mediator=mediator,
            person=person,
            household=household,
            settlement=settlement,
            assigned_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def assignment_end(*, actor, assignment: MediatorAssignment, request=None) -> MediatorAssignment:
    """End an assignment: the mediator no longer sees its persons. Kept, never deleted."""
    if not scope_for(actor).allows(Capability.SUPERVISE, assignment.centre_id):
        raise PermissionDenied(_("Only a supervisor of the centre assigns persons to mediators."))
    if assignment.ended_at is not None:
        raise ValidationError(_("This assignment has already ended."))
    assignment.ended_at = timezone.now()
    assignment.ended_by = actor
    assignment.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        action="mediator.unassigned",
        actor=actor,
        obj=assignment.person or assignment,
        request=request,
        centre=assignment.centre_id,
        detail={"assignment": assignment.pk, "mediator": assignment.mediator_id},
    )
    return assignment


@transaction.atomic
def settlement_create(*, actor, centre, name: str, municipality=None, request=None) -> Settlement:
    centre_id = getattr(centre, "pk", centre)
    if not scope_for(actor).allows(Capability.SUPERVISE, centre_id):
        raise PermissionDenied(_("Only a supervisor of the centre records settlements."))
    settlement = Settlement(
        centre_id=centre_id, name=" ".join(name.split()), municipality=municipality
    )
    settlement.full_clean()
    settlement.save()
    audit_record(action="settlement.created", actor=actor, obj=settlement, request=request)
    return settlement


@transaction.atomic
def household_settle(*, actor, household: Household, settlement: Settlement | None, request=None):
    """Say in which settlement a household lives (None: in none)."""
    if not scope_for(actor).allows(Capability.SUPERVISE, household.centre_id):
        raise PermissionDenied(_("Only a supervisor of the centre records settlements."))
    if settlement is not None and settlement.centre_id != household.centre_id:
        raise ValidationError({"settlement": [_("The settlement belongs to another centre.")]})
    household.settlement = settlement
    household.save(update_fields=["settlement"])
    audit_record(
        action="household.settled",
        actor=actor,
        obj=household,
        request=request,
        detail={"settlement": settlement.pk if settlement else None},
    )
    return household
