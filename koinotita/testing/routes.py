"""THE classification of every route of the application: web URL patterns (by URL name) and
API operations (by method and OpenAPI path). The leak matrix and the audit-completeness walk
(koinotita/web/tests/test_leak_matrix.py, test_audit_completeness.py) read it; a route that
is not here fails them until it is classified.

Kinds:
- PERSONAL: reads or changes a person's records; with another centre's object it answers
  404 (403 only to a role the page is closed to altogether), and read by an allowed user it
  writes an audit event naming the person (`reads`).
- CENTRE: a centre's own records that are not about a person (funding, reports, protocols);
  another centre's object answers 404 (or 403), like PERSONAL.
- SHARED: the network, the directory, catalogues, aggregate figures: open across centres to
  those allowed; tried with another centre's object, it never shows a person of it.
- PUBLIC: no login (login pages, the citizens' directory, the signed referral link).
- ADMIN: the admin site, which the admin matrix covers (koinotita/web/tests/test_admin_matrix.py
  and koinotita/testing/admins.py); here it is
  only requested for the absence of another centre's persons.

`kwargs(records)` builds the URL's arguments from a centre's records
(koinotita/testing/world.py): the matrix passes the other centre's, the walk the user's own.
`body(records)` is the JSON an API operation is sent (its required fields are otherwise
filled from the schema). `reader` is the role that may use the route, `reads(records)` the
persons an allowed read must name in the audit trail (None: the route shows no person).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.urls import URLResolver, get_resolver

from koinotita.api.main import api
from koinotita.directory import hsds

PERSONAL, CENTRE, SHARED, PUBLIC, ADMIN = "personal", "centre", "shared", "public", "admin"
GUARDED = (PERSONAL, CENTRE)


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable | None = None
    reader: str = "caseworker"
    reads: Callable | None = None
    body: Callable | None = None
    # The answers to another centre's object (PERSONAL and CENTRE: 403 or 404; a PUBLIC
    # route with arguments is checked only where this says what it answers).
    expect: frozenset[int] | None = None
    # Roles whose scope legitimately reaches the other centre (a monitor of the region
    # reads every centre's funding and reports): for them it is not another centre's.
    open_to: frozenset[str] = frozenset()


def personal(kwargs=None, reader="caseworker", reads=lambda r: [r.person], **extra) -> Route:
    return Route(PERSONAL, kwargs, reader, reads, **extra)


def centre(kwargs=None, reader="supervisor", **extra) -> Route:
    return Route(CENTRE, kwargs, reader, None, **extra)


MONITORED = frozenset({"monitor"})  # a monitor of the region reads it for every centre


def monitored(kwargs=None) -> Route:
    return centre(kwargs, open_to=MONITORED)


def shared(kwargs=None, reader="caseworker") -> Route:
    return Route(SHARED, kwargs, reader)


def public(kwargs=None, **extra) -> Route:
    return Route(PUBLIC, kwargs, "none", **extra)


def _person(r):
    return {"pk": r.person.pk}


def _person_pk(r):
    return {"person_pk": r.person.pk}


def _case(r):
    return {"pk": r.case.pk}


def _referral(r):
    return {"pk": r.referral.pk}


def _no_person(_r):
    return []


SUPERVISOR = "supervisor"

WEB: dict[str, Route] = {
    # shell, accounts, network, audit
    "web-home": shared(),
    "operations-healthz": public(),
    "accounts-login": public(),
    "accounts-logout": public(),
    "accounts-2fa-setup": public(),
    "accounts-2fa-verify": public(),
    "set_language": public(),
    "organisations-centre-list": shared(),
    "organisations-centre-detail": shared(lambda r: {"code": r.centre.code}),
    "audit-event-list": centre(),
    # people
    "people-person-search": personal(reader="reception", reads=None),
    "people-person-register": personal(reader="reception", reads=None),
    "people-person-detail": personal(_person),
    "people-person-edit": personal(_person),
    "people-consent-add": personal(_person),
    "people-household-edit": personal(_person),
    "people-consent-withdraw": personal(lambda r: {"pk": r.person.pk, "consent_pk": r.consent.pk}),
    "people-person-privacy": personal(_person, SUPERVISOR),
    "people-person-export": personal(lambda r: {"pk": r.person.pk, "fmt": "json"}, SUPERVISOR),
    "people-person-anonymise": personal(_person, SUPERVISOR),
    "people-person-merge": personal(_person, SUPERVISOR),
    "people-person-merge-confirm": personal(
        lambda r: {"pk": r.person.pk, "other_pk": r.other.pk},
        SUPERVISOR,
        reads=lambda r: [r.person, r.other],
    ),
    "people-person-merges": personal(_person, SUPERVISOR),
    "people-assignment-list": personal(reader=SUPERVISOR, reads=None),
    "people-assignment-end": centre(lambda r: {"pk": r.assignment.pk}),
    "people-person-merge-undo": personal(
        lambda r: {"pk": r.person.pk, "merge_pk": r.merge.pk}, SUPERVISOR
    ),
    # An import in progress shows the rows of the uploaded file, not records yet.
    "people-import-upload": personal(reader=SUPERVISOR, reads=None),
    "people-import-review": personal(lambda r: {"token": r.import_token}, SUPERVISOR, reads=None),
    "people-import-confirm": personal(lambda r: {"token": r.import_token}, SUPERVISOR, reads=None),
    "people-import-rejected": personal(lambda r: {"token": r.import_token}, SUPERVISOR, reads=None),
    # activities
    "activities-activity-list": centre(reader="caseworker"),
    "activities-activity-create": centre(reader="caseworker"),
    "activities-activity-detail": personal(lambda r: {"pk": r.activity.pk}),
    "activities-person": personal(_person_pk),
    "activities-report": centre(),
    "activities-volunteer-list": centre(reader="caseworker"),
    "activities-distribution-list": centre(reader="caseworker"),
    "activities-distribution-detail": personal(lambda r: {"pk": r.distribution.pk}),
    # reception
    "reception-contact-log": personal(_person_pk, "reception"),
    "reception-contact-anonymous": personal(reader="reception", reads=None),
    "reception-appointment-index": personal(reader="reception", reads=None),
    "reception-request-list": personal(reader="reception", reads=None),
    "reception-request-detail": personal(
        lambda r: {"pk": r.appointment_request.pk}, "reception", reads=None
    ),
    "reception-appointment-book": personal(_person_pk, "reception"),
    "reception-appointment-detail": personal(lambda r: {"pk": r.appointment.pk}, "reception"),
    "reception-appointment-check-in": personal(lambda r: {"pk": r.appointment.pk}, "reception"),
    "reception-appointment-cancel": personal(lambda r: {"pk": r.appointment.pk}, "reception"),
    "reception-appointment-no-show": personal(lambda r: {"pk": r.appointment.pk}, "reception"),
    # The day is today and the appointment tomorrow: the day's list read names nobody.
    "reception-appointment-staff-day": personal(
        lambda r: {"staff_pk": r.staff.pk}, "reception", reads=_no_person
    ),
    "reception-appointment-staff-week": personal(lambda r: {"staff_pk": r.staff.pk}, "reception"),
    "reception-appointment-site-day": personal(
        lambda r: {"site_pk": r.site.pk}, "reception", reads=_no_person
    ),
    "reception-appointment-site-week": personal(lambda r: {"site_pk": r.site.pk}, "reception"),
    # cases
    "cases-case-list": personal(),
    "cases-case-open": personal(_person_pk),
    "cases-case-detail": personal(_case),
    "cases-case-status": personal(_case),
    "cases-case-reassign": personal(_case),
    "cases-case-workers": personal(_case, reads=None),
    "cases-case-member-add": personal(_case),
    "cases-assessment-new": personal(_case),
    "cases-goal-add": personal(_case),
    "cases-goal-status": personal(lambda r: {"pk": r.case.pk, "goal_pk": r.goal.pk}),
    "cases-action-add": personal(lambda r: {"pk": r.case.pk, "goal_pk": r.goal.pk}),
    "cases-action-status": personal(lambda r: {"pk": r.case.pk, "action_pk": r.action.pk}),
    "cases-plan-agree": personal(_case),
    "cases-session-new": personal(_case),
    "cases-note-add": personal(_case),
    # Asks for a reason before the note is shown (the case's number only).
    "cases-note-break-glass": personal(lambda r: {"pk": r.note.pk}, SUPERVISOR, reads=None),
    "cases-attachment-add": personal(_case),
    "cases-attachment-download": personal(lambda r: {"pk": r.case_attachment.pk}),
    "cases-task-add": personal(_case),
    "cases-my-tasks": personal(),
    "cases-task-status": personal(lambda r: {"pk": r.task.pk}),
    "cases-closure-new": personal(_case),
    "cases-closure-decide": personal(lambda r: {"pk": r.closure.pk}, SUPERVISOR),
    "cases-case-reopen": personal(_case),
    "cases-transfer-new": personal(_case),
    "cases-transfer-incoming": personal(reads=None),
    "cases-team": personal(reader=SUPERVISOR, reads=None),
    # directory (a shared catalogue; the cooperation protocols are a centre's)
    "directory-search": shared(),
    "directory-service-detail": shared(lambda r: {"pk": r.service.pk}),
    "directory-service-verify": shared(lambda r: {"pk": r.service.pk}),
    "directory-service-capacity": shared(lambda r: {"pk": r.service.pk}),
    "directory-service-capacity-save": shared(lambda r: {"pk": r.service.pk}),
    "directory-capacity-delete": shared(lambda r: {"pk": r.capacity.pk}),
    "directory-capacity-list": shared(reader=SUPERVISOR),
    "programmes-programme-list": shared(),
    "programmes-programme-detail": shared(lambda r: {"code": r.programme.code}),
    "programmes-person": personal(lambda r: {"person_pk": r.person.pk}),
    "programmes-prescreen": personal(lambda r: {"person_pk": r.person.pk}),
    "programmes-prescreening-detail": personal(lambda r: {"pk": r.prescreening.pk}),
    "programmes-prescreening-pdf": personal(lambda r: {"pk": r.prescreening.pk}),
    "programmes-applications-needing-action": personal(reads=None),
    "programmes-application-create": personal(lambda r: {"person_pk": r.person.pk}),
    "programmes-application-detail": personal(lambda r: {"pk": r.application.pk}),
    "programmes-application-documents": personal(lambda r: {"pk": r.application.pk}),
    "programmes-application-submit": personal(lambda r: {"pk": r.application.pk}),
    "programmes-application-decide": personal(lambda r: {"pk": r.application.pk}),
    "programmes-application-end": personal(lambda r: {"pk": r.application.pk}),
    "monitoring-quality": centre(lambda r: {"code": r.centre.code}),
    "monitoring-participation-entry": personal(lambda r: {"pk": r.participation.pk}),
    "accounts-2fa-recovery": public(),
    "accounts-2fa-reset": centre(lambda r: {"pk": r.staff.pk}, reader="admin"),
    "directory-verification": shared(reader=SUPERVISOR),
    "directory-verification-answer": shared(lambda r: {"pk": r.service.pk}, reader=SUPERVISOR),
    "directory-verification-link": public(
        lambda r: {"token": "not-a-token"}, expect=frozenset({403})
    ),
    "directory-organisation-detail": shared(lambda r: {"pk": r.organization.pk}),
    "directory-organisation-verify": shared(lambda r: {"pk": r.organization.pk}),
    "directory-protocol-list": centre(),
    "directory-protocol-create": centre(),
    # Protocols are part of the network: whoever sees the other centre sees them.
    "directory-protocol-document": monitored(lambda r: {"pk": r.protocol.pk}),
    "directory-public": public(),
    # the citizens' pages (koinotita.public): no login, no person
    "public-index": public(),
    "public-centre": public(lambda r: {"code": r.centre.code}),
    "public-programmes": public(),
    "public-programme": public(lambda r: {"code": "minimum-income"}),
    "public-check": public(),
    "public-request": public(),
    "public-accessibility": public(),
    "public-privacy": public(),
    "directory-public-service": public(lambda r: {"pk": r.service.pk}),
    # referrals
    "referrals-referral-list": personal(),
    "referrals-referral-new": personal(_person_pk),
    "referrals-person": personal(_person_pk),
    "referrals-referral-incoming": personal(_person_pk),
    "referrals-referral-detail": personal(_referral),
    # Only a draft has the form (audited on GET); the world's referral is already sent.
    "referrals-referral-edit": personal(_referral, reads=None),
    "referrals-referral-send": personal(_referral),
    "referrals-referral-step": personal(_referral),
    "referrals-referral-letter": personal(_referral),
    "referrals-attachment-upload": personal(_referral),
    "referrals-attachment-download": personal(
        lambda r: {"pk": r.referral.pk, "attachment_pk": r.referral_attachment.pk}
    ),
    "referrals-link-create": personal(_referral),
    "referrals-link-revoke": personal(lambda r: {"pk": r.referral.pk, "link_pk": r.link.pk}),
    "referrals-inbox": personal(reader="partner"),
    "referrals-inbox-detail": personal(_referral, "partner"),
    "referrals-inbox-step": personal(_referral, "partner"),
    "referrals-figures": shared(reader=SUPERVISOR),
    "referrals-figures-export": shared(lambda r: {"fmt": "csv"}, SUPERVISOR),
    # The signed link needs no login: the other centre's object is a token with a wrong
    # signature, and a genuine token asking for the other centre's document.
    "referrals-link": public(lambda r: {"token": r.link_token + "x"}, expect=frozenset({403})),
    "referrals-link-attachment": public(
        lambda r: {"token": r.link_token, "attachment_pk": r.foreign_document},
        expect=frozenset({404}),
    ),
    # funding
    "funding-operation-list": centre(),
    "funding-operation-create": centre(),
    "funding-operation-detail": monitored(lambda r: {"pk": r.operation.pk}),
    "funding-operation-edit": centre(lambda r: {"pk": r.operation.pk}),
    "funding-amendment-create": centre(lambda r: {"pk": r.operation.pk}),
    "funding-year-budget-set": centre(lambda r: {"pk": r.operation.pk}),
    "funding-expenditure-create": centre(lambda r: {"pk": r.operation.pk}),
    "funding-expenditure-reverse": centre(
        lambda r: {"pk": r.operation.pk, "expenditure_id": r.expenditure.pk}
    ),
    "funding-expenditure-import": centre(lambda r: {"pk": r.operation.pk}),
    "funding-operation-export": centre(lambda r: {"pk": r.operation.pk, "fmt": "csv"}),
    "funding-region": shared(lambda r: {"code": r.centre.municipality.regional_unit.region.code}),
    "funding-region-export": shared(
        lambda r: {"code": r.centre.municipality.regional_unit.region.code, "fmt": "csv"}
    ),
    # monitoring
    "monitoring-index": shared(),
    "monitoring-participation-list": personal(),
    "monitoring-participation-import": personal(reads=None),
    "monitoring-person": personal(_person),
    "monitoring-participation-exit": personal(lambda r: {"pk": r.participation.pk}),
    "monitoring-participation-followup": personal(lambda r: {"pk": r.participation.pk}),
    "monitoring-report": shared(reader=SUPERVISOR),
    "monitoring-programme-figures": shared(reader=SUPERVISOR),
    "monitoring-programme-figures-export": shared(lambda r: {"fmt": "csv"}, SUPERVISOR),
    "monitoring-report-submit": centre(),
    "monitoring-submission-list": centre(),
    "monitoring-submission-detail": monitored(lambda r: {"pk": r.submission.pk}),
    "monitoring-dashboard": shared(reader=SUPERVISOR),
    # the API's own pages (its operations are in API below)
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "api:api-root": public(),
}


def _case_id(r):
    return {"case_id": r.case.pk}


def _application_id(r):
    return {"application_id": r.application.pk}


def _operation_id(r):
    return {"operation_id": r.operation.pk}


API: dict[str, Route] = {
    "GET /api/v1/centres": shared(),
    "GET /api/v1/people/search": personal(reader="reception", reads=None),
    "GET /api/v1/people": personal(reader="reception"),
    "POST /api/v1/people": personal(reader="reception", reads=None),
    "GET /api/v1/people/{person_id}": personal(lambda r: {"person_id": r.person.pk}),
    "PATCH /api/v1/people/{person_id}": personal(lambda r: {"person_id": r.person.pk}),
    "POST /api/v1/contacts": personal(
        reader="reception",
        reads=None,
        body=lambda r: {"persons": [r.person.pk], "site": r.site.code, "channel": "in_person"},
    ),
    "GET /api/v1/people/{person_id}/contacts": personal(lambda r: {"person_id": r.person.pk}),
    "GET /api/v1/people/{person_id}/consents": personal(lambda r: {"person_id": r.person.pk}),
    "POST /api/v1/people/{person_id}/consents": personal(
        lambda r: {"person_id": r.person.pk},
        reads=None,
        body=lambda r: (
            {"purpose": "sms", "given_on": r.today.isoformat()}
            if hasattr(r, "today")
            else {"purpose": "sms", "given_on": "2026-01-05"}
        ),
    ),
    "POST /api/v1/people/{person_id}/consents/{consent_id}/withdraw": personal(
        lambda r: {"person_id": r.person.pk, "consent_id": r.consent.pk},
        reads=None,
        body=lambda r: {"reason": "Το ζήτησε"},
    ),
    "GET /api/v1/cases": personal(),
    "POST /api/v1/cases": personal(
        reads=None, body=lambda r: {"person": r.person.pk, "reason": "x"}
    ),
    "GET /api/v1/cases/{case_id}": personal(_case_id),
    "GET /api/v1/cases/{case_id}/assessments": personal(_case_id),
    "POST /api/v1/cases/{case_id}/assessments": personal(_case_id),
    "GET /api/v1/cases/{case_id}/goals": personal(_case_id),
    "POST /api/v1/cases/{case_id}/goals": personal(_case_id),
    "GET /api/v1/cases/{case_id}/sessions": personal(_case_id),
    "POST /api/v1/cases/{case_id}/sessions": personal(_case_id),
    "GET /api/v1/cases/{case_id}/notes": personal(_case_id),
    "POST /api/v1/cases/{case_id}/notes": personal(_case_id),
    "GET /api/v1/tasks": personal(reads=None),
    "POST /api/v1/tasks": personal(
        reads=None, body=lambda r: {"case": r.case.pk, "title": "x", "due_on": "2030-01-01"}
    ),
    "POST /api/v1/tasks/{task_id}/status": personal(lambda r: {"task_id": r.task.pk}),
    "PUT /api/v1/cases/{case_id}/goals/{goal_id}": personal(
        lambda r: {"case_id": r.case.pk, "goal_id": r.goal.pk}
    ),
    "POST /api/v1/cases/{case_id}/goals/{goal_id}/actions": personal(
        lambda r: {"case_id": r.case.pk, "goal_id": r.goal.pk}
    ),
    "POST /api/v1/cases/{case_id}/actions/{action_id}/status": personal(
        lambda r: {"case_id": r.case.pk, "action_id": r.action.pk}
    ),
    "POST /api/v1/cases/{case_id}/plan/agree": personal(_case_id),
    "POST /api/v1/cases/{case_id}/status": personal(_case_id),
    "POST /api/v1/cases/{case_id}/reassign": personal(_case_id),
    "POST /api/v1/cases/{case_id}/team": personal(_case_id),
    "GET /api/v1/cases/{case_id}/closure": personal(
        lambda r: {"case_id": r.closure.case_id}, reads=lambda r: [r.other]
    ),
    "POST /api/v1/cases/{case_id}/closure": personal(_case_id),
    "POST /api/v1/closures/{closure_id}/approve": personal(
        lambda r: {"closure_id": r.closure.pk}, SUPERVISOR
    ),
    "POST /api/v1/closures/{closure_id}/reject": personal(
        lambda r: {"closure_id": r.closure.pk}, SUPERVISOR
    ),
    "POST /api/v1/cases/{case_id}/reopen": personal(_case_id),
    "POST /api/v1/cases/{case_id}/transfer": personal(_case_id),
    "GET /api/v1/transfers": personal(reads=None),
    "POST /api/v1/transfers/{transfer_id}/accept": personal(
        lambda r: {"transfer_id": r.transfer.pk}
    ),
    "POST /api/v1/transfers/{transfer_id}/decline": personal(
        lambda r: {"transfer_id": r.transfer.pk}
    ),
    "GET /api/v1/cases/{case_id}/attachments": personal(_case_id),
    "POST /api/v1/cases/{case_id}/attachments": personal(_case_id),
    "GET /api/v1/attachments/{attachment_id}": personal(
        lambda r: {"attachment_id": r.case_attachment.pk}
    ),
    "GET /api/v1/cases/{case_id}/notes/sealed": personal(_case_id, SUPERVISOR),
    "POST /api/v1/notes/{note_id}/break-glass": personal(lambda r: {"note_id": r.note.pk}),
    "GET /api/v1/directory/": shared(),
    "GET /api/v1/directory/services": shared(),
    "GET /api/v1/directory/services/{service_id}": shared(lambda r: {"service_id": r.service.pk}),
    "GET /api/v1/directory/organizations": shared(),
    "GET /api/v1/directory/organizations/{organization_id}": shared(
        lambda r: {"organization_id": r.organization.pk}
    ),
    "GET /api/v1/directory/taxonomy_terms": shared(),
    "GET /api/v1/directory/taxonomy_terms/{term_id}": shared(
        lambda r: {"term_id": hsds.catalogue_terms()[0]["id"]}
    ),
    "GET /api/v1/directory/taxonomies": shared(),
    "GET /api/v1/directory/taxonomies/{taxonomy_id}": shared(
        lambda r: {"taxonomy_id": hsds.taxonomy_documents()[0]["id"]}
    ),
    "GET /api/v1/directory/service_at_locations": shared(),
    "GET /api/v1/directory/service_at_locations/{sal_id}": shared(
        lambda r: {"sal_id": r.service_at_location.pk}
    ),
    "GET /api/v1/directory/openapi.json": shared(),
    "GET /api/v1/data-quality": centre(),
    "GET /api/v1/referrals": personal(),
    "POST /api/v1/referrals": personal(
        reads=None,
        body=lambda r: {
            "person_id": r.person.pk,
            "service_id": str(r.service.pk),
            "case_id": r.case.pk,
            "reason": "x",
        },
    ),
    "GET /api/v1/referrals/inbox": personal(reader="partner"),
    "GET /api/v1/referrals/inbox/{referral_id}": personal(
        lambda r: {"referral_id": r.referral.pk}, "partner"
    ),
    "POST /api/v1/referrals/inbox/{referral_id}/transitions": personal(
        lambda r: {"referral_id": r.referral.pk}, "partner"
    ),
    "GET /api/v1/referrals/{referral_id}": personal(lambda r: {"referral_id": r.referral.pk}),
    "PATCH /api/v1/referrals/{referral_id}": personal(lambda r: {"referral_id": r.referral.pk}),
    "POST /api/v1/referrals/{referral_id}/transitions": personal(
        lambda r: {"referral_id": r.referral.pk}
    ),
    "GET /api/v1/funding/operations": centre(),
    "POST /api/v1/funding/operations": centre(),
    "GET /api/v1/funding/operations/{operation_id}": monitored(_operation_id),
    "PATCH /api/v1/funding/operations/{operation_id}": centre(_operation_id),
    "GET /api/v1/funding/operations/{operation_id}/amendments": monitored(_operation_id),
    "POST /api/v1/funding/operations/{operation_id}/amendments": centre(_operation_id),
    "GET /api/v1/funding/operations/{operation_id}/budgets": monitored(_operation_id),
    "PUT /api/v1/funding/operations/{operation_id}/budgets": centre(_operation_id),
    "GET /api/v1/funding/operations/{operation_id}/expenditures": monitored(_operation_id),
    "POST /api/v1/funding/operations/{operation_id}/expenditures": centre(_operation_id),
    "POST /api/v1/funding/operations/{operation_id}/expenditures/{expenditure_id}/reverse": centre(
        lambda r: {"operation_id": r.operation.pk, "expenditure_id": r.expenditure.pk}
    ),
    "GET /api/v1/indicators": shared(reader=SUPERVISOR),
    "GET /api/v1/programmes": public(),
    "GET /api/v1/programmes/{code}": public(lambda r: {"code": r.programme.code}),
    "POST /api/v1/prescreenings": personal(
        reads=None,
        body=lambda r: {"person_id": r.person.pk, "members": [{"age": 40}], "income_6m": "0"},
    ),
    "GET /api/v1/prescreenings/{prescreening_id}": personal(
        lambda r: {"prescreening_id": r.prescreening.pk}
    ),
    "GET /api/v1/applications": personal(),
    "POST /api/v1/applications": personal(
        reads=None, body=lambda r: {"person_id": r.person.pk, "programme": r.programme.code}
    ),
    "GET /api/v1/applications/{application_id}": personal(_application_id),
    "POST /api/v1/applications/{application_id}/documents": personal(_application_id),
    "POST /api/v1/applications/{application_id}/submit": personal(_application_id),
    "POST /api/v1/applications/{application_id}/decision": personal(_application_id),
    "POST /api/v1/applications/{application_id}/end": personal(_application_id),
}


def is_admin_route(name: str) -> bool:
    """Every pattern of the admin site (one set per registered ModelAdmin)."""
    return name.startswith("admin:")


# --- what the application has: every URL pattern and every API operation --------------------


def url_patterns():
    """(name, lookup) of every URL pattern, walking the resolver recursively; a name carries
    its namespaces (`admin:index`, `api:openapi-json`)."""

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern, inner)
            else:
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                yield f"{namespace}{name}", pattern.lookup_str

    return list(walk(get_resolver(), ""))


def api_operations() -> dict[str, dict]:
    """ "METHOD /path" → the OpenAPI operation, for every operation of the API's schema."""
    schema = api_schema()
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations[f"{method.upper()} {path}"] = operation
    return operations


@cache
def api_schema() -> dict:
    return api.get_openapi_schema()
