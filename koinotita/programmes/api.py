"""Programme endpoints: the catalogue (public, read), the pre-screening (staff; it stores
nothing unless asked with `"save": true`), a person's saved pre-screenings, and the help with
applications (staff, scoped like persons: another centre's record is a 404). Endpoints raise
Django's ValidationError / PermissionDenied / Http404 and the API's one handler answers."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.lib.pagination import AuditedPages
from koinotita.people.selectors import person_get_for
from koinotita.programmes import screening, selectors, services
from koinotita.programmes.rules import Facts, Member

router = Router(tags=["programmes"])


# --- The catalogue (public) -------------------------------------------------------------------


class ProgrammeDocumentOut(Schema):
    code: str
    name: str = Field(..., alias="label")


class ProgrammeOut(Schema):
    code: str
    name: str = Field(..., alias="label")
    name_el: str = Field(..., alias="name")
    name_en: str
    managing_body: str = Field(..., alias="managing_body_label")
    gives: str = Field(..., alias="gives_label")
    who_for: str = Field(..., alias="who_for_label")
    apply_channels: list[str]
    apply_url: str
    how_to_apply: str = Field(..., alias="how_to_apply_label")
    centre_role: str = Field(..., alias="centre_role_label")
    legal_source: str
    unknown_figures: str
    version: int
    documents: list[ProgrammeDocumentOut]

    @staticmethod
    def resolve_documents(programme) -> list:
        return list(programme.documents.all())


@router.get("/programmes", auth=None, response=list[ProgrammeOut], summary="The catalogue")
def programme_list(request):
    return list(selectors.programme_list())


@router.get("/programmes/{code}", auth=None, response=ProgrammeOut, summary="One programme")
def programme_detail(request, code: str):
    return selectors.programme_get(code)


# --- Pre-screening (staff) -------------------------------------------------------------------


class HouseholdMemberIn(Schema):
    age: int | None = None
    relationship: str = ""
    disability: bool | None = None
    unemployed: bool | None = None


class PrescreenIn(Schema):
    """A household's facts; what is not known is left out (null), never guessed."""

    on: date | None = None  # the day the rules are applied (today if not given)
    person_id: int | None = None  # required to save; the household is then theirs
    members: list[HouseholdMemberIn] = []
    income_6m: Decimal | None = None
    deposits: Decimal | None = None
    real_estate: Decimal | None = None
    single_parent: bool | None = None
    renting: bool | None = None
    save: bool = False


class PrescreeningResultOut(Schema):
    programme: str
    programme_name: str
    verdict: str
    verdict_label: str
    reasons: list[str]
    missing: list[str]
    missing_labels: list[str]
    amount: Decimal | None
    documents: list[str]
    rule_version: str
    rule_source: str
    parameters: dict


class PrescreeningOut(Schema):
    id: int | None
    person_id: int | None
    on: date
    saved: bool
    results: list[PrescreeningResultOut]


def _results(stored: list[dict]) -> list[dict]:
    shown = selectors.results_for_display(stored)
    return [
        {
            "programme": r["code"],
            "programme_name": r["programme"].label if r["programme"] else r["code"],
            "verdict": r["verdict"],
            "verdict_label": str(r["verdict_label"]),
            "reasons": r["reasons"],
            "missing": list(s.get("missing", ())),
            "missing_labels": r["missing"],
            "amount": r["amount"],
            "documents": [d.code for d in r["documents"]],
            "rule_version": r["rule_version"],
            "rule_source": r["rule_source"],
            "parameters": r["parameters"],
        }
        for r, s in zip(shown, stored, strict=True)
    ]


def _staff(request) -> None:
    if not scope_for(request.user).has_any(Capability.PERSONAL_DATA):
        raise PermissionDenied


@router.post(
    "/prescreenings",
    response={200: PrescreeningOut, 201: PrescreeningOut},
    summary="Pre-screen a household over the catalogue (saved only with save=true)",
)  # fmt: skip
def prescreen(request, payload: PrescreenIn):
    _staff(request)
    person = None
    if payload.person_id is not None:
        person = person_get_for(request.user, payload.person_id, audit=False)
    facts = Facts(
        members=tuple(Member(**m.dict()) for m in payload.members),
        income_6m=payload.income_6m,
        deposits=payload.deposits,
        real_estate=payload.real_estate,
        single_parent=payload.single_parent,
        renting=payload.renting,
    )
    on = payload.on or timezone.localdate()
    if payload.save:
        if person is None:
            raise ValidationError({"person_id": [_("Say whose household it is to save it.")]})
        saved = services.prescreening_save(
            actor=request.user, person=person, facts=facts, on=on, request=request
        )
        return Status(201, _prescreening_out(saved))
    services.facts_validate(facts)
    if person is not None:  # the facts were checked against a person's record: a read
        audit_record(
            action="prescreening.checked",
            actor=request.user,
            obj=person,
            request=request,
            detail={"on": on.isoformat(), "via": "api"},
        )
    results = [r.to_json() for r in screening.evaluate(facts, on)]
    return {"id": None, "person_id": payload.person_id, "on": on, "saved": False,
            "results": _results(results)}  # fmt: skip


def _prescreening_out(prescreening) -> dict:
    return {
        "id": prescreening.pk,
        "person_id": prescreening.person_id,
        "on": prescreening.on,
        "saved": True,
        "results": _results(prescreening.results),
    }


@router.get(
    "/prescreenings/{int:prescreening_id}",
    response=PrescreeningOut,
    summary="A saved pre-screening, as it was saved",
)
def prescreening_detail(request, prescreening_id: int):
    found = selectors.prescreening_get_for(request.user, prescreening_id, request=request)
    return _prescreening_out(found)


# --- Applications (staff, scoped like persons) -----------------------------------------------


class ApplicationStepOut(Schema):
    action: str
    state: str
    at: datetime
    by: str = Field(..., alias="actor.username")
    detail: dict


class ApplicationOut(Schema):
    id: int
    centre: str = Field(..., alias="centre.code")
    person_id: int
    programme: str = Field(..., alias="programme.code")
    state: str
    documents: list[str]
    submitted_on: date | None
    reference_number: str
    submitted_by: str | None = Field(None, alias="submitted_by.username")
    decision_on: date | None
    amount: Decimal | None
    renewal_on: date | None
    staff: str = Field(..., alias="staff.username")
    created_at: datetime


class ApplicationDetailOut(ApplicationOut):
    steps: list[ApplicationStepOut]

    @staticmethod
    def resolve_steps(application) -> list:
        return list(application.steps.select_related("actor"))


class ApplicationIn(Schema):
    person_id: int
    programme: str  # the programme's code


class ApplicationDocumentsIn(Schema):
    documents: list[str]


class ApplicationSubmitIn(Schema):
    submitted_on: date
    reference_number: str


class ApplicationDecisionIn(Schema):
    step: str  # approve | reject | ask_documents
    decision_on: date
    amount: Decimal | None = None
    renewal_on: date | None = None


def _listed(request, applications: list) -> None:
    if applications:
        audit_record(
            action="application.list",
            actor=request.user,
            request=request,
            centre=applications[0].centre_id,
            detail={"persons": sorted({a.person_id for a in applications}), "via": "api"},
        )


@router.get("/applications", response=list[ApplicationOut], summary="Applications in scope")
@paginate(AuditedPages, page_size=50, audit=_listed)
def application_list(request, person_id: int | None = None, state: str | None = None):
    found = selectors.application_list_for(request.user).select_related(
        "centre", "programme", "staff", "submitted_by"
    )
    if person_id is not None:
        found = found.filter(person_id=person_id)
    if state:
        found = found.filter(state=state)
    return found.order_by("-created_at", "-pk")


@router.post(
    "/applications",
    response={201: ApplicationDetailOut},
    summary="Start the help with a person's application to a programme",
)
def application_create(request, payload: ApplicationIn):
    person = person_get_for(request.user, payload.person_id, audit=False)
    programme = selectors.programme_list().filter(code=payload.programme).first()
    if programme is None:
        raise ValidationError({"programme": [_("No programme of the catalogue has this code.")]})
    application = services.application_create(
        actor=request.user, person=person, programme=programme, request=request
    )
    return Status(201, _get(request, application.pk))


def _get(request, application_id: int):
    return selectors.application_get_for(request.user, application_id, audit=False)


@router.get("/applications/{int:application_id}", response=ApplicationDetailOut)
def application_detail(request, application_id: int):
    return selectors.application_get_for(request.user, application_id, request=request)


@router.post(
    "/applications/{int:application_id}/documents",
    response={200: ApplicationDetailOut},
    summary="The documents collected (codes of the programme's checklist)",
)
def application_documents(request, application_id: int, payload: ApplicationDocumentsIn):
    services.application_documents_set(
        actor=request.user,
        application=_get(request, application_id),
        codes=payload.documents,
        request=request,
    )
    return _get(request, application_id)


@router.post(
    "/applications/{int:application_id}/submit",
    response={200: ApplicationDetailOut},
    summary="Record the submission on the platform (date, reference number)",
)
def application_submit(request, application_id: int, payload: ApplicationSubmitIn):
    services.application_submit(
        actor=request.user,
        application=_get(request, application_id),
        submitted_on=payload.submitted_on,
        reference_number=payload.reference_number,
        request=request,
    )
    return _get(request, application_id)


@router.post(
    "/applications/{int:application_id}/decision",
    response={200: ApplicationDetailOut},
    summary="Record the platform's decision (approve, reject, ask_documents)",
)
def application_decision(request, application_id: int, payload: ApplicationDecisionIn):
    services.application_decide(
        actor=request.user,
        application=_get(request, application_id),
        step=payload.step,
        decision_on=payload.decision_on,
        amount=payload.amount,
        renewal_on=payload.renewal_on,
        request=request,
    )
    return _get(request, application_id)


@router.post(
    "/applications/{int:application_id}/end",
    response={200: ApplicationDetailOut},
    summary="Close the help with the application",
)
def application_end(request, application_id: int):
    services.application_end(
        actor=request.user, application=_get(request, application_id), request=request
    )
    return _get(request, application_id)
