"""Writes to the directory: every change goes through one of these functions, which check
the permission, validate, write in one transaction and record one audit event.

Who may change the directory (koinotita.directory.selectors.can_edit_directory): an
administrator, anything; a supervisor, the organisations whose seat is in a municipality of
their centres and those organisations' services. Verifying a record records who did it.
"""

from __future__ import annotations

import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.audit.services import audit_record
from koinotita.directory import hsds, plugins
from koinotita.directory.models import (
    ChangeReport,
    CooperationProtocol,
    Location,
    Need,
    Organization,
    Service,
    ServiceCapacity,
    ServiceStatus,
    Unit,
    VerificationRequest,
)
from koinotita.directory.selectors import (
    can_edit_directory,
    organisation_search_key,
    service_search_key,
    service_stem_key,
)
from koinotita.lib import uploads
from koinotita.people.models import Category

SAMPLE_FILE = hsds.DATA_DIR / "sample_directory.json"


def _require_editor(actor, organization: Organization | None) -> None:
    if actor is None:
        return  # the operator at the command line, or the demo
    if not can_edit_directory(actor, organization):
        raise PermissionDenied(_("You may not change this part of the directory."))


def service_derive(service: Service, organization: Organization | None = None) -> None:
    """The derived columns the search reads: needs and phonetic words."""
    service.needs_key = f" {' '.join(service.needs)} " if service.needs else ""
    categories = service.eligibility_categories
    service.categories_key = f" {' '.join(categories)} " if categories else ""
    service.search_key = service_search_key(service, organization)
    service.stem_key = service_stem_key(service, organization)


def _validate_service_codes(service: Service) -> None:
    errors = {}
    if not isinstance(service.needs, list) or any(n not in Need.values for n in service.needs):
        errors["needs"] = _("Unknown need.")
    categories = service.eligibility_categories
    if not isinstance(categories, list) or any(c not in Category.values for c in categories):
        errors["eligibility_categories"] = _("Unknown category of beneficiaries.")
    if (
        service.minimum_age is not None
        and service.maximum_age is not None
        and service.minimum_age > service.maximum_age
    ):
        errors["maximum_age"] = _("The maximum age is lower than the minimum age.")
    if errors:
        raise ValidationError(errors)


def organisation_save(*, organization: Organization, actor, request=None) -> Organization:
    """Create or change an organisation (its services' search words follow its name)."""
    existing = Organization.objects.filter(pk=organization.pk).first()
    _require_editor(actor, existing or organization)
    organization.search_key = organisation_search_key(organization)
    organization.full_clean()
    with transaction.atomic():
        organization.save()
        services = list(organization.services.all())
        for service in services:
            service_derive(service, organization)
        Service.objects.bulk_update(services, ["search_key", "stem_key"])
        audit_record(
            action="directory.organisation.create"
            if existing is None
            else "directory.organisation.update",
            actor=actor,
            obj=organization,
            request=request,
        )
    return organization


def service_save(*, service: Service, actor, request=None) -> Service:
    """Create or change a service."""
    existing = Service.objects.filter(pk=service.pk).exists()
    organization = Organization.objects.filter(pk=service.organization_id).first()
    _require_editor(actor, organization)
    _validate_service_codes(service)
    service_derive(service, organization)
    service.full_clean()
    with transaction.atomic():
        service.save()
        audit_record(
            action="directory.service.update" if existing else "directory.service.create",
            actor=actor,
            obj=service,
            request=request,
        )
    return service


def location_save(*, location: Location, actor, request=None) -> Location:
    existing = Location.objects.filter(pk=location.pk).exists()
    _require_editor(actor, location.organization if location.organization_id else None)
    location.full_clean()
    with transaction.atomic():
        location.save()
        audit_record(
            action="directory.location.update" if existing else "directory.location.create",
            actor=actor,
            obj=location,
            request=request,
        )
    return location


def record_verify(*, record: Organization | Service | Location, actor, request=None):
    """Record that `actor` checked the record against reality today."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Only a member of staff can verify a record."))
    organization = record if isinstance(record, Organization) else record.organization
    _require_editor(actor, organization)
    record.last_verified_on = timezone.localdate()
    record.verified_by = actor
    record.verified_by_name = actor.get_full_name() or actor.get_username()
    with transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(
            last_verified_on=record.last_verified_on,
            verified_by=actor,
            verified_by_name=record.verified_by_name,
            updated_at=timezone.now(),
        )
        if isinstance(record, Service):
            _resolve_reports(record)
        audit_record(action="directory.verify", actor=actor, obj=record, request=request)
    return record


def _resolve_reports(service: Service) -> None:
    ChangeReport.objects.filter(service=service, resolved_at=None).update(
        resolved_at=timezone.now()
    )


NOTE_MAX = 2000


def _clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"note": [_("Say what changed, so that it can be corrected.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": [_("At most %(n)s characters.") % {"n": f"{NOTE_MAX:,}".replace(",", ".")}]}
        )
    return note


def service_change_report(*, service: Service, actor, note: str = "", request=None) -> ChangeReport:
    """A member of staff who may change the service says its record is out of date: the
    report stays open (on the verification list) until the record is verified again."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Only a member of staff can report a change."))
    _require_editor(actor, service.organization)
    note = _clean_note(note, required=False)
    with transaction.atomic():
        report = ChangeReport.objects.create(
            service=service,
            note=note,
            via=ChangeReport.Via.STAFF,
            reported_by=actor,
            reported_by_name=actor.get_full_name() or actor.get_username(),
        )
        audit_record(
            action="directory.change_reported",
            actor=actor,
            obj=service,
            request=request,
            detail={"report": report.pk, "via": report.via},
        )
    return report


# --- the partners' monthly confirmation ----------------------------------------------------

VERIFICATION_SALT = "koinotita.directory.verification"
VERIFICATION_DAYS = 31


@dataclass
class MailingReport:
    sent: int = 0
    already: int = 0  # asked this month already
    without_email: int = 0
    without_services: int = 0


def verification_token(vrequest: VerificationRequest) -> str:
    return signing.dumps({"v": vrequest.pk, "n": vrequest.nonce}, salt=VERIFICATION_SALT)


def verification_url(vrequest: VerificationRequest) -> str:
    return settings.SITE_URL + reverse(
        "directory-verification-link", args=[verification_token(vrequest)]
    )


def verification_mail(*, today=None, dry_run: bool = False) -> MailingReport:
    """Once a month, ask every partner to confirm their organisation's active services by
    a signed link (no login). Each organisation, recipient and month is asked once, so the
    mailing can be rerun (or run daily) without sending anything twice."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    report = MailingReport()
    for organization_id, user in plugins.verification_recipients():
        organization = Organization.objects.filter(pk=organization_id).first()
        services = list(
            Service.objects.filter(
                organization_id=organization_id, status=ServiceStatus.ACTIVE
            ).order_by("name", "pk")
        )
        if organization is None or not services:
            report.without_services += 1
            continue
        if not user.email:
            report.without_email += 1
            continue
        if VerificationRequest.objects.filter(
            organization_id=organization_id, user=user, month=month
        ).exists():
            report.already += 1
            continue
        if dry_run:
            report.sent += 1
            continue
        try:
            with transaction.atomic():
                vrequest = VerificationRequest.objects.create(
                    organization=organization,
                    user=user,
                    email=user.email,
                    month=month,
                    nonce=secrets.token_urlsafe(32),
                    expires_at=timezone.now() + timedelta(days=VERIFICATION_DAYS),
                )
                audit_record(
                    action="directory.verification_mailed",
                    obj=vrequest,
                    detail={"organization": str(organization.pk), "recipient": user.pk},
                )
                context = {
                    "organization": organization,
                    "services": services,
                    "url": verification_url(vrequest),
                    "vrequest": vrequest,
                }
                with translation.override("el"):
                    subject = _("Are your services in the directory still right? (%(name)s)") % {
                        "name": organization.name
                    }
                    body = render_to_string("directory/verification_email.txt", context)
                # In the transaction: if the mail cannot be handed over, nothing is recorded
                # and the next run asks again.
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:  # a mailing running beside this one asked first
            report.already += 1
            continue
        report.sent += 1
    return report


class VerificationLinkRefused(Exception):
    """A confirmation link that is tampered with, unknown or expired. Always audited."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def _refuse_link(why: str, vrequest, request) -> VerificationLinkRefused:
    audit_record(
        action="directory.verification_refused",
        object_type="directory.verificationrequest",
        object_id=vrequest.pk if vrequest else "",
        request=request,
        detail={"why": why},
    )
    return VerificationLinkRefused(why)


def verification_resolve(token: str, *, request=None) -> VerificationRequest:
    """The request a confirmation link stands for, if genuine, known and unexpired."""
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT)
    except signing.BadSignature:
        raise _refuse_link("tampered", None, request) from None
    if not isinstance(payload, dict) or not {"v", "n"} <= set(payload):
        raise _refuse_link("foreign", None, request)
    vrequest = (
        VerificationRequest.objects.select_related("organization", "user")
        .filter(pk=payload["v"])
        .first()
    )
    if vrequest is None or not secrets.compare_digest(vrequest.nonce, str(payload["n"])):
        raise _refuse_link("unknown", vrequest, request)
    if vrequest.expires_at <= timezone.now():
        raise _refuse_link("expired", vrequest, request)
    if not vrequest.user.is_active:
        raise _refuse_link("inactive", vrequest, request)
    return vrequest


def verification_answer(
    *,
    vrequest: VerificationRequest,
    service: Service,
    still_right: bool,
    note: str = "",
    request=None,
):
    """The partner's answer for one of their services, from the confirmation link: "still
    right" verifies it in their name; "changed" opens a report (saying what changed) for the
    supervisors, who correct the record."""
    if service.organization_id != vrequest.organization_id:
        raise _refuse_link("other organisation", vrequest, request)
    user = vrequest.user
    name = user.get_full_name() or vrequest.email
    note = _clean_note(note, required=not still_right)
    now = timezone.now()
    with transaction.atomic():
        if still_right:
            Service.objects.filter(pk=service.pk).update(
                last_verified_on=timezone.localdate(),
                verified_by=user,
                verified_by_name=name,
                updated_at=now,
            )
            _resolve_reports(service)
            result = None
            action, detail = "directory.verify", {"via": ChangeReport.Via.PARTNER_LINK}
        else:
            result = ChangeReport.objects.create(
                service=service,
                note=note,
                via=ChangeReport.Via.PARTNER_LINK,
                reported_by=user,
                reported_by_name=name,
            )
            action = "directory.change_reported"
            detail = {"report": result.pk, "via": ChangeReport.Via.PARTNER_LINK}
        VerificationRequest.objects.filter(pk=vrequest.pk, answered_at=None).update(answered_at=now)
        audit_record(action=action, actor=user, obj=service, request=request, detail=detail)
    return result


def service_capacity_set(
    *,
    service: Service,
    actor,
    accepting_referrals: bool,
    wait_time_days: int | None,
    wait_time: str = "",
    request=None,
) -> Service:
    """Whether the service accepts referrals now, and how long one waits."""
    _require_editor(actor, service.organization)
    if actor is None:
        raise PermissionDenied(_("Only a member of staff can change a service's capacity."))
    if wait_time_days is not None and wait_time_days < 0:
        raise ValidationError({"wait_time_days": _("The waiting time cannot be negative.")})
    before = {
        "accepting_referrals": service.accepting_referrals,
        "wait_time_days": service.wait_time_days,
    }
    service.accepting_referrals = accepting_referrals
    service.wait_time_days = wait_time_days
    service.wait_time = wait_time
    service.full_clean()
    with transaction.atomic():
        service.save(
            update_fields=["accepting_referrals", "wait_time_days", "wait_time", "updated_at"]
        )
        audit_record(
            action="directory.service.capacity",
            actor=actor,
            obj=service,
            request=request,
            detail={
                "before": before,
                "after": {
                    "accepting_referrals": accepting_referrals,
                    "wait_time_days": wait_time_days,
                },
            },
        )
    return service


def can_keep_capacity(user, service: Service) -> bool:
    """An editor of the service's organisation (koinotita.directory.selectors.
    can_edit_directory), or a user a registered keeper names for it (a partner of the
    organisation)."""
    if can_edit_directory(user, service.organization):
        return True
    return str(service.organization_id) in plugins.capacity_organisation_ids(user)


def service_capacity_save(
    *,
    service: Service,
    actor,
    unit_name: str,
    available,
    maximum=None,
    description: str = "",
    request=None,
) -> ServiceCapacity:
    """How many units of the service are available now (HSDS 3.1 service_capacity): one
    row per unit and service, updated in place; the unit is found by name or created."""
    if actor is None or not can_keep_capacity(actor, service):
        raise PermissionDenied(_("You may not change the capacity of this service."))
    unit_name = unit_name.strip()
    if maximum is not None and available is not None and available > maximum:
        raise ValidationError({"available": _("More are available than the maximum.")})
    with transaction.atomic():
        # A unit is one per name whatever its case (Greek too, which SQLite's iexact is not).
        pk = uuid.uuid5(hsds.NAMESPACE, f"unit/{unit_name.casefold()}")
        unit = (
            Unit.objects.filter(pk=pk).first()
            or Unit.objects.filter(name__iexact=unit_name).first()
            or Unit(pk=pk, name=unit_name)
        )
        if unit._state.adding:
            unit.full_clean()
            unit.save()
        capacity = ServiceCapacity.objects.filter(service=service, unit=unit).first()
        before = (
            {"available": str(capacity.available), "maximum": str(capacity.maximum)}
            if capacity
            else None
        )
        capacity = capacity or ServiceCapacity(service=service, unit=unit)
        capacity.available, capacity.maximum = available, maximum
        capacity.description, capacity.updated = description, timezone.now()
        capacity.full_clean()
        capacity.save()
        audit_record(
            action="directory.service.capacity",
            actor=actor,
            obj=service,
            request=request,
            detail={
                "unit": unit.name,
                "before": before,
                "after": {"available": str(available), "maximum": str(maximum)},
            },
        )
    return capacity


def service_capacity_delete(*, capacity: ServiceCapacity, actor, request=None) -> None:
    service = capacity.service
    if actor is None or not can_keep_capacity(actor, service):
        raise PermissionDenied(_("You may not change the capacity of this service."))
    with transaction.atomic():
        unit = capacity.unit.name
        capacity.delete()
        audit_record(
            action="directory.service.capacity",
            actor=actor,
            obj=service,
            request=request,
            detail={"unit": unit, "deleted": True},
        )


def protocol_save(*, protocol: CooperationProtocol, actor, request=None) -> CooperationProtocol:
    """Record a cooperation protocol between a centre and an organisation: an administrator
    of the centre, or its supervisor."""
    scope = scope_for(actor)
    allowed = actor is not None and (
        actor.is_superuser
        or scope.allows(Capability.ADMINISTER, protocol.centre_id)
        or scope.allows(Capability.SUPERVISE, protocol.centre_id)
    )
    if not allowed:
        raise PermissionDenied(_("You may not record protocols for this centre."))
    existing = CooperationProtocol.objects.filter(pk=protocol.pk).exists() if protocol.pk else False
    if protocol.created_by_id is None:
        protocol.created_by = actor
    document = protocol.document
    if document and not document._committed:  # a new upload: stored as it was checked
        checked = uploads.check_upload(
            document.file,
            kinds=uploads.PROTOCOL_DOCUMENTS,
            max_bytes=settings.DOCUMENTS_MAX_BYTES,
            field="document",
        )
        protocol.document = ContentFile(checked.data, name=checked.filename)
    protocol.full_clean()
    with transaction.atomic():
        protocol.save()
        audit_record(
            action="directory.protocol.update" if existing else "directory.protocol.create",
            actor=actor,
            obj=protocol,
            centre=protocol.centre_id,
            request=request,
        )
    return protocol


def related_records_save(*, formset, actor, request=None) -> list:
    """Save an admin screen's inline records (phones, hours, areas, ...) of one directory
    record, with one audit event for the lot."""
    parent = formset.instance
    organization = (
        parent if isinstance(parent, Organization) else getattr(parent, "organization", None)
    )
    _require_editor(actor, organization)
    with transaction.atomic():
        saved = formset.save()
        audit_record(
            action="directory.related.save",
            actor=actor,
            obj=parent,
            request=request,
            detail={
                "model": formset.model._meta.label_lower,
                "saved": [str(o.pk) for o in saved],
                "deleted": [str(o.pk) for o in formset.deleted_objects],
            },
        )
    return saved


# --- HSDS import ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    source: str = ""
    read: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    deleted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[hsds.Problem] = field(default_factory=list)
    error: hsds.NotHSDS | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems


def _update_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("created_at",)
    ]


def directory_import(
    *, path: Path | None = None, tables: hsds.Tables | None = None, actor=None, dry_run=False,
    progress=None, request=None,
) -> ImportReport:  # fmt: skip
    """Import an HSDS file (JSON or a tabular CSV folder): everything or nothing.

    Records are matched by their HSDS id, so importing the same file twice updates rather
    than duplicates. Every rejected record is in the report, and when there is one, nothing
    is written. `actor` None is the operator at the command line (or the demo).
    """
    _require_editor(actor, None)
    report = ImportReport(source=str(path or (tables.source if tables else "")))
    progress = progress or (lambda stage, done, total: None)
    try:
        tables = tables if tables is not None else hsds.read_path(Path(path))
    except hsds.NotHSDS as exc:
        report.error = exc
        return report
    report.read = {name: len(rows) for name, rows in tables.rows.items() if rows}
    progress("check", 0, tables.count())
    checked = hsds.check(tables)
    progress("check", tables.count(), tables.count())
    report.skipped = dict(tables.skipped)
    report.problems = checked.problems
    if not report.ok or dry_run:
        return report
    total = sum(len(rows) for rows in checked.rows.values())
    done = 0
    with transaction.atomic():
        organizations = {
            str(o.pk): o
            for o in Organization.objects.filter(
                pk__in=[
                    e["refs"]["organization_id"]
                    for e in checked.rows["service"].values()
                    if e["refs"]["organization_id"] not in checked.rows["organization"]
                ]
            )
        }
        for table in hsds.TABLES:
            entries = checked.rows[table.name]
            instances = [entry["instance"] for entry in entries.values()]
            if table.name == "organization":
                for org in instances:
                    org.search_key = organisation_search_key(org)
                    organizations[str(org.pk)] = org
            if table.name == "service":
                for service in instances:
                    service_derive(service, organizations[str(service.organization_id)])
            fields = _update_fields(table.model)
            columns = [table.model._meta.get_field(f).attname for f in fields]
            ids = [i.pk for i in instances]
            existing: dict = {}
            for start in range(0, len(ids), 500):
                rows = table.model.objects.filter(pk__in=ids[start : start + 500]).values(
                    "pk", *columns
                )
                existing.update({row.pop("pk"): row for row in rows})
            new = [i for i in instances if i.pk not in existing]
            changed = 0
            now = timezone.now()
            for instance in instances:
                before = existing.get(instance.pk)
                if before is None:
                    continue
                if "verified_by_id" in before and (
                    before["verified_by_name"],
                    before["last_verified_on"],
                ) == (instance.verified_by_name, instance.last_verified_on):
                    instance.verified_by_id = before["verified_by_id"]  # same verification
                update = {
                    column: getattr(instance, column)
                    for column in columns
                    if column != "updated_at" and getattr(instance, column) != before[column]
                }
                if update:
                    if "updated_at" in before:
                        update["updated_at"] = now
                    table.model.objects.filter(pk=instance.pk).update(**update)
                    changed += 1
            table.model.objects.bulk_create(new, batch_size=500)
            report.created[table.name] += len(new)
            report.updated[table.name] += changed
            report.unchanged[table.name] += len(instances) - len(new) - changed
            done += len(instances)
            progress("write", done, total)
        # Children that the file lists for a parent replace those the directory had.
        for table in hsds.TABLES:
            if not table.synced:
                continue
            kept = [uuid.UUID(i) for i in checked.rows[table.name]]
            for ref, parent in table.references.items():
                if (table.name, ref) not in tables.synced:
                    continue
                parents = list(checked.rows[parent])
                for start in range(0, len(parents), 500):
                    stale = table.model.objects.filter(
                        **{f"{ref}__in": parents[start : start + 500]}
                    ).exclude(pk__in=kept)
                    count, _by_model = stale.delete()
                    report.deleted[table.name] += count
        audit_record(
            action="directory.import",
            actor=actor,
            object_type="directory",
            object_id="hsds",
            request=request,
            detail={
                "source": Path(report.source).name if report.source else "",
                "created": dict(report.created),
                "updated": dict(report.updated),
                "deleted": dict(report.deleted),
            },
        )
    report.written = True
    return report


def directory_export(*, out: Path, fmt: str = "json", actor=None, request=None) -> dict:
    """Write the whole directory as HSDS: a JSON organisation package, or the tabular CSV
    form into a folder. Returns the number of records per table."""
    if fmt not in ("json", "csv"):
        raise ValidationError(_("The format must be json or csv."))
    out = Path(out)
    if fmt == "json":
        with out.open("w", encoding="utf-8") as stream:
            counts = hsds.export_json(stream)
    else:
        counts = hsds.export_csv(out)
    audit_record(
        action="directory.export",
        actor=actor,
        object_type="directory",
        object_id="hsds",
        request=request,
        detail={"format": fmt, "counts": counts},
    )
    return counts


def directory_load_sample() -> ImportReport:
    """The sample directory of Western Macedonia (idempotent: same ids update)."""
    return directory_import(path=SAMPLE_FILE)
