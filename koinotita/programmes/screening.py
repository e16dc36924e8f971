"""Running the rules: the parameters in force on a day, and every programme's result for a
household. Reads only; saving a pre-screening is services.prescreening_save."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_noop

from koinotita.programmes.models import Parameter, Programme
from koinotita.programmes.rules import RULES, Facts, Params, Result
from koinotita.programmes.rules.base import CANNOT_TELL, ParameterValue, reason


def parameters_in_force(on: date) -> dict[int, dict[str, ParameterValue]]:
    """Programme id -> key -> the parameter in force on `on` (one query)."""
    rows = Parameter.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    found: dict[int, dict[str, ParameterValue]] = {}
    for p in rows:
        found.setdefault(p.programme_id, {})[p.key] = ParameterValue(
            key=p.key,
            value=p.value,
            valid_from=p.valid_from,
            valid_to=p.valid_to,
            legal_source=p.legal_source,
            pk=p.pk,
        )
    return found


def _order(codes: list[str]) -> list[str]:
    """Rules that read another's result run after it."""
    done: list[str] = []

    def visit(code: str) -> None:
        if code in done:
            return
        rule = RULES.get(code)
        for before in rule.after if rule else ():
            if before in codes:
                visit(before)
        done.append(code)

    for code in codes:
        visit(code)
    return done


def evaluate(facts: Facts, on: date, programmes: list[Programme] | None = None) -> list[Result]:
    """Every active programme's result for `facts` on `on`, in the catalogue's order."""
    if programmes is None:
        programmes = list(Programme.objects.filter(is_active=True))
    by_code = {p.code: p for p in programmes}
    params = parameters_in_force(on)
    results: dict[str, Result] = {}
    for code in _order(list(by_code)):
        rule = RULES.get(code)
        programme_params = Params(on, params.get(by_code[code].pk, {}))
        if rule is None:
            result = Result(programme=code, verdict=CANNOT_TELL)
            result.reasons.append(
                reason(gettext_noop("The catalogue has no rule for this programme yet."))
            )
        else:
            result = rule.function(facts, programme_params, results)
            result.rule_version = rule.version
            result.rule_source = rule.source
            result.parameters = programme_params.used_json()
        results[code] = result
    return [results[p.code] for p in programmes]
