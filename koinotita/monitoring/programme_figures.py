"""The figures of the help with programmes, for supervisors and monitors: aggregates of the
centres in their scope, never a person, small cells suppressed (lib.suppression).

- pre-screenings by programme and verdict;
- applications by programme and state;
- median days from the person's first contact with the centre to the submission, and to
  the decision (an application whose person had no contact before it is left out), shown
  only over five applications or more.

The counts come from programmes.selectors.programme_figure_counts; the first contacts from
reception (one GROUP BY over the persons who applied)."""

import statistics
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koinotita.accounts.scoping import Capability, scope_for
from koinotita.lib.spreadsheets import append, csv_bytes, streaming_workbook, xlsx_bytes
from koinotita.lib.suppression import THRESHOLD, Table, suppress
from koinotita.programmes.models import Application, Programme, Verdict
from koinotita.programmes.selectors import programme_figure_counts
from koinotita.reception.models import ContactPerson

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


@dataclass
class ProgrammeFigures:
    tables: list[Table]
    centres: int


def _table(key, title, columns, counts, programmes) -> Table:
    rows = []
    for programme in programmes:
        values = [counts.get((programme.code, c), 0) for c, _label in columns]
        rows.append((programme.label, [*values, sum(values)]))
    totals = [sum(r[1][i] for r in rows) for i in range(len(columns) + 1)]
    rows.append((_("Total"), totals))
    return suppress(
        Table(
            key=key,
            title=title,
            columns=[str(label) for _c, label in columns] + [_("Total")],
            rows=rows,
            row_total=True,
            col_total=True,
        )  # fmt: skip
    )


def _first_contacts(submitted) -> dict[tuple[int, int], object]:
    first = {}
    by_centre: dict[int, set[int]] = {}
    for centre_id, person_id, *_rest in submitted:
        by_centre.setdefault(centre_id, set()).add(person_id)
    for centre_id, person_ids in by_centre.items():  # every query on persons carries centre_id
        for row in (
            ContactPerson.objects.filter(centre_id=centre_id, person_id__in=sorted(person_ids))
            .values("person_id")
            .annotate(first=Min("contact__at"))
            .order_by()
        ):
            first[(centre_id, row["person_id"])] = timezone.localtime(row["first"]).date()
    return first


def _medians(submitted, programmes) -> Table:
    first = _first_contacts(submitted)
    days: dict[str, tuple[list[int], list[int]]] = {p.code: ([], []) for p in programmes}
    for centre_id, person_id, code, submitted_on, decision_on in submitted:
        start = first.get((centre_id, person_id))
        if start is None or start > submitted_on or code not in days:
            continue
        days[code][0].append((submitted_on - start).days)
        if decision_on:
            days[code][1].append((decision_on - start).days)
    rows = []
    for programme in programmes:
        to_submit, to_decide = days[programme.code]
        rows.append(
            (
                programme.label,
                [
                    len(to_submit),
                    statistics.median(to_submit) if len(to_submit) >= THRESHOLD else None,
                    statistics.median(to_decide) if len(to_decide) >= THRESHOLD else None,
                ],
            )
        )
    table = Table(
        key="medians",
        title=_("Median days from the first contact"),
        columns=[_("Applications"), _("to the submission"), _("to the decision")],
        rows=rows,
        note=_("A median is shown over five applications or more."),
    )
    for r, (_label, values) in enumerate(table.rows):  # the count is suppressed as any count
        if 0 < values[0] < THRESHOLD:
            table.suppressed.add((r, 0))
            values[0] = None
    return table


def programme_figures_for(user) -> ProgrammeFigures:
    centre_ids = sorted(scope_for(user).centre_ids(Capability.AGGREGATES))
    programmes = list(Programme.objects.filter(is_active=True).order_by("order", "code"))
    counts = programme_figure_counts(centre_ids)
    tables = [
        _table("prescreenings", _("Pre-screenings by programme and verdict"),
               list(Verdict.choices), counts["verdicts"], programmes),
        _table("applications", _("Applications by programme and state"),
               list(Application.State.choices), counts["applications"], programmes),
        _medians(counts["submitted"], programmes),
    ]  # fmt: skip
    return ProgrammeFigures(tables=tables, centres=len(centre_ids))


def _lines(figures: ProgrammeFigures) -> list[list]:
    lines = []
    for table in figures.tables:
        lines.append([str(table.title)])
        lines.append(["", *[str(c) for c in table.columns]])
        for label, values in table.shown_rows():
            lines.append([str(label), *["" if v is None else v for v in values]])
        lines.append([])
    return lines


def programme_figures_file(figures: ProgrammeFigures, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name); every cell formula-neutralised."""
    if fmt == "csv":
        return csv_bytes(_lines(figures)), FORMATS["csv"], "programmes-figures.csv"
    book = streaming_workbook()
    sheet = book.create_sheet(str(gettext_lazy("Programmes"))[:31])
    for line in _lines(figures):
        append(sheet, line)
    return xlsx_bytes(book), FORMATS["xlsx"], "programmes-figures.xlsx"
