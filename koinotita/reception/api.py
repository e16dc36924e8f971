"""Contacts endpoints: log a contact, read a person's timeline."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from koinotita.lib.errors import Count, Id
from koinotita.people.selectors import person_get_for, person_list_for
from koinotita.reception import services
from koinotita.reception.selectors import contact_list_for_person, service_catalogue, site_list_for

router = Router(tags=["contacts"])


class ContactIn(Schema):
    site: str
    persons: list[Id] = []
    anonymous: bool = False
    at: datetime
    channel: str
    services: list[str] = []
    request: str = ""
    minutes: Count = 0
    note: str = ""


class ContactOut(Schema):
    id: int
    site: str
    at: datetime
    channel: str
    staff: str
    anonymous: bool
    persons: list[int]
    services: list[str]
    request: str
    minutes: int
    note: str


def _out(contact, persons=None) -> dict:
    return {
        "id": contact.pk,
        "site": contact.site.code,
        "at": contact.at,
        "channel": contact.channel,
        "staff": contact.staff.get_username(),
        "anonymous": contact.is_anonymous,
        "persons": persons if persons is not None else [p.pk for p in contact.persons.all()],
        "services": [s.code for s in contact.services.all()],
        "request": contact.request,
        "minutes": contact.minutes,
        "note": contact.note,
    }


@router.post("/contacts", response={201: ContactOut})
def contact_create(request, payload: ContactIn):
    site = site_list_for(request.user).filter(code=payload.site).first()
    if site is None:
        raise Http404
    catalogue = {s.code: s for s in service_catalogue()}
    unknown = [code for code in payload.services if code not in catalogue]
    if unknown:
        raise ValidationError(
            {"services": [_("Unknown service: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    chosen = [catalogue[code] for code in payload.services]
    if payload.anonymous:
        contact = services.contact_log_anonymous(
            actor=request.user,
            site=site,
            at=payload.at,
            channel=payload.channel,
            services=chosen,
            minutes=payload.minutes,
            request=request,
        )
        return Status(201, _out(contact, persons=[]))
    persons = list(person_list_for(request.user).filter(pk__in=payload.persons))
    if len(persons) != len(set(payload.persons)):
        raise Http404
    contact = services.contact_log(
        actor=request.user,
        site=site,
        persons=persons,
        at=payload.at,
        channel=payload.channel,
        services=chosen,
        request_text=payload.request,
        minutes=payload.minutes,
        note=payload.note,
        request=request,
    )
    return Status(201, _out(contact))


@router.get("/people/{int:person_id}/contacts", response=list[ContactOut])
def person_contacts(request, person_id: Id):
    person = person_get_for(request.user, person_id, request=request)
    return [
        _out(c) for c in contact_list_for_person(request.user, person).prefetch_related("persons")
    ]
