"""Reads of the audit trail: the verification of its chains and the scoped event list."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from koinotita.accounts.scoping import Capability, restrict
from koinotita.audit.chain import GENESIS, hash_of
from koinotita.audit.models import AuditChainHead, AuditEvent


@dataclass
class BrokenLink:
    chain: int
    seq: int
    event_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"event #{self.event_id}" if self.event_id else "end of chain"
        return f"chain {self.chain}, seq {self.seq} ({where}): {self.problem}"


@dataclass
class VerifyResult:
    events: int = 0
    chains: int = 0
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken


def audit_verify(*, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Recompute every hash, chain by chain, and report the first broken link of each.

    Detects an altered row (its hash no longer matches), a deleted row (a gap in the
    sequence or a link to a hash that is not the previous one), and a deleted tail (the
    chain head expects more than is there).
    """
    result = VerifyResult()
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        result.chains += 1
        expected_seq, prev_hash, broken = 1, GENESIS, None
        events = AuditEvent.objects.filter(chain=chain).order_by("seq")
        for event in events.iterator(chunk_size=2000):
            result.events += 1
            if progress and result.events % 1000 == 0:
                progress(result.events)
            if broken:
                continue
            if event.seq != expected_seq:
                broken = BrokenLink(
                    chain, expected_seq, event.id, f"events missing before seq {event.seq}"
                )
            elif event.prev_hash != prev_hash:
                broken = BrokenLink(chain, event.seq, event.id, "does not link to the event before")
            elif hash_of(event) != event.hash:
                broken = BrokenLink(chain, event.seq, event.id, "content altered (hash mismatch)")
            expected_seq, prev_hash = event.seq + 1, event.hash
        head = heads.get(chain)
        head_behind = head is not None and (
            head.seq != expected_seq - 1 or head.last_hash != prev_hash
        )
        if not broken and head_behind:
            broken = BrokenLink(
                chain, expected_seq, None, f"events missing at the end (head is at {head.seq})"
            )
        if not broken and head is None and expected_seq > 1:
            broken = BrokenLink(chain, expected_seq, None, "chain head missing")
        if broken:
            result.broken.append(broken)
    return result


def audit_list_for(user) -> QuerySet[AuditEvent]:
    """Events of the centres the user supervises, newest first."""
    return (
        restrict(AuditEvent.objects.all(), user, Capability.SUPERVISE)
        .select_related("centre", "actor")
        .order_by("-at", "-id")
    )
