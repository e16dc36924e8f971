"""What each app holds about a person, declared once: the personal-data contract.

Every app that keeps rows about persons (reception, cases, referrals, monitoring, …)
registers ONE `PersonalData` in its AppConfig.ready() with `register_personal_data`. The
people app's actions that must reach every app's records read the contracts and never
import the apps above it:

- the subject-access export (people.privacy.person_export) adds each `ExportPart`: its
  `collect(centre_id=…, person_ids=[…])` returns JSON-ready records (dicts) under `key`,
  and `describe(record)` the PDF's lines for one record, [(label, text), …] — a part with
  `table=True` is printed as one table whose columns are those labels;
- anonymisation (people.privacy.person_anonymise) calls `erase(centre_id=…, person_ids=[…],
  actor=…)` in its transaction; it erases the app's free text and documents, keeps what the
  statistics count, and returns counts for the audit event's detail;
- a merge of records (people.merge) re-points every row with a foreign key to Person by
  itself; `link_tables` names the app's link tables ({model label: the other foreign key}:
  a duplicate's row that would repeat a row of the kept record is dropped, and recreated on
  undo), and `after_merge(centre_id=…, person_ids=[…], moved=[model labels])` refreshes
  what the app derives from rows that moved;
- a transfer of a person to another centre (people.services.person_transfer) calls
  `after_transfer(source=…, person=…, actor=…)` once the person is registered there.

Each callable runs with records of one centre only (`centre_id`), as every personal query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExportPart:
    key: str  # the key of the JSON document
    title: object  # the heading of the PDF (lazily translated)
    collect: Callable[..., list[dict]]
    describe: Callable[[dict], list[tuple[str, str]]]
    table: bool = False


@dataclass(frozen=True)
class PersonalData:
    app: str  # the app label of the owner
    exports: tuple[ExportPart, ...] = ()
    erase: Callable[..., dict] | None = None
    link_tables: Mapping[str, str] = field(default_factory=dict)
    after_merge: Callable[..., None] | None = None
    after_transfer: Callable[..., None] | None = None


_CONTRACTS: dict[str, PersonalData] = {}


def register_personal_data(contract: PersonalData) -> PersonalData:
    """Declare what `contract.app` holds about persons. One contract per app: registering
    the app again replaces its contract (AppConfig.ready() may run twice in tests)."""
    _CONTRACTS[contract.app] = contract
    return contract


def personal_data_contracts() -> list[PersonalData]:
    """The registered contracts, in the order the apps registered them."""
    return list(_CONTRACTS.values())


def export_parts() -> list[ExportPart]:
    return [part for contract in _CONTRACTS.values() for part in contract.exports]


def link_tables() -> dict[str, str]:
    tables: dict[str, str] = {}
    for contract in _CONTRACTS.values():
        tables.update(contract.link_tables)
    return tables
