"""How an audit event's hash is computed: shared by the writer and by `audit verify`."""

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def event_hash(
    *,
    chain: int,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    centre_id: int | None,
    ip: str,
    reason: str,
    detail: dict,
    prev_hash: str,
) -> str:
    content = {
        "chain": chain,
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "centre_id": centre_id,
        "ip": ip,
        "reason": reason,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of(event) -> str:
    """Recompute the hash of a stored AuditEvent from its fields."""
    return event_hash(
        chain=event.chain,
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        centre_id=event.centre_id,
        ip=event.ip,
        reason=event.reason,
        detail=event.detail,
        prev_hash=event.prev_hash,
    )
