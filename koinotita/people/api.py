"""People endpoints: search, list, read, register, update. Scoped and audited like the web."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import create_model

from koinotita.accounts.scoping import Capability, centres_for
from koinotita.lib.errors import Id
from koinotita.lib.pagination import AuditedPages
from koinotita.people import fields as person_fields
from koinotita.people import services
from koinotita.people.models import Consent, Person
from koinotita.people.search import person_search
from koinotita.people.selectors import (
    consent_get_for_person,
    consent_list_for_person,
    is_in_force,
    person_get_for,
    person_list_for,
    persons_listed,
)

router = Router(tags=["people"])


def _api_type(name: str):
    """The JSON type of a Person field: a relation by its code, a date, a list, or text."""
    field = Person._meta.get_field(name)
    if isinstance(field, models.JSONField):
        return list[str]
    if isinstance(field, models.DateField):
        return date | None
    if field.is_relation:
        return str | None
    return str


def _out(name: str):
    if Person._meta.get_field(name).is_relation:
        return (_api_type(name), Field(None, alias=f"{name}.code"))
    return (_api_type(name), ...)


# Both schemas follow people/fields.py: a field added there is in the API's answer (`api`)
# and input (`group`) without a line here.
PersonOut = create_model(
    "PersonOut",
    __base__=Schema,
    id=(int, ...),
    centre=(str, Field(..., alias="centre.code")),
    **{name: _out(name) for name in person_fields.api_out()},
)


class PersonHit(Schema):
    id: int
    family_name: str
    given_name: str
    family_name_latin: str
    given_name_latin: str
    father_name: str
    birth_year: int | None
    municipality: str | None

    @staticmethod
    def resolve_birth_year(person) -> int | None:
        return person.birth_date.year if person.birth_date else None

    @staticmethod
    def resolve_municipality(person) -> str | None:
        municipality = person.residence_municipality
        return municipality.code if municipality else None


PersonIn = create_model(
    "PersonIn",
    __base__=Schema,
    centre=(str | None, None),
    **{name: (_api_type(name) | None, None) for name in person_fields.typed()},
    consent_given_on=(
        date | None,
        Field(
            None,
            description="When registering: the day the person consented to registration and "
            "support (required: nobody is registered without it).",
        ),
    ),
    confirm=(bool, False),
)


class ConsentOut(Schema):
    id: int
    purpose: str
    partner: str
    recipient_id: str = Field(
        "", description="the directory organisation (HSDS id) a consent to share names"
    )
    given_on: date
    taken_by: str = Field(..., alias="recorded_by.username")
    note: str
    withdrawn_on: date | None
    withdrawn_reason: str
    in_force: bool


class ConsentIn(Schema):
    purpose: Consent.Purpose
    given_on: date
    recipient_id: str = Field(
        "",
        description="for purpose `referral`: the directory organisation (HSDS id) the person "
        "agreed to share with; the consent covers all its services",
    )
    partner: str = Field(
        "",
        description="instead of recipient_id: the name of exactly one organisation of the "
        "directory",
    )
    note: str = ""


class ConsentWithdrawIn(Schema):
    reason: str
    on: date | None = None


def _fields(payload: PersonIn, *, partial: bool) -> dict:
    """The service's fields from the payload: a relation looked up by its code, a missing
    text as empty."""
    data = payload.dict(exclude_unset=partial, exclude={"centre", "confirm", "consent_given_on"})
    if not partial:
        data = {k: v for k, v in data.items() if v is not None}
    fields = {}
    for name, value in data.items():
        field = Person._meta.get_field(name)
        if field.is_relation:
            related = field.related_model.objects.filter(code=value).first() if value else None
            if value and related is None:
                raise ValidationError({name: [_("Unknown code «%(code)s».") % {"code": value}]})
            value = related
        elif value is None and not isinstance(field, models.DateField):
            value = [] if isinstance(field, models.JSONField) else ""
        fields[name] = value
    return fields


@router.get("/people/search", response=list[PersonHit], summary="Reception search, best first")
def search(request, q: str):
    result = person_search(request.user, q, request=request)
    return result.persons


def _listed(request, persons: list) -> None:
    persons_listed(
        request.user,
        action="person.list",
        persons=[p.pk for p in persons],
        request=request,
        detail={"via": "api"},
    )


@router.get("/people", response=list[PersonHit], summary="Persons in scope")
@paginate(AuditedPages, page_size=50, audit=_listed)
def person_list(request):
    return (
        person_list_for(request.user)
        .select_related("residence_municipality")
        .order_by("family_name", "given_name", "pk")
    )


@router.get("/people/{int:person_id}", response=PersonOut)
def person_detail(request, person_id: Id):
    return person_get_for(request.user, person_id, request=request)


@router.post("/people", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    centres = centres_for(request.user, Capability.PERSONAL_DATA)
    if payload.centre:
        centre = centres.filter(code=payload.centre).first()
        if centre is None:
            raise Http404
    elif centres.count() == 1:
        centre = centres.first()
    else:
        raise ValidationError({"centre": [_('Say in which centre to register ("centre").')]})
    person = services.person_register(
        actor=request.user,
        centre=centre,
        fields=_fields(payload, partial=False),
        consent_given_on=payload.consent_given_on,
        confirm=payload.confirm,
        request=request,
    )
    return Status(201, person)


@router.patch("/people/{int:person_id}", response={200: PersonOut})
def person_patch(request, person_id: Id, payload: PersonIn):
    person = person_get_for(request.user, person_id, request=request, audit=False)
    person = services.person_update(
        actor=request.user,
        person=person,
        fields=_fields(payload, partial=True),
        confirm=payload.confirm,
        request=request,
    )
    return Status(200, person)


def _consent_out(consent: Consent) -> dict:
    return {
        "id": consent.pk,
        "purpose": consent.purpose,
        "partner": consent.partner,
        "recipient_id": consent.recipient_key,
        "given_on": consent.given_on,
        "recorded_by.username": consent.recorded_by.username,
        "note": consent.note,
        "withdrawn_on": consent.withdrawn_on,
        "withdrawn_reason": consent.withdrawn_reason,
        "in_force": is_in_force(consent),
    }


@router.get(
    "/people/{int:person_id}/consents",
    response=list[ConsentOut],
    summary="A person's consents, withdrawn ones included",
)
def consent_list(request, person_id: Id):
    person = person_get_for(request.user, person_id, request=request)
    return [_consent_out(c) for c in consent_list_for_person(person)]


@router.post(
    "/people/{int:person_id}/consents",
    response={201: ConsentOut},
    summary="Record a consent the person gave",
)
def consent_create(request, person_id: Id, payload: ConsentIn):
    person = person_get_for(request.user, person_id, request=request, audit=False)
    consent = services.consent_record(
        actor=request.user,
        person=person,
        purpose=payload.purpose,
        given_on=payload.given_on,
        partner=payload.partner,
        recipient_key=payload.recipient_id,
        note=payload.note,
        request=request,
    )
    return Status(201, _consent_out(consent))


@router.post(
    "/people/{int:person_id}/consents/{int:consent_id}/withdraw",
    response={200: ConsentOut},
    summary="Withdraw a consent, saying why",
)
def consent_withdraw(request, person_id: Id, consent_id: Id, payload: ConsentWithdrawIn):
    person = person_get_for(request.user, person_id, request=request, audit=False)
    consent = consent_get_for_person(person, consent_id)
    consent = services.consent_withdraw(
        actor=request.user,
        consent=consent,
        reason=payload.reason,
        on=payload.on,
        request=request,
    )
    return Status(200, _consent_out(consent))
