"""The one way to write to the audit trail."""

import ipaddress
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from koinotita.audit.actions import is_registered
from koinotita.audit.chain import GENESIS, event_hash
from koinotita.audit.models import AuditChainHead, AuditEvent

NO_CENTRE_CHAIN = 0


def client_address(request) -> str:
    """The client's IP address, normalised; the proxy's header is trusted only behind one."""
    if request is None:
        return ""
    raw = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        raw = forwarded.split(",")[0].strip() or raw
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return ""


def _locked_head(chain: int) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(chain=chain, seq=0, last_hash=GENESIS)
    except IntegrityError:
        pass  # another writer created it first
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def audit_record(
    *,
    action: str,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    centre=None,
    request=None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain of its centre and return it.

    `obj` may be any model instance: its type and id are recorded, and its `centre_id` (if it
    has one) chooses the chain. Call inside the service's transaction so that the event is
    written if, and only if, what it records is written. `action` must be registered
    (koinotita/audit/actions.py): an unknown one raises ValueError.
    """
    if not is_registered(action):
        raise ValueError(f"Unregistered audit action {action!r}: add it to an audit_actions.py.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if centre is None and getattr(obj, "centre_id", None):
            centre = obj.centre_id
    centre_id = getattr(centre, "pk", centre)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    # Round-trip through JSON so that what is hashed is exactly what the database returns.
    detail = json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))
    chain = centre_id or NO_CENTRE_CHAIN
    # No savepoint: if the audit write fails, the whole operation it records must fail too.
    with transaction.atomic(savepoint=False):
        head = _locked_head(chain)
        fields = {
            "chain": chain,
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_id": actor.pk if actor else None,
            "actor_username": actor.get_username() if actor else "",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id) if object_id != "" else "",
            "centre_id": centre_id,
            "ip": client_address(request),
            "reason": reason,
            "detail": detail,
            "prev_hash": head.last_hash,
        }
        digest = event_hash(**fields)
        event = AuditEvent.objects.create(hash=digest, **fields)
        AuditChainHead.objects.filter(chain=chain).update(seq=fields["seq"], last_hash=digest)
    return event
