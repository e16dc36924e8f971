"""Reads of referrals. THE place where who may see a referral is decided.

- Staff of the referring centre see its referrals through koinotita.accounts.scoping
  (`restrict` with Capability.CASE_FILES): caseworkers, mediators and supervisors of the
  centre, never reception, never a monitor.
- A partner user (Role.PARTNER, which opens no centre) sees only the referrals addressed to
  the directory organisations they are a member of (PartnerMembership) from the centre that
  made them a member (an administrator of that centre vouched for them), only once sent, and
  only through `SharedView`, which carries the fields the person agreed to share and
  nothing else of the person. This is the one personal read keyed by the recipient rather
  than the centre: it is bounded by organisation, and every such read is audited.
- The holder of a signed link sees one referral, the same SharedView, and nothing else.

Anything out of scope is a 404.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from koinotita.accounts.models import Role
from koinotita.accounts.scoping import Capability, restrict, scope_for
from koinotita.audit.services import audit_record
from koinotita.directory.models import Need, Organization
from koinotita.directory.selectors import service_search
from koinotita.lib.greek import sort_key
from koinotita.organisations.models import Site
from koinotita.people.models import Consent
from koinotita.people.selectors import consents_in_force, persons_listed
from koinotita.programmes.selectors import application_list_for
from koinotita.referrals.models import (
    Attachment,
    Direction,
    PartnerMembership,
    Referral,
    ReferralEvent,
    ReferralLink,
    State,
)
from koinotita.referrals.rules import (
    ASKS_OUTCOME,
    ATTACHMENTS,
    AWAITING_ANSWER,
    SHAREABLE,
    shareable_choices,
)

LIST_RELATED = ("person", "service", "organization", "created_by")
PAGE_SIZE = 50


def referral_list_for(user) -> QuerySet[Referral]:
    """Referrals of the centres where the user may work with case files."""
    return restrict(Referral.objects.all(), user, Capability.CASE_FILES, person_field="person")


def referral_get_for(user, pk: int, *, request=None, audit: bool = True) -> Referral:
    """One referral of the user's centres (404 otherwise); reading it is audited."""
    referral = (
        referral_list_for(user)
        .select_related("centre", "person__residence_municipality", *LIST_RELATED[1:], "consent")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    if audit:
        audit_record(
            action="referral.read",
            actor=user,
            obj=referral,
            request=request,
            detail={"person": referral.person_id},
        )
    return referral


def referral_list_for_person(user, person) -> QuerySet[Referral]:
    return (
        referral_list_for(user)
        .filter(centre_id=person.centre_id, person=person)
        .select_related("service", "organization")
        .order_by("-created_at", "-pk")
    )


def referral_page_for_person(user, person, *, request=None) -> list[Referral]:
    """The person's latest referrals (a page or the person page's fragment); audited as one
    list read naming the person."""
    referrals = list(referral_list_for_person(user, person)[:PAGE_SIZE])
    persons_listed(
        user,
        action="referral.list_viewed",
        persons=[person.pk],
        request=request,
        centre=person.centre_id,
        detail={"person": person.pk},
    )
    return referrals


def _page(rows: QuerySet, number) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(number)


def referral_page_for(
    user, *, state="", direction="", overdue=False, number=None, request=None
) -> Page:
    """One page of `referral_search`; the read is audited with the persons it showed."""
    page = _page(referral_search(user, state=state, direction=direction, overdue=overdue), number)
    persons_listed(
        user,
        action="referral.list_viewed",
        persons=[r.person_id for r in page],
        request=request,
        detail={"state": state, "direction": direction, "overdue": overdue},
    )
    return page


def referrals_listed(user, referrals, *, request=None, via: str = "", detail=None) -> None:
    """Audit the read of a list of the centres' referrals (the API's page)."""
    persons_listed(
        user,
        action="referral.list_viewed",
        persons=[r.person_id for r in referrals],
        request=request,
        detail={**(detail or {}), "via": via} if via else detail,
    )


def inbox_listed(user, referrals, *, request=None, via: str = "", detail=None) -> None:
    """Audit a partner's read of their inbox: one event naming the persons it showed, in the
    chain of a centre whose referrals it showed."""
    persons_listed(
        user,
        action="referral.inbox_viewed",
        persons=[r.person_id for r in referrals],
        shown_centres=[r.centre_id for r in referrals],
        request=request,
        detail={**(detail or {}), "via": via} if via else detail,
    )


def inbox_page_for(user, *, state: str = "", number=None, request=None) -> Page:
    """One page of the partner's inbox; the read is audited with the persons it showed."""
    page = _page(referral_inbox_for(user, state=state), number)
    inbox_listed(user, list(page), request=request, detail={"state": state})
    return page


def referral_events(referral: Referral) -> QuerySet[ReferralEvent]:
    return ReferralEvent.objects.filter(
        centre_id=referral.centre_id, referral=referral
    ).select_related("actor")


def attachment_list(referral: Referral) -> QuerySet[Attachment]:
    return Attachment.objects.filter(centre_id=referral.centre_id, referral=referral).order_by(
        "uploaded_at", "pk"
    )


def link_list(referral: Referral) -> QuerySet[ReferralLink]:
    return ReferralLink.objects.filter(centre_id=referral.centre_id, referral=referral).order_by(
        "-created_at"
    )


def attachment_get_for(user, referral_pk: int, pk: int, *, request=None) -> Attachment:
    """An attachment of a referral in the user's centres, or of one shared with the user's
    organisation (if the referral shares its documents); 404 otherwise; audited."""
    try:
        referral = referral_get_for(user, referral_pk, audit=False)
    except Http404:
        referral = _inbox_referral(user, referral_pk)
        if ATTACHMENTS not in referral.shared_fields:
            raise
    attachment = attachment_list(referral).filter(pk=pk).first()
    if attachment is None:
        raise Http404
    audit_record(
        action="referral.attachment_read",
        actor=user,
        obj=attachment,
        request=request,
        detail={"referral": referral.pk, "person": referral.person_id},
    )
    return attachment


# --- filters of the list page -------------------------------------------------------------


def referral_search(
    user, *, state: str = "", direction: str = "", overdue: bool = False
) -> QuerySet[Referral]:
    qs = referral_list_for(user).select_related(*LIST_RELATED)
    if state in State.values:
        qs = qs.filter(state=state)
    if direction in Direction.values:
        qs = qs.filter(direction=direction)
    if overdue:
        qs = qs.filter(_overdue_q())
    return qs.order_by("-created_at", "-pk")


# --- overdue -------------------------------------------------------------------------------


def _overdue_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    today = timezone.localdate(now)
    completion_due = now - timedelta(days=settings.REFERRALS_COMPLETION_DAYS)
    return Q(state__in=AWAITING_ANSWER, response_due__lt=today) | Q(
        state=State.ACCEPTED, accepted_at__lt=completion_due
    )


def is_overdue(referral: Referral, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if referral.state in AWAITING_ANSWER and referral.response_due:
        return referral.response_due < timezone.localdate(now)
    if referral.state == State.ACCEPTED and referral.accepted_at:
        return referral.accepted_at < now - timedelta(days=settings.REFERRALS_COMPLETION_DAYS)
    return False


def referral_overdue_for(user, *, now: datetime | None = None) -> QuerySet[Referral]:
    """Overdue referrals a user should chase: no answer by the deadline, or accepted and not
    completed after REFERRALS_COMPLETION_DAYS. A caseworker gets the referrals they made; a
    supervisor every overdue referral of the centres they supervise. (Used by the home page
    and by `koinotita remind`.)"""
    supervised = sorted(scope_for(user).centre_ids(Capability.SUPERVISE))
    mine = Q(created_by_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    return (
        referral_list_for(user)
        .filter(_overdue_q(now))
        .filter(mine | Q(centre_id__in=supervised))
        .select_related(*LIST_RELATED)
        .order_by("response_due", "accepted_at", "pk")
    )


# --- partners --------------------------------------------------------------------------------


def partner_memberships_of(user) -> dict[int, list[int]]:
    """The organisations a partner user answers for, by the centre whose referrals they
    receive: {centre id: [organisation ids]}. A membership opens the referrals one centre
    sends to one organisation — the centre whose administrator linked the partner
    (referrals.services.partner_membership_grant) — and no other centre's."""
    if Role.PARTNER not in scope_for(user).roles:
        return {}
    cached = getattr(user, "_koinotita_partner_memberships", None)  # once per request
    if cached is None:
        cached = {}
        for centre_id, organization_id in (
            PartnerMembership.objects.filter(user_id=user.pk, is_active=True)
            .order_by("centre_id", "organization_id")
            .values_list("centre_id", "organization_id")
        ):
            cached.setdefault(centre_id, []).append(organization_id)
        user._koinotita_partner_memberships = cached
    return {centre_id: list(ids) for centre_id, ids in cached.items()}


def partner_organization_ids(user) -> list[int]:
    """The directory organisations whose referrals this user answers (partners only)."""
    return sorted({o for ids in partner_memberships_of(user).values() for o in ids})


def partner_reaches(user, referral: Referral) -> bool:
    """Is `referral` addressed to an organisation of the partner, from a centre whose
    administrator linked them to it?"""
    return referral.organization_id in partner_memberships_of(user).get(referral.centre_id, ())


def partners_to_ask():
    """(organisation id, user) for every active partner membership of an active partner:
    who is asked each month to confirm the organisation's services in the directory. A
    partner linked for several centres is asked once per organisation."""
    memberships = (
        PartnerMembership.objects.filter(
            is_active=True,
            user__is_active=True,
            user__role_assignments__role=Role.PARTNER,
            user__role_assignments__is_active=True,
        )
        .select_related("user")
        .distinct()
        .order_by("organization_id", "user_id")
    )
    pairs = {(m.organization_id, m.user_id): m.user for m in memberships}
    return [(organization_id, user) for (organization_id, _pk), user in pairs.items()]


def is_partner(user) -> bool:
    return Role.PARTNER in scope_for(user).roles


def referral_inbox_for(user, *, state: str = "") -> QuerySet[Referral]:
    """Referrals addressed to the user's organisations from the centres that linked them
    (`partner_memberships_of`), once sent (never drafts)."""
    memberships = partner_memberships_of(user)
    if not memberships:
        return Referral.objects.none()
    addressed = Q(pk__in=[])
    for centre_id, organization_ids in sorted(memberships.items()):
        addressed |= Q(centre_id=centre_id, organization_id__in=organization_ids)
    qs = (
        Referral.objects.filter(addressed, direction=Direction.OUTGOING)
        .exclude(state=State.DRAFT)
        .exclude(sent_at__isnull=True)
        .select_related("centre", "service", "organization", "person")
    )
    if state in State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-sent_at", "-pk")


def _inbox_referral(user, pk: int) -> Referral:
    referral = referral_inbox_for(user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    return referral


def referral_get_for_partner(user, pk: int, *, request=None) -> Referral:
    """One referral addressed to the user's organisation (404 otherwise); audited."""
    referral = _inbox_referral(user, pk)
    audit_record(
        action="referral.read_by_partner",
        actor=user,
        obj=referral,
        request=request,
        detail={"organization": referral.organization_id, "person": referral.person_id},
    )
    return referral


@dataclass
class SharedView:
    """What the recipient of a referral may see: the shared fields and nothing else of the
    person. Partner pages, the signed-link page, the letter and the partner API render from
    this object only, never from the Person."""

    id: int
    protocol_number: str
    state: str
    state_label: str
    urgency: str
    urgency_label: str
    reason: str
    response_due: date | None
    sent_at: datetime | None
    centre_name: str
    centre_email: str
    centre_phone: str
    centre_address: str
    organization_name: str
    service_name: str
    decline_reason: str
    outcome: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)


def _centre_address(centre) -> str:

    main = Site.objects.filter(centre_id=centre.pk, kind=Site.Kind.MAIN).first()
    return main.address if main is not None else ""


def shared_view(referral: Referral) -> SharedView:
    chosen = set(referral.shared_fields)
    person = referral.person
    fields = [(str(f.label), f.value(person)) for f in SHAREABLE if f.key in chosen]
    attachments = list(attachment_list(referral)) if ATTACHMENTS in chosen else []
    steps = [
        {
            "at": e.at,
            "state": e.to_state,
            "label": e.get_to_state_display(),
            "via": e.get_via_display(),
        }
        for e in referral_events(referral)
    ]
    centre = referral.centre
    return SharedView(
        id=referral.pk,
        protocol_number=referral.protocol_number,
        state=referral.state,
        state_label=str(referral.get_state_display()),
        urgency=referral.urgency,
        urgency_label=str(referral.get_urgency_display()),
        reason=referral.reason,
        response_due=referral.response_due,
        sent_at=referral.sent_at,
        centre_name=str(centre.name),
        centre_email=centre.email,
        centre_phone=centre.phone,
        centre_address=_centre_address(centre),
        organization_name=str(referral.organization.name) if referral.organization_id else "",
        service_name=str(referral.service.name) if referral.service_id else "",
        decline_reason=referral.decline_reason,
        outcome=referral.outcome,
        fields=fields,
        attachments=attachments,
        steps=steps,
    )


# --- consent -------------------------------------------------------------------------------
#
# The people app records a referral consent per recipient only: purpose "sharing with a
# partner for a referral", the recipient an organisation of the directory (its id in
# `Consent.recipient_key`, see people.recipients and referrals.recipients), the date, who took
# it. It does not say which fields may go. So a referral may be sent only to an organisation
# a consent in force names (referral_send refuses otherwise; names are never compared), and
# what it carries is chosen from a fixed list of fields that are safe to share
# (koinotita.referrals.rules SHAREABLE: identification and contact details, never categories
# of vulnerability, case notes or identity documents); nothing else of the person can be
# shared.


def referral_consents(person, *, on: date | None = None) -> list:
    """The person's consents in force to share with a named partner for a referral."""
    return list(
        consents_in_force(
            centre_id=person.centre_id, purpose=Consent.Purpose.REFERRAL_SHARING, on=on
        )
        .filter(person=person)
        .order_by("-given_on", "-pk")
    )


def consent_keys(person, *, on: date | None = None) -> set[str]:
    """The directory organisations (their ids) the person consented to share with."""
    return {c.recipient_key for c in referral_consents(person, on=on) if c.recipient_key}


def consent_covers(organization, keys: set[str]) -> bool:
    """Whether a consent naming one of `keys` covers `organization` (all its services)."""
    return organization is not None and str(organization.pk) in keys


def consent_for_recipient(person, organization, *, on: date | None = None):
    """The person's consent in force to share with `organization` for a referral, if any:
    the one that names this organisation of the directory."""
    if organization is None:
        return None
    for consent in referral_consents(person, on=on):
        if consent.recipient_key == str(organization.pk):
            return consent
    return None


# --- editing a draft -------------------------------------------------------------------------


def referral_is_editable(referral: Referral) -> bool:
    """Only an outgoing draft can be changed; once sent, it is what the recipient got."""
    return referral.direction == Direction.OUTGOING and referral.state == State.DRAFT


def referral_form_initial(referral: Referral) -> dict:
    return {
        "service": referral.service_id,
        "reason": referral.reason,
        "urgency": referral.urgency,
        "shared_fields": list(referral.shared_fields),
        "response_due": referral.response_due,
    }


# --- figures --------------------------------------------------------------------------------


def median_days(hours: list[float]) -> float | None:
    """The median of response times given in hours, in days to one decimal."""
    return round(statistics.median(hours) / 24, 1) if hours else None


@dataclass
class FigureRow:
    key: tuple
    organization: str
    service: str
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    completed: int = 0
    response_hours: list[float] = field(default_factory=list)

    @property
    def median_response_days(self) -> float | None:
        return median_days(self.response_hours)


def referral_figures_for(user, *, by: str = "organization", since: date | None = None):
    """Outgoing referrals of the centres the user supervises, counted per partner
    organisation (by="organization") or per service (by="service"): sent, answered,
    accepted, completed, median response time. Aggregates only: no person appears."""
    qs = restrict(
        Referral.objects.filter(direction=Direction.OUTGOING, sent_at__isnull=False),
        user,
        Capability.SUPERVISE,
    )
    if since:
        qs = qs.filter(sent_at__date__gte=since)
    rows: dict[tuple, FigureRow] = {}
    values = qs.values_list(
        "organization_id",
        "organization__name",
        "service_id",
        "service__name",
        "state",
        "sent_at",
        "answered_at",
        "accepted_at",
    )
    for org_id, org_name, svc_id, svc_name, state, sent, answered, accepted in values:
        if by == "service":
            key, service = (svc_id,), svc_name or ""
        else:
            key, service = (org_id,), ""
        row = rows.setdefault(key, FigureRow(key, org_name or "", service))
        row.sent += 1
        if answered:
            row.answered += 1
            row.response_hours.append((answered - sent).total_seconds() / 3600)
        if accepted:
            row.accepted += 1
        if state == State.COMPLETED:
            row.completed += 1
    return sorted(rows.values(), key=lambda r: (-r.sent, r.organization, r.service))


# --- what referrals teach about each service -------------------------------------------------

OUTCOME_WINDOW_DAYS = 365  # the last 12 months
OUTCOME_THRESHOLD = 5  # fewer referrals (or answers, or outcomes) than this: suppressed


@dataclass
class ServiceOutcome:
    """What the centres measured on their referrals to one service, sent in the last 12
    months: median days from sending to the partner's answer (accept or decline), the share
    of answers that accepted, and the share of reported outcomes that were "completed".
    Each figure is suppressed (None) when it rests on fewer than OUTCOME_THRESHOLD
    referrals; all are, when fewer were sent. Aggregates across centres; no person."""

    referrals: int = 0
    answered: int = 0
    accepted: int = 0
    outcomes: int = 0
    completed: int = 0
    median_hours: float | None = None  # from sending to the answer, over the answered
    threshold: int = OUTCOME_THRESHOLD

    @property
    def suppressed(self) -> bool:
        return self.referrals < self.threshold

    @property
    def median_response_days(self) -> float | None:
        if self.suppressed or self.answered < self.threshold or self.median_hours is None:
            return None
        return round(self.median_hours / 24, 1)

    @property
    def acceptance_rate(self) -> int | None:
        if self.suppressed or self.answered < self.threshold:
            return None
        return round(100 * self.accepted / self.answered)

    @property
    def completion_rate(self) -> int | None:
        if self.suppressed or self.outcomes < self.threshold:
            return None
        return round(100 * self.completed / self.outcomes)


class _MedianSeconds(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values, as statistics.median)
    of a time difference, in seconds."""

    function = "PERCENTILE_CONT"
    template = "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    output_field = FloatField()


def service_outcomes(service_ids, *, now: datetime | None = None) -> dict:
    """{service id: ServiceOutcome} for every service asked (outgoing referrals sent in the
    last 12 months, of every centre; a referral withdrawn before an answer is left out).
    One grouped query on PostgreSQL (the median in the database); on SQLite a second one
    reads the answered referrals' response times for the medians. Registered with the
    directory (koinotita.directory.plugins)."""
    now = now or timezone.now()
    qs = Referral.objects.filter(
        direction=Direction.OUTGOING,
        service_id__isnull=False,
        sent_at__gte=now - timedelta(days=OUTCOME_WINDOW_DAYS),
    ).exclude(state=State.WITHDRAWN, answered_at__isnull=True)
    out: dict[str, ServiceOutcome] = {}
    if service_ids is not None:  # None: every service (the picker)
        ids = [str(pk) for pk in service_ids]
        out = {pk: ServiceOutcome() for pk in ids}
        if not ids:
            return out
        qs = qs.filter(service_id__in=ids)
    figures = {
        "referrals": Count("pk"),
        "answered": Count("answered_at"),
        "accepted": Count("accepted_at"),
        "outcomes": Count("pk", filter=Q(state__in=ASKS_OUTCOME)),
        "completed": Count("pk", filter=Q(state=State.COMPLETED)),
    }
    in_database = connection.vendor == "postgresql"
    if in_database:
        response = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())
        figures["median_seconds"] = _MedianSeconds(response)
    grouped = qs.order_by().values("service_id").annotate(**figures)
    for row in grouped:
        seconds = row.pop("median_seconds", None)
        outcome = out.setdefault(str(row.pop("service_id")), ServiceOutcome())
        for name, value in row.items():
            setattr(outcome, name, value)
        outcome.median_hours = None if seconds is None else seconds / 3600
    if not in_database:
        hours: dict[str, list[float]] = defaultdict(list)
        answered = qs.filter(answered_at__isnull=False).values_list(
            "service_id", "sent_at", "answered_at"
        )
        for service_id, sent, answered_at in answered.iterator(chunk_size=5000):
            hours[str(service_id)].append((answered_at - sent).total_seconds() / 3600)
        for pk, values in hours.items():
            out[pk].median_hours = statistics.median(values)
    return out


def outcome_label(outcome: ServiceOutcome | None) -> str:
    """The figures in a few words, for the service picker."""
    if outcome is None or outcome.suppressed:
        return gettext("fewer than %(n)s referrals in 12 months") % {"n": OUTCOME_THRESHOLD}
    parts = []
    if outcome.median_response_days is not None:
        parts.append(gettext("answers in %(days)s days") % {"days": outcome.median_response_days})
    if outcome.acceptance_rate is not None:
        parts.append(gettext("%(rate)s%% accepted") % {"rate": outcome.acceptance_rate})
    if outcome.completion_rate is not None:
        parts.append(gettext("%(rate)s%% completed") % {"rate": outcome.completion_rate})
    return " · ".join(parts) or gettext("too few answers yet")


# --- small reads for the pages ------------------------------------------------------------


def service_choices(*, municipality=None, need: str = ""):
    """Directory services a referral can be addressed to (read-only use of the directory):
    those serving `municipality` (the person's, on the form) for `need`, when given."""

    return service_search(
        accepting_referrals=True, limit=None, municipality=municipality, need=need
    ).order_by("organization__name", "name", "pk")


def referral_prefill(user, person, *, application_pk: str, need: str) -> dict:
    """What a referral from an application starts with: for the application's own person,
    the reason naming the programme, the application and the need; and the need's services.
    Anything that does not fit (another person's application, an unknown need) is ignored."""
    need = need if need in Need.values else ""
    application = None
    if application_pk.isdigit():
        application = (
            application_list_for(user)
            .filter(pk=int(application_pk), person=person)
            .select_related("programme")
            .first()
        )
    if application is None:
        return {"need": need, "initial": {}}
    reason = gettext(
        "Social inclusion of a beneficiary of %(programme)s (application #%(number)d)"
    ) % {"programme": application.programme.label, "number": application.pk}
    if need:
        reason += f": {Need(need).label}"
    return {"need": need, "initial": {"reason": reason}, "application": application}


def shared_labels(referral: Referral) -> list[str]:
    chosen = set(referral.shared_fields)
    labels = [str(f.label) for f in SHAREABLE if f.key in chosen]
    if ATTACHMENTS in chosen:
        labels.append(str(dict(shareable_choices())[ATTACHMENTS]))
    return labels


def recipient_email(referral: Referral) -> str:
    """The address a link most likely goes to: the service's, else the organisation's."""
    for obj in (referral.service, referral.organization):
        email = getattr(obj, "email", "") if obj is not None else ""
        if email:
            return email
    return ""


def inbox_row(referral: Referral) -> dict:
    """One line of a partner's inbox: the person's name only if it is shared."""
    name = ""
    if "name" in referral.shared_fields:
        name = f"{referral.person.family_name} {referral.person.given_name}"
    return {
        "id": referral.pk,
        "protocol_number": referral.protocol_number,
        "centre": referral.centre.name,
        "service": referral.service.name if referral.service_id else "",
        "name": name,
        "state": referral.get_state_display(),
        "urgency": referral.get_urgency_display(),
        "sent_at": referral.sent_at,
        "response_due": referral.response_due,
    }


# --- the partner's home ---------------------------------------------------------------------


def partner_home_for(user) -> list[dict]:
    """Per organisation the partner answers for: its name, how many referrals wait for its
    answer and how many accepted ones wait for their outcome (counts only, no person)."""
    ids = partner_organization_ids(user)
    if not ids:
        return []
    counts = (
        referral_inbox_for(user)
        .order_by()
        .values("organization_id")
        .annotate(
            waiting=Count("pk", filter=Q(state__in=AWAITING_ANSWER)),
            to_report=Count("pk", filter=Q(state=State.ACCEPTED)),
        )
    )
    by_org = {c["organization_id"]: c for c in counts}
    names = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
    return sorted(
        (
            {
                "name": names.get(pk, ""),
                "waiting": by_org.get(pk, {}).get("waiting", 0),
                "to_report": by_org.get(pk, {}).get("to_report", 0),
            }
            for pk in ids
        ),
        key=lambda row: sort_key(row["name"]),
    )
