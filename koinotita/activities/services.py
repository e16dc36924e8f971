"""Writes of group work and aid distributions: one transaction and audit event per call;
the pages, the API and the offline sync all go through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.activities.models import (
    Activity,
    AnonymousCount,
    Attendance,
    AttendeeCategory,
    Distribution,
    Handout,
    HandoutLine,
    Item,
    Kind,
    Series,
    Volunteer,
    VolunteerHours,
)
from koinotita.audit.services import audit_record
from koinotita.people.models import Consent, Household, Person
from koinotita.people.selectors import consent_in_force, person_list_for


def _require(actor, centre_id: int, capability: Capability = Capability.PERSONAL_DATA) -> None:
    if not scope_for(actor).allows(capability, centre_id):
        raise PermissionDenied(_("You cannot record activities of this centre."))


def _centre_id(centre) -> int:
    return getattr(centre, "pk", centre)


@transaction.atomic
def series_create(*, actor, centre, title: str, kind: str, site=None, request=None) -> Series:
    _require(actor, _centre_id(centre))
    series = Series(
        centre_id=_centre_id(centre), title=" ".join(title.split()), kind=kind, site=site,
        created_by=actor,
    )  # fmt: skip
    series.full_clean()
    series.save()
    audit_record(action="series.created", actor=actor, obj=series, request=request)
    return series


@transaction.atomic
def activity_create(
    *,
    actor,
    centre,
    kind: str,
    title: str,
    date: dt.date,
    minutes: int = 60,
    site=None,
    place: str = "",
    series: Series | None = None,
    staff=(),
    partners=(),
    note: str = "",
    client_id: str = "",
    taken_at=None,
    request=None,
) -> Activity:
    """Record an activity of `centre` (at one of its sites or at a named place). With a
    `client_id` (taken offline), a second call with the same id returns the first record."""
    centre_id = _centre_id(centre)
    _require(actor, centre_id)
    if client_id:
        existing = Activity.objects.filter(centre_id=centre_id, client_id=client_id).first()
        if existing is not None:
            return existing
    if site is not None and site.centre_id != centre_id:
        raise ValidationError({"site": [_("The site belongs to another centre.")]})
    if series is not None and series.centre_id != centre_id:
        raise ValidationError({"series": [_("The series belongs to another centre.")]})
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("Choose a kind of activity from the catalogue.")]})
    if site is None and not place.strip():
        raise ValidationError(
            {"place": [_("Say where the activity took place: a site or a place.")]}
        )
    if date > timezone.localdate():
        raise ValidationError({"date": [_("The date is in the future.")]})
    activity = Activity(
        centre_id=centre_id,
        kind=kind,
        title=" ".join(title.split()),
        date=date,
        minutes=minutes,
        site=site,
        place=place.strip(),
        series=series,
        note=note.strip(),
        created_by=actor,
        client_id=client_id,
        taken_at=taken_at,
    )
    activity.full_clean()
    activity.save()
    staff = list(staff) or [actor]
    for member in staff:
        if not scope_for(member).allows(Capability.PERSONAL_DATA, centre_id):
            raise ValidationError(
                {"staff": [_("%(name)s does not work at this centre.") % {"name": member}]}
            )
    activity.staff.set(staff)
    activity.partners.set(list(partners))
    audit_record(
        action="activity.created",
        actor=actor,
        obj=activity,
        request=request,
        detail={"kind": kind, "client_id": client_id, "taken_at": taken_at},
    )
    return activity


def _registration_in_force(person: Person, on: dt.date) -> bool:
    return consent_in_force(person, Consent.Purpose.REGISTRATION, on=on)


@transaction.atomic
def attendance_record(
    *, actor, activity: Activity, persons, client_ids: dict | None = None, request=None
) -> list[Attendance]:
    """Record that `persons` attended: each must be a person the actor may see, of the
    activity's centre, with their consent to registration in force on the activity's day.
    All or nothing; a person already recorded is kept once."""
    _require(actor, activity.centre_id)
    persons = list(persons)
    visible = set(
        person_list_for(actor)
        .filter(pk__in=[p.pk for p in persons], centre_id=activity.centre_id)
        .values_list("pk", flat=True)
    )
    errors = []
    for person in persons:
        if person.pk not in visible:
            errors.append(
                _("Person %(id)s is not a person of this centre you may see.") % {"id": person.pk}
            )
        elif not _registration_in_force(person, activity.date):
            errors.append(
                _("%(name)s has no consent in force on %(day)s: record them as anonymous.")
                % {"name": person, "day": activity.date}
            )
    if errors:
        raise ValidationError(errors)
    already = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    made = []
    for person in persons:
        if person.pk in already:
            continue
        made.append(
            Attendance.objects.create(
                centre_id=activity.centre_id,
                activity=activity,
                person=person,
                recorded_by=actor,
                client_id=(client_ids or {}).get(person.pk, ""),
            )
        )
        already.add(person.pk)
    if made:
        audit_record(
            action="activity.attendance",
            actor=actor,
            obj=activity,
            request=request,
            detail={"persons": sorted(a.person_id for a in made)},
        )
    return made


def parse_counts(raw: dict) -> dict[str, int]:
    """The anonymous counts typed or sent ({category: number}); a negative number, a
    non-number or an unknown category is refused, with every error at once."""
    counts, errors = {}, {}
    for category, value in raw.items():
        if category not in AttendeeCategory.values:
            errors.setdefault("__all__", []).append(
                _("Unknown category of attendees: %(c)s.") % {"c": category}
            )
            continue
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[category] = [_("Give a whole number.")]
            continue
        if number < 0:
            errors[category] = [
                _("A count cannot be negative / Ο αριθμός δεν μπορεί να είναι αρνητικός.")
            ]
            continue
        counts[category] = number
    if errors:
        raise ValidationError(errors)
    return counts


@transaction.atomic
def anonymous_counts_set(*, actor, activity: Activity, counts: dict, request=None) -> dict:
    """Set the numbers of anonymous attendees per category (replacing those given)."""
    _require(actor, activity.centre_id)
    counts = parse_counts(counts)
    for category, number in counts.items():
        AnonymousCount.objects.update_or_create(
            activity=activity,
            category=category,
            defaults={"count": number, "centre_id": activity.centre_id},
        )
    audit_record(
        action="activity.anonymous_counted",
        actor=actor,
        obj=activity,
        request=request,
        detail={"counts": counts},
    )
    return counts


@transaction.atomic
def volunteer_register(
    *, actor, centre, name: str, phone: str = "", skills: str = "", request=None
) -> Volunteer:
    _require(actor, _centre_id(centre))
    volunteer = Volunteer(
        centre_id=_centre_id(centre), name=" ".join(name.split()), phone=phone.strip(),
        skills=skills.strip(),
    )  # fmt: skip
    volunteer.full_clean()
    volunteer.save()
    audit_record(action="volunteer.registered", actor=actor, obj=volunteer, request=request)
    return volunteer


@transaction.atomic
def volunteer_hours_add(
    *, actor, volunteer: Volunteer, activity: Activity, hours, request=None
) -> VolunteerHours:
    _require(actor, activity.centre_id)
    if volunteer.centre_id != activity.centre_id:
        raise ValidationError({"volunteer": [_("The volunteer belongs to another centre.")]})
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        raise ValidationError({"hours": [_("Give the hours as a number.")]}) from None
    if value <= 0 or value > 24:
        raise ValidationError({"hours": [_("Hours are more than 0 and at most 24.")]})
    row, _created = VolunteerHours.objects.update_or_create(
        volunteer=volunteer,
        activity=activity,
        defaults={"hours": value, "centre_id": activity.centre_id},
    )
    audit_record(
        action="volunteer.hours",
        actor=actor,
        obj=volunteer,
        request=request,
        detail={"activity": activity.pk, "hours": str(value)},
    )
    return row


# --- Aid distributions ------------------------------------------------------------------------


@transaction.atomic
def distribution_create(
    *, actor, centre, kind: str, title: str, date: dt.date, supplier=None, site=None, request=None
) -> Distribution:
    centre_id = _centre_id(centre)
    _require(actor, centre_id)
    if site is not None and site.centre_id != centre_id:
        raise ValidationError({"site": [_("The site belongs to another centre.")]})
    distribution = Distribution(
        centre_id=centre_id, kind=kind, title=" ".join(title.split()), date=date,
        supplier=supplier, site=site, created_by=actor,
    )  # fmt: skip
    distribution.full_clean()
    distribution.save()
    audit_record(action="distribution.created", actor=actor, obj=distribution, request=request)
    return distribution


@transaction.atomic
def stock_receive(
    *, actor, distribution: Distribution, name: str, quantity: int, unit: str = "τεμ.",
    request=None,
) -> Item:  # fmt: skip
    """Stock received for an item of the distribution (added to what was received)."""
    _require(actor, distribution.centre_id)
    if int(quantity) <= 0:
        raise ValidationError({"quantity": [_("The quantity received must be more than 0.")]})
    item, _created = Item.objects.select_for_update().get_or_create(
        distribution=distribution,
        name=" ".join(name.split()),
        defaults={"centre_id": distribution.centre_id, "unit": unit, "received": 0},
    )
    item.received += int(quantity)
    item.save(update_fields=["received"])
    audit_record(
        action="distribution.stock",
        actor=actor,
        obj=distribution,
        request=request,
        detail={"item": item.pk, "quantity": int(quantity)},
    )
    return item


def handed_out(item_ids) -> dict[int, int]:
    rows = (
        HandoutLine.objects.filter(item_id__in=list(item_ids))
        .values_list("item_id")
        .annotate(n=Sum("quantity"))
    )
    return dict(rows)


@transaction.atomic
def handout_record(
    *,
    actor,
    distribution: Distribution,
    person: Person,
    quantities: dict,
    acknowledged: bool,
    client_id: str = "",
    request=None,
) -> Handout:
    """What `person`'s household received: {item: quantity}. Refused when the household
    already received this distribution or when an item's stock would not cover it; all or
    nothing."""
    _require(actor, distribution.centre_id)
    if not person_list_for(actor).filter(pk=person.pk, centre_id=distribution.centre_id).exists():
        raise ValidationError(_("The recipient is not a person of this centre you may see."))
    if client_id:
        existing = Handout.objects.filter(distribution=distribution, client_id=client_id).first()
        if existing is not None:
            return existing
    if person.household_id is None:
        household = Household.objects.create(centre_id=person.centre_id)
        Person.objects.filter(pk=person.pk).update(
            household=household, household_relationship="head"
        )
        person.household = household
    if Handout.objects.filter(distribution=distribution, household_id=person.household_id).exists():
        raise ValidationError(
            _(
                "This household has already received this distribution / "
                "Το νοικοκυριό έχει ήδη λάβει αυτή τη διανομή."
            )
        )
    items = {i.pk: i for i in Item.objects.select_for_update().filter(distribution=distribution)}
    wanted = {}
    errors = []
    for key, quantity in quantities.items():
        item = items.get(int(getattr(key, "pk", key)))
        if item is None:
            errors.append(_("Item %(id)s is not of this distribution.") % {"id": key})
            continue
        if int(quantity) < 0:
            errors.append(_("A quantity cannot be negative."))
        elif int(quantity) > 0:
            wanted[item.pk] = int(quantity)
    if not wanted and not errors:
        errors.append(_("Give at least one item and its quantity."))
    out = handed_out(wanted)
    for item_id, quantity in wanted.items():
        item = items[item_id]
        left = item.received - out.get(item_id, 0)
        if quantity > left:
            errors.append(
                _(
                    "Not enough %(item)s in stock: %(left)s left, %(asked)s asked / Δεν επαρκεί το απόθεμα."  # noqa: E501
                )
                % {"item": item.name, "left": left, "asked": quantity}
            )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            handout = Handout.objects.create(
                centre_id=distribution.centre_id,
                distribution=distribution,
                household_id=person.household_id,
                received_by=person,
                acknowledged=acknowledged,
                recorded_by=actor,
                client_id=client_id,
            )
    except IntegrityError:
        raise ValidationError(
            _(
                "This household has already received this distribution / Το νοικοκυριό έχει ήδη λάβει αυτή τη διανομή."  # noqa: E501
            )
        ) from None
    HandoutLine.objects.bulk_create(
        [
            HandoutLine(centre_id=distribution.centre_id, handout=handout, item_id=i, quantity=q)
            for i, q in wanted.items()
        ]
    )
    audit_record(
        action="distribution.handout",
        actor=actor,
        obj=person,
        request=request,
        detail={"distribution": distribution.pk, "items": wanted, "acknowledged": acknowledged},
    )
    return handout
