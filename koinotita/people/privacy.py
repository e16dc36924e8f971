"""Privacy actions of a supervisor: the subject-access export and anonymisation (erasure).

Export. Everything the centre holds about a person, as JSON (a stable structure of codes,
ISO dates, UTF-8) or as a readable PDF (rendered by WeasyPrint from a Django template, in
the user's language): the record itself and the records merged into it, the household (its
other members by name and relationship only), consents, what every other app holds (the
export parts of the personal-data contracts: contacts, appointments, case files, referrals,
ESF records, …), merges, and the audit events about the record (who read or changed it,
when).

Anonymisation. Erasure that keeps the statistics true. Every identifying field is blanked
or replaced by a neutral placeholder, and what statistics need is kept:

- kept: centre, sex, citizenship (the ESF indicators count migrants and foreign
  background), municipality of residence, categories, the birth YEAR (the birth date becomes
  1 July of that year, the middle of the year, so an age computed from it is off by at most
  six months), and what the other apps' contracts keep (e.g. every contact's date, site,
  channel, services, minutes and staff member);
- erased: names (the family name becomes «Ανωνυμοποιημένο πρόσωπο», the given name
  «#<id>»), Latin names, father's and mother's names, AMKA, AFM, ID document, phone,
  e-mail, address, postal code, preferred language (back to the default), the search key;
  the note of their consents; the values an earlier merge copied (kept in
  `PersonMerge.moved`);
- the consents still in force are withdrawn, the person leaves their household (whose
  address is blanked when no one is left in it), and the records merged into the person
  (the same human under another record) are anonymised with it;
- every app that holds data about the person (reception's contacts and appointments, case
  files, referrals, ESF records, …) erases its own free text in the same transaction,
  through the eraser of its personal-data contract (koinotita.people.personal_data).

The person then leaves search and lists (`person_list_for` filters `anonymised_at`), and
their page is a 404. The audit trail is append-only and is not rewritten: it names the
record by its number, and is kept for accountability.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.actions import action_label
from koinotita.audit.models import AuditEvent
from koinotita.audit.services import audit_record
from koinotita.people import fields as person_fields
from koinotita.people.models import Category, Consent, Household, Language, Person, PersonMerge
from koinotita.people.personal_data import export_parts, personal_data_contracts

EXPORT_FORMAT = "koinotita.subject-access/1"
FORMATS = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}
ANONYMOUS_FAMILY_NAME = "Ανωνυμοποιημένο πρόσωπο"
REASON_MAX = 500

PERSON_FIELDS = tuple(person_fields.exported())


def _require_supervisor(actor, person: Person, message: str) -> None:
    if not scope_for(actor).allows(Capability.SUPERVISE, person.centre_id):
        raise PermissionDenied(message)


# --- export ------------------------------------------------------------------------------


@dataclass
class Held:
    """Everything held about one person, as model objects (read once, rendered twice)."""

    person: Person
    merged_records: list[Person] = field(default_factory=list)
    household_members: list[Person] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    merges: list[PersonMerge] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    sections: list[HeldSection] = field(default_factory=list)  # the other apps' records


@dataclass
class HeldSection:
    key: str
    title: str
    records: list[dict]
    lines: list[list[tuple[str, str]]]
    table: bool = False

    @property
    def columns(self) -> list[str]:
        return [label for label, _text in self.lines[0]] if self.lines else []


def person_held(person: Person) -> Held:
    """Read everything held about `person` (already scope-checked by the caller)."""
    centre_id = person.centre_id
    person = Person.objects.select_related(
        "centre", "residence_municipality", "household__municipality", "registered_by"
    ).get(pk=person.pk, centre_id=centre_id)
    held = Held(person=person)
    held.merged_records = list(
        Person.objects.filter(centre_id=centre_id, merged_into=person)
        .select_related("residence_municipality", "registered_by")
        .order_by("pk")
    )
    record_ids = [person.pk, *(p.pk for p in held.merged_records)]
    if person.household_id:
        held.household_members = list(
            Person.objects.filter(
                centre_id=centre_id,
                household_id=person.household_id,
                merged_into__isnull=True,
                anonymised_at__isnull=True,
            )
            .exclude(pk=person.pk)
            .only("family_name", "given_name", "household_relationship")
            .order_by("household_relationship", "family_name", "given_name")
        )
    held.consents = list(
        Consent.objects.filter(centre_id=centre_id, person_id__in=record_ids)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("given_on", "pk")
    )
    held.merges = list(
        PersonMerge.objects.filter(centre_id=centre_id)
        .filter(Q(kept_id__in=record_ids) | Q(duplicate_id__in=record_ids))
        .select_related("merged_by", "undone_by")
        .order_by("merged_at", "pk")
    )
    about = Q(object_type="people.person", object_id__in=[str(i) for i in record_ids])
    about |= Q(object_type="people.consent", object_id__in=[str(c.pk) for c in held.consents])
    held.events = list(
        AuditEvent.objects.filter(centre_id=centre_id)
        .filter(about)
        .select_related("actor")
        .order_by("at", "pk")
    )
    for event in held.events:
        event.label = action_label(event.action)
    for part in export_parts():
        records = part.collect(centre_id=centre_id, person_ids=record_ids)
        held.sections.append(
            HeldSection(
                key=part.key,
                title=str(part.title),
                records=records,
                lines=[part.describe(record) for record in records],
                table=part.table,
            )
        )
    return held


def _iso(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _staff(user) -> dict | None:
    if user is None:
        return None
    return {"username": user.get_username(), "name": user.get_full_name()}


def _place(place) -> dict | None:
    return None if place is None else {"code": place.code, "name": place.name}


def _person_json(person: Person) -> dict:
    data = {"id": person.pk}
    data.update({name: _iso(getattr(person, name)) for name in PERSON_FIELDS})
    data.update(
        {
            "residence_municipality": _place(person.residence_municipality),
            "household": person.household_id,
            "registered_at": _iso(person.registered_at),
            "registered_by": _staff(person.registered_by),
            "updated_at": _iso(person.updated_at),
            "merged_into": person.merged_into_id,
            "anonymised_at": _iso(person.anonymised_at),
        }
    )
    return data


def _household_json(held: Held) -> dict | None:
    household = held.person.household
    if household is None:
        return None
    return {
        "id": household.pk,
        "address": household.address,
        "postal_code": household.postal_code,
        "municipality": _place(household.municipality),
        "relationship": held.person.household_relationship,
        "other_members": [
            {"name": str(member), "relationship": member.household_relationship}
            for member in held.household_members
        ],
    }


def person_held_json(held: Held, *, actor) -> dict:
    """The JSON document of a subject-access export: same keys whatever the person holds."""
    person = held.person
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(timezone.now()),
        "generated_by": _staff(actor),
        "centre": {"code": person.centre.code, "name": person.centre.name},
        "person": _person_json(person),
        "merged_records": [_person_json(p) for p in held.merged_records],
        "household": _household_json(held),
        "consents": [
            {
                "id": c.pk,
                "person": c.person_id,
                "purpose": c.purpose,
                "partner": c.partner,
                "given_on": _iso(c.given_on),
                "recorded_by": _staff(c.recorded_by),
                "recorded_at": _iso(c.recorded_at),
                "withdrawn_on": _iso(c.withdrawn_on),
                "withdrawn_by": _staff(c.withdrawn_by),
                "note": c.note,
            }
            for c in held.consents
        ],
        "merges": [
            {
                "id": m.pk,
                "kept": m.kept_id,
                "duplicate": m.duplicate_id,
                "merged_at": _iso(m.merged_at),
                "merged_by": _staff(m.merged_by),
                "undone_at": _iso(m.undone_at),
                "undone_by": _staff(m.undone_by),
                "filled_fields": sorted((m.moved or {}).get("filled", {})),
            }
            for m in held.merges
        ],
        "audit_events": [
            {
                "at": _iso(e.at),
                "action": e.action,
                "by": {"username": e.actor_username, "name": e.actor.get_full_name()}
                if e.actor
                else {"username": e.actor_username, "name": ""},
                "record": e.object_type,
                "record_id": e.object_id,
                "reason": e.reason,
            }
            for e in held.events
        ],
        **{section.key: section.records for section in held.sections},
    }


def _text(record: Person, name: str) -> str:
    field = Person._meta.get_field(name)
    value = getattr(record, name)
    if name == "categories":
        labels = dict(Category.choices)
        return "; ".join(str(labels.get(code, code)) for code in value) or "—"
    if field.choices:
        return str(getattr(record, f"get_{name}_display")()) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value) if value not in (None, "") else "—"


def person_facts(record: Person) -> list[tuple[str, str]]:
    """The PDF's lines of one record: every exported field (people.fields) under its label,
    coded values in words, then where the person lives and who registered them."""
    facts = [
        (str(Person._meta.get_field(name).verbose_name), _text(record, name))
        for name in PERSON_FIELDS
    ]
    municipality = record.residence_municipality
    facts.append(
        (
            str(Person._meta.get_field("residence_municipality").verbose_name),
            municipality.name if municipality else "—",
        )
    )
    registered = timezone.localtime(record.registered_at).strftime("%d/%m/%Y %H:%M")
    if record.registered_by:
        by = record.registered_by.get_full_name() or record.registered_by.get_username()
        registered += f" {_('by')} {by}"
    facts.append((_("Registered"), registered))
    changed = timezone.localtime(record.updated_at).strftime("%d/%m/%Y %H:%M")
    facts.append((_("Last changed"), changed))
    return facts


def _pdf(held: Held, *, actor) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a moment
    from weasyprint.urls import URLFetcher

    for record in (held.person, *held.merged_records):
        record.facts = person_facts(record)
    html = render_to_string(
        "people/privacy_export_pdf.html",
        {"held": held, "person": held.person, "generated_at": timezone.now(), "actor": actor},
    )
    # Nothing outside the document is fetched: the template carries its own style.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


@dataclass
class ExportFile:
    filename: str
    content_type: str
    content: bytes


@transaction.atomic
def person_export(*, actor, person: Person, fmt: str, request=None) -> ExportFile:
    """A subject-access export of `person` as JSON or PDF; supervisors only; audited."""
    if fmt not in FORMATS:
        raise ValidationError({"format": [_("Choose JSON or PDF.")]})
    _require_supervisor(actor, person, _("Only a supervisor of the centre can export a record."))
    held = person_held(person)
    if fmt == "json":
        document = person_held_json(held, actor=actor)
        content = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        content = _pdf(held, actor=actor)
    audit_record(
        action="person.exported",
        actor=actor,
        obj=person,
        request=request,
        detail={"format": fmt, "bytes": len(content)},
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return ExportFile(f"koinotita-person-{person.pk}-{stamp}.{fmt}", FORMATS[fmt], content)


# --- anonymisation -----------------------------------------------------------------------

BLANKED = tuple(person_fields.blanked())


def _records_of(person: Person) -> list[Person]:
    """The person and every record merged into them, directly or through another merge."""
    records, frontier = [person], [person.pk]
    while frontier:
        found = list(
            Person.objects.select_for_update()
            .filter(centre_id=person.centre_id, merged_into_id__in=frontier)
            .order_by("pk")
        )
        records += found
        frontier = [p.pk for p in found]
    return records


def _erase(record: Person, now) -> int | None:
    """Blank the identifying fields of one record; return the household it left, if any."""
    left = record.household_id
    record.family_name = ANONYMOUS_FAMILY_NAME
    record.given_name = f"#{record.pk}"
    for name in BLANKED:
        setattr(record, name, "")
    record.id_document_unverified = False
    record.preferred_language = Language.GREEK
    record.household = None
    if record.birth_date is not None:
        record.birth_date = date(record.birth_date.year, 7, 1)
    record.anonymised_at = now
    record.save()
    return left


def _scrub_merges(ids: list[int], centre_id: int) -> int:
    merges = PersonMerge.objects.select_for_update().filter(
        Q(kept_id__in=ids) | Q(duplicate_id__in=ids), centre_id=centre_id
    )
    count = 0
    for merge in merges:
        moved = dict(merge.moved or {})
        moved["filled"] = {name: {"old": None, "value": None} for name in moved.get("filled", {})}
        moved["scrubbed"] = True
        merge.moved = moved
        merge.save(update_fields=["moved"])
        count += 1
    return count


@transaction.atomic
def person_anonymise(*, actor, person: Person, reason: str, request=None) -> Person:
    """Erase what identifies `person` and keep what statistics need (see the module's
    description). Irreversible. Supervisors only; the reason is required and audited."""
    _require_supervisor(actor, person, _("Only a supervisor of the centre can anonymise a record."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the anonymisation.")]})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}]}
        )
    person = Person.objects.select_for_update().get(pk=person.pk, centre_id=person.centre_id)
    if person.anonymised_at is not None:
        raise ValidationError(_("This record is already anonymised."), code="anonymised")
    if person.merged_into_id is not None:
        raise ValidationError(
            _("This record was merged into another; anonymise the record kept."), code="merged"
        )
    now = timezone.now()
    records = _records_of(person)
    ids = [r.pk for r in records]
    households = {h for h in (_erase(r, now) for r in records) if h is not None}
    for household in Household.objects.filter(pk__in=households, centre_id=person.centre_id):
        if not Person.objects.filter(household=household, centre_id=person.centre_id).exists():
            household.address = ""
            household.postal_code = ""
            household.save(update_fields=["address", "postal_code"])

    consents = Consent.objects.filter(centre_id=person.centre_id, person_id__in=ids)
    withdrawn = consents.filter(withdrawn_on__isnull=True).update(
        withdrawn_on=timezone.localdate(), withdrawn_by=actor
    )
    consents.exclude(note="").update(note="")
    merges = _scrub_merges(ids, person.centre_id)

    detail = {"records": ids, "consents_withdrawn": withdrawn, "merges_scrubbed": merges}
    for contract in personal_data_contracts():
        if contract.erase is not None:
            detail.update(contract.erase(centre_id=person.centre_id, person_ids=ids, actor=actor))
    for record in records:
        audit_record(
            action="person.anonymised",
            actor=actor,
            obj=record,
            request=request,
            reason=reason,
            detail=detail,
        )
    return person
