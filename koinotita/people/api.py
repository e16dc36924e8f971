"""People endpoints: search, list, read, register, update. Scoped and audited like the web."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from koinotita.accounts.scoping import Capability, centres_for
from koinotita.lib.pagination import AuditedPages
from koinotita.people import services
from koinotita.people.search import person_search
from koinotita.people.selectors import person_get_for, person_list_for, persons_listed

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    centre: str = Field(..., alias="centre.code")
    family_name: str
    given_name: str
    family_name_latin: str
    given_name_latin: str
    father_name: str
    mother_name: str
    sex: str
    birth_date: date | None
    citizenship: str
    amka: str
    afm: str
    id_document_type: str
    id_document_number: str
    phone: str
    email: str
    address: str
    postal_code: str
    residence_municipality: str | None = Field(None, alias="residence_municipality.code")
    preferred_language: str
    categories: list[str]


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


class PersonIn(Schema):
    centre: str | None = None
    family_name: str | None = None
    given_name: str | None = None
    family_name_latin: str | None = None
    given_name_latin: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    citizenship: str | None = None
    amka: str | None = None
    afm: str | None = None
    afm_override_reason: str | None = None
    id_document_type: str | None = None
    id_document_number: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postal_code: str | None = None
    residence_municipality: str | None = None
    preferred_language: str | None = None
    categories: list[str] | None = None
    confirm: bool = False


class Problem(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
    warnings: list[str] | None = None
    existing_id: int | None = None


def _fields(payload: PersonIn, *, partial: bool) -> dict:
    from koinotita.organisations.models import Municipality

    data = payload.dict(exclude_unset=partial, exclude={"centre", "confirm"})
    if not partial:
        data = {k: v for k, v in data.items() if v is not None}
    if "residence_municipality" in data:
        code = data.pop("residence_municipality")
        municipality = Municipality.objects.filter(code=code).first() if code else None
        if code and municipality is None:
            raise ValidationError({"residence_municipality": [_("Unknown municipality code.")]})
        data["residence_municipality"] = municipality
    return {
        k: ("" if v is None and k not in ("birth_date", "residence_municipality") else v)
        for k, v in data.items()
    }


def _problem(exc: Exception):
    if isinstance(exc, services.DuplicatePerson):
        return Status(409, {"detail": exc.messages[0], "existing_id": exc.existing.pk})
    if isinstance(exc, services.NeedsConfirmation):
        return Status(
            422,
            {
                "detail": _('Confirm the warnings to save: send again with "confirm": true.'),
                "warnings": exc.warnings,
            },
        )
    if hasattr(exc, "error_dict"):
        return Status(422, {"detail": _("The request is not valid."), "errors": exc.message_dict})
    return Status(
        422, {"detail": _("The request is not valid."), "errors": {"__all__": exc.messages}}
    )


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
def person_detail(request, person_id: int):
    return person_get_for(request.user, person_id, request=request)


@router.post("/people", response={201: PersonOut, 403: Problem, 409: Problem, 422: Problem})
def person_create(request, payload: PersonIn):
    centres = centres_for(request.user, Capability.PERSONAL_DATA)
    if payload.centre:
        centre = centres.filter(code=payload.centre).first()
        if centre is None:
            raise Http404
    elif centres.count() == 1:
        centre = centres.first()
    else:
        return Status(
            422,
            {
                "detail": _('Say in which centre to register ("centre").'),
                "errors": {"centre": [_("This field is required.")]},
            },
        )
    try:
        person = services.person_register(
            actor=request.user,
            centre=centre,
            fields=_fields(payload, partial=False),
            confirm=payload.confirm,
            request=request,
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc) or _("Not allowed.")})
    except (ValidationError, services.NeedsConfirmation) as exc:
        return _problem(exc)
    return Status(201, person)


@router.patch("/people/{int:person_id}", response={200: PersonOut, 409: Problem, 422: Problem})
def person_patch(request, person_id: int, payload: PersonIn):
    person = person_get_for(request.user, person_id, request=request, audit=False)
    try:
        person = services.person_update(
            actor=request.user,
            person=person,
            fields=_fields(payload, partial=True),
            confirm=payload.confirm,
            request=request,
        )
    except (ValidationError, services.NeedsConfirmation) as exc:
        return _problem(exc)
    return Status(200, person)
