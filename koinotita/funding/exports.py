"""Exports of an operation and of a region: XLSX (openpyxl) and PDF (WeasyPrint).

XLSX: money cells are numbers with two decimals and the € number format, so Greek Excel
shows 266.400,00 € and sums them; every total in the file is written as the exact Decimal
the page shows (no formulas, so nothing is recomputed in floating point). The workbooks are
built and saved by koinotita.lib.spreadsheets, so no text cell is ever a formula. PDF: rendered
from a Django template with its own style, fetching nothing (as people/privacy.py does).
"""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from koinotita.funding.models import Category
from koinotita.funding.selectors import ZERO, Figures, RegionOverview
from koinotita.lib import spreadsheets

EURO_FORMAT = '#,##0.00\\ "€";[Red]\\-#,##0.00\\ "€"'
XLSX_TYPE = spreadsheets.XLSX_TYPE


def _sheet(workbook, title: str, header: list[str]):
    from openpyxl.styles import Font, PatternFill

    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
    sheet.freeze_panes = "A2"
    return sheet


def _money_columns(sheet, columns: list[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            cell = row[index - 1]
            if cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = EURO_FORMAT


def _widths(sheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


DATE_FORMAT = "DD/MM/YYYY"


def _streaming_sheet(workbook, title: str, header: list[str], widths: list[int]):
    """A write-only sheet with its widths, frozen header and bold header row: set before
    the first row, as write-only mode writes the sheet's head first."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    font, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF7")
    sheet.append([spreadsheets.cell(sheet, text, font=font, fill=fill) for text in header])
    return sheet


def _value_format(value) -> str | None:
    if hasattr(value, "year"):
        return DATE_FORMAT
    if isinstance(value, Decimal):
        return EURO_FORMAT
    return None


EXPENDITURE_FIELDS = (
    "date",
    "category",
    "amount",
    "document_ref",
    "description",
    "reversed_at",
    "reversal_reason",
)


def operation_xlsx(figures: Figures, expenditures):
    """The operation's workbook, written in openpyxl's write-only mode: `expenditures` (a
    queryset) is read once through `.iterator()`, each row written out as it is read, so
    memory does not grow with the number of expenditures. Returns a temporary file."""
    op = figures.operation
    categories = {code: str(label) for code, label in Category.choices}
    workbook = spreadsheets.streaming_workbook()
    append = spreadsheets.append

    summary = _streaming_sheet(workbook, _("Operation"), [_("Field"), _("Value")], [34, 70])
    facts = [
        (_("Title"), op.title),
        (_("MIS code"), op.code),
        (_("Programme"), op.programme),
        (_("Priority axis / specific objective"), op.priority_axis),
        (_("Managing authority"), op.managing_authority),
        (_("Beneficiary body"), op.beneficiary.name),
        (_("Centres funded"), ", ".join(centre.name for centre in op.centre_list)),
        (_("Implementation mode"), str(op.get_implementation_mode_display())),
        (_("Start date"), figures.start),
        (_("End date"), figures.end),
        (_("Budget"), figures.budget),
        (_("Spent"), figures.spent),
        (_("Balance"), figures.balance),
        (_("Burn rate per month"), figures.burn_per_month),
        (_("Forecast balance at the end"), figures.forecast_balance),
    ]
    for label, value in facts:
        append(summary, [label, value], {1: _value_format(value)})

    amendments = _streaming_sheet(
        workbook,
        _("Amendments"),
        [
            _("Number"),
            _("Decision date"),
            _("Decision reference"),
            _("Reason"),
            _("Old budget"),
            _("New budget"),
            _("Old end date"),
            _("New end date"),
        ],
        [8, 14, 22, 50, 16, 16, 14, 14],
    )
    formats = {1: DATE_FORMAT, 4: EURO_FORMAT, 5: EURO_FORMAT, 6: DATE_FORMAT, 7: DATE_FORMAT}
    for a in op.amendments.all():
        values = [a.seq, a.date, a.decision_ref, a.reason, a.old_budget, a.new_budget]
        append(amendments, [*values, a.old_end_date, a.new_end_date], formats)

    header = [_("Year")]
    for code in Category.values:
        header += [f"{categories[code]} · {_('budget')}", f"{categories[code]} · {_('spent')}"]
    header += [_("Budget"), _("Spent"), _("Balance")]
    years = _streaming_sheet(workbook, _("Per year"), header, [8] + [16] * (len(header) - 1))
    formats = dict.fromkeys(range(1, len(header)), EURO_FORMAT)
    for y in figures.years:
        line = [y.year]
        for code in Category.values:
            line += [y.budget[code], y.spent[code]]
        line += [y.budget_total, y.spent_total, y.balance]
        append(years, line, formats)
    total = [_("Total")]
    for code in Category.values:
        total += [
            sum((y.budget[code] for y in figures.years), ZERO),
            figures.by_category[code],
        ]
    total += [figures.planned_total, figures.spent, figures.planned_total - figures.spent]
    append(years, total, formats)

    spending = _streaming_sheet(
        workbook,
        _("Expenditures"),
        [_("Date"), _("Category"), _("Amount"), _("Document reference"), _("Description")],
        [12, 20, 16, 24, 50],
    )
    formats = {0: DATE_FORMAT, 2: EURO_FORMAT}
    reversed_sheet = None  # created at the first reversed expenditure, after this one
    reversed_formats = {0: DATE_FORMAT, 2: EURO_FORMAT, 4: DATE_FORMAT}
    rows = expenditures.values_list(*EXPENDITURE_FIELDS).iterator(chunk_size=2000)
    for date, category, amount, document_ref, description, reversed_at, reason in rows:
        if reversed_at is None:
            line = [date, categories[category], amount, document_ref, description]
            append(spending, line, formats)
            continue
        if reversed_sheet is None:  # listed apart: they count in no total
            reversed_sheet = _streaming_sheet(
                workbook,
                _("Reversed"),
                [
                    _("Date"),
                    _("Category"),
                    _("Amount"),
                    _("Document reference"),
                    _("Reversed on"),
                    _("Reason for the reversal"),
                ],
                [12, 20, 16, 24, 12, 50],
            )
        local = timezone.localtime(reversed_at).date()  # Europe/Athens
        line = [date, categories[category], amount, document_ref, local, reason]
        append(reversed_sheet, line, reversed_formats)
    append(spending, [_("Total"), "", figures.spent, "", ""], formats)
    return spreadsheets.xlsx_file(workbook)


def region_xlsx(overview: RegionOverview) -> bytes:
    workbook = spreadsheets.workbook()
    workbook.remove(workbook.active)
    sheet = _sheet(
        workbook,
        overview.region.name,
        [
            _("MIS code"),
            _("Title"),
            _("Beneficiary body"),
            _("Start date"),
            _("End date"),
            _("Budget"),
            _("Spent"),
            _("Balance"),
            _("Spent (%)"),
            _("Time elapsed (%)"),
            _("Forecast balance at the end"),
            _("Warnings"),
            _("Sample data"),
        ],
    )
    for f in overview.rows:
        op = f.operation
        sheet.append(
            [
                op.code,
                op.title,
                op.beneficiary.name,
                f.start,
                f.end,
                f.budget,
                f.spent,
                f.balance,
                f.spent_pct / 100,  # shown as a percentage with one decimal
                f.elapsed_pct / 100,
                f.forecast_balance,
                " ".join(w.message for w in f.warnings),
                _("yes") if op.is_sample else "",
            ]
        )
    sheet.append(
        [
            _("Total"),
            "",
            "",
            None,
            None,
            overview.budget,
            overview.spent,
            overview.balance,
            None,
            None,
            overview.forecast_balance,
            "",
            "",
        ]
    )
    _money_columns(sheet, [6, 7, 8, 11])
    for row in sheet.iter_rows(min_row=2):
        for index in (3, 4):
            if row[index].value is not None:
                row[index].number_format = "DD/MM/YYYY"
        for index in (8, 9):
            if row[index].value is not None:
                row[index].number_format = "0.0%"
    _widths(sheet, [12, 50, 20, 12, 12, 16, 16, 16, 10, 10, 18, 60, 8])
    return spreadsheets.xlsx_bytes(workbook)


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a moment
    from weasyprint.urls import URLFetcher

    html = render_to_string(template, {**context, "generated_at": timezone.now()})
    # Nothing outside the document is fetched: the template carries its own style.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def operation_pdf(figures: Figures, *, actor) -> bytes:
    return _pdf(
        "funding/operation_pdf.html",
        {"f": figures, "op": figures.operation, "actor": actor, "categories": Category.choices},
    )


def region_pdf(overview: RegionOverview, *, actor) -> bytes:
    return _pdf("funding/region_pdf.html", {"overview": overview, "actor": actor})
