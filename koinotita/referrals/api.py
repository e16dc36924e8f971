"""Referral endpoints: create, take a step, read; the partner's inbox. Scoped like the pages
(koinotita.referrals.selectors): out of scope is 404, a step that cannot follow the current
state is 409, invalid input is 422."""

import uuid
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from koinotita.cases.selectors import case_get_for
from koinotita.lib.errors import Id
from koinotita.lib.pagination import AuditedPages
from koinotita.people.selectors import person_get_for
from koinotita.referrals import selectors, services
from koinotita.referrals.models import Urgency, Via

router = Router(tags=["referrals"])


class StepOut(Schema):
    at: datetime
    from_state: str
    to_state: str
    via: str
    by: str = Field(..., alias="actor_label")
    note: str


class ReferralOut(Schema):
    id: int
    centre: str = Field(..., alias="centre.code")
    person_id: int
    direction: str
    service_id: uuid.UUID | None
    organization_id: uuid.UUID | None
    from_body: str
    case_id: int | None
    reason: str
    urgency: str
    shared_fields: list[str]
    response_due: date | None
    state: str
    protocol_number: str
    decline_reason: str
    outcome: str
    consent_id: int | None
    is_sample: bool
    created_at: datetime
    sent_at: datetime | None
    received_at: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None


class ReferralDetailOut(ReferralOut):
    steps: list[StepOut]


class SharedFieldOut(Schema):
    label: str
    value: str


class SharedOut(Schema):
    """What a partner sees of a referral: the shared fields and nothing else of the person."""

    id: int
    protocol_number: str
    state: str
    urgency: str
    reason: str
    response_due: date | None
    sent_at: datetime | None
    centre_name: str
    organization_name: str
    service_name: str
    decline_reason: str
    outcome: str
    fields: list[SharedFieldOut]


class ReferralIn(Schema):
    person_id: Id
    service_id: uuid.UUID
    reason: str
    urgency: str = Urgency.ROUTINE
    shared_fields: list[str] = []
    response_due: date | None = None
    case_id: Id | None = None
    send: bool = False


class ReferralPatch(Schema):
    """A change to a draft: only the fields given change (`response_due: null` removes the
    deadline). A referral already sent answers 409."""

    service_id: uuid.UUID | None = None
    reason: str | None = None
    urgency: str | None = None
    shared_fields: list[str] | None = None
    response_due: date | None = None


class StepIn(Schema):
    to_state: str
    note: str = ""
    reason: str = ""
    outcome: str = ""
    # The state the caller last saw: if it moved on since, the answer is refused (409).
    seen_state: str = ""


def _detail(referral):
    referral.steps = list(selectors.referral_events(referral))
    return referral


def _shared(referral) -> dict:
    view = selectors.shared_view(referral)
    return {
        "id": view.id,
        "protocol_number": view.protocol_number,
        "state": view.state,
        "urgency": view.urgency,
        "reason": view.reason,
        "response_due": view.response_due,
        "sent_at": view.sent_at,
        "centre_name": view.centre_name,
        "organization_name": view.organization_name,
        "service_name": view.service_name,
        "decline_reason": view.decline_reason,
        "outcome": view.outcome,
        "fields": [{"label": label, "value": value} for label, value in view.fields],
    }


def _listed(request, referrals: list) -> None:
    selectors.referrals_listed(
        request.user,
        referrals,
        request=request,
        via="api",
        detail={k: request.GET.get(k, "") for k in ("state", "direction")},
    )


def _inbox_listed(request, referrals: list) -> None:
    selectors.inbox_listed(
        request.user,
        referrals,
        request=request,
        via="api",
        detail={"state": request.GET.get("state", "")},
    )


@router.get("/referrals", response=list[ReferralOut], summary="Referrals of your centres")
@paginate(AuditedPages, page_size=50, audit=_listed)
def referral_list(request, state: str = "", direction: str = ""):
    return selectors.referral_search(request.user, state=state, direction=direction).select_related(
        "centre"
    )


@router.get("/referrals/inbox", response=list[SharedOut], summary="Referrals to your organisation")
@paginate(AuditedPages, page_size=50, audit=_inbox_listed, each=_shared)
def inbox(request, state: str = ""):
    return selectors.referral_inbox_for(request.user, state=state)


@router.get("/referrals/inbox/{int:referral_id}", response=SharedOut)
def inbox_detail(request, referral_id: Id):
    referral = selectors.referral_get_for_partner(request.user, referral_id, request=request)
    return _shared(referral)


@router.post(
    "/referrals/inbox/{int:referral_id}/transitions",
    response={200: SharedOut},
)
def inbox_transition(request, referral_id: Id, payload: StepIn):
    referral = selectors.referral_inbox_for(request.user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    services.referral_step(
        actor=request.user, referral=referral, via=Via.PARTNER, request=request,
        **payload.dict(),
    )  # fmt: skip
    return Status(200, _shared(referral))


@router.get("/referrals/{int:referral_id}", response=ReferralDetailOut)
def referral_detail(request, referral_id: Id):
    return _detail(selectors.referral_get_for(request.user, referral_id, request=request))


@router.post("/referrals", response={201: ReferralDetailOut})
def referral_create(request, payload: ReferralIn):
    person = person_get_for(request.user, payload.person_id, audit=False)
    service = selectors.service_choices().filter(pk=payload.service_id).first()
    if service is None:
        raise ValidationError({"service_id": [_("No such service accepting referrals.")]})
    case = None
    if payload.case_id is not None:
        case = case_get_for(request.user, payload.case_id, audit=False)
    with transaction.atomic():  # with "send", nothing is saved unless it is sent
        referral = services.referral_create(
            actor=request.user,
            person=person,
            service=service,
            reason=payload.reason,
            urgency=payload.urgency,
            shared_fields=payload.shared_fields,
            response_due=payload.response_due,
            case=case,
            request=request,
        )
        if payload.send:
            services.referral_send(
                actor=request.user, referral=referral, request=request, via=Via.API
            )
    return Status(201, _detail(referral))


@router.patch(
    "/referrals/{int:referral_id}",
    response={200: ReferralDetailOut},
    summary="Change a draft referral",
)
def referral_update(request, referral_id: Id, payload: ReferralPatch):
    referral = selectors.referral_get_for(request.user, referral_id, audit=False)
    given = payload.dict(exclude_unset=True)
    service = None
    if given.get("service_id") is not None:
        service = selectors.service_choices().filter(pk=given["service_id"]).first()
        if service is None:
            raise ValidationError({"service_id": [_("No such service accepting referrals.")]})
    services.referral_update(
        actor=request.user,
        referral=referral,
        service=service,
        reason=given.get("reason"),
        urgency=given.get("urgency"),
        shared_fields=given.get("shared_fields"),
        response_due=given.get("response_due"),
        clear_response_due="response_due" in given and given["response_due"] is None,
        request=request,
    )
    return Status(200, _detail(referral))


@router.post(
    "/referrals/{int:referral_id}/transitions",
    response={200: ReferralDetailOut},
)
def referral_transition(request, referral_id: Id, payload: StepIn):
    referral = selectors.referral_get_for(request.user, referral_id, audit=False)
    services.referral_step(
        actor=request.user, referral=referral, via=Via.API, request=request,
        **payload.dict(),
    )  # fmt: skip
    return Status(200, _detail(referral))
