"""What apps above the directory contribute to it (registered in their AppConfig.ready()):

- `register_capacity_keeper(fn)`: `fn(user)` → the ids of the organisations whose services'
  capacity the user keeps (referrals: a partner user, for the organisations they work for);
- `register_service_figures(fn)`: `fn(service_ids)` → {service id: figures} of what the
  centres have measured about each service (referrals: response time, acceptance and
  completion over the last 12 months, suppressed below a threshold). Aggregates only.
- `register_verification_recipients(fn)`: `fn()` → (organisation id, user) pairs: who is
  asked each month to confirm an organisation's services (referrals: its partner users).
"""

from collections.abc import Callable, Iterable

_capacity_keepers: list[Callable] = []
_service_figures: list[Callable] = []
_verification_recipients: list[Callable] = []


def register_capacity_keeper(fn: Callable[[object], Iterable]) -> None:
    if fn not in _capacity_keepers:
        _capacity_keepers.append(fn)


def register_service_figures(fn: Callable[[list], dict]) -> None:
    if fn not in _service_figures:
        _service_figures.append(fn)


def register_verification_recipients(fn: Callable[[], Iterable]) -> None:
    if fn not in _verification_recipients:
        _verification_recipients.append(fn)


def verification_recipients() -> list[tuple]:
    """(organisation id, user) pairs from every registered source, each pair once."""
    seen, out = set(), []
    for source in _verification_recipients:
        for organization_id, user in source():
            if (organization_id, user.pk) not in seen:
                seen.add((organization_id, user.pk))
                out.append((organization_id, user))
    return out


def capacity_organisation_ids(user) -> set:
    """Organisations whose services' capacity `user` keeps through a registered keeper."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    found = set()
    for keeper in _capacity_keepers:
        found |= {str(pk) for pk in keeper(user)}
    return found


def service_figures(service_ids: list) -> dict:
    """{service id (str): figures} from every registered source (the last one wins)."""
    out = {}
    for source in _service_figures:
        out.update({str(k): v for k, v in source(list(service_ids)).items()})
    return out
