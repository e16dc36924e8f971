"""Exports of an operation and of a region: XLSX (openpyxl) and PDF (WeasyPrint).

XLSX: money cells are numbers with two decimals and the € number format, so Greek Excel
shows 266.400,00 € and sums them; every total in the file is written as the exact Decimal
the page shows (no formulas, so nothing is recomputed in floating point). The workbooks are
built and saved by koinotita.lib.spreadsheets, so no text cell is ever a formula. PDF: rendered
from a Django template with its own style, fetching nothing (as people/privacy.py does).
"""

from __future__ import annotations

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


def operation_xlsx(figures: Figures, expenditures) -> bytes:
    op = figures.operation
    categories = {code: str(label) for code, label in Category.choices}
    workbook = spreadsheets.workbook()
    workbook.remove(workbook.active)

    summary = _sheet(workbook, _("Operation"), [_("Field"), _("Value")])
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
        summary.append([label, value])
    for row in summary.iter_rows(min_row=2):
        if hasattr(row[1].value, "year"):
            row[1].number_format = "DD/MM/YYYY"
    _money_columns(summary, [2])
    _widths(summary, [34, 70])

    amendments = _sheet(
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
    )
    for a in op.amendments.all():
        amendments.append(
            [
                a.seq,
                a.date,
                a.decision_ref,
                a.reason,
                a.old_budget,
                a.new_budget,
                a.old_end_date,
                a.new_end_date,
            ]
        )
    _money_columns(amendments, [5, 6])
    for row in amendments.iter_rows(min_row=2):
        for index in (1, 6, 7):
            row[index].number_format = "DD/MM/YYYY"
    _widths(amendments, [8, 14, 22, 50, 16, 16, 14, 14])

    header = [_("Year")]
    for code in Category.values:
        header += [f"{categories[code]} · {_('budget')}", f"{categories[code]} · {_('spent')}"]
    header += [_("Budget"), _("Spent"), _("Balance")]
    years = _sheet(workbook, _("Per year"), header)
    for y in figures.years:
        line = [y.year]
        for code in Category.values:
            line += [y.budget[code], y.spent[code]]
        line += [y.budget_total, y.spent_total, y.balance]
        years.append(line)
    total = [_("Total")]
    for code in Category.values:
        total += [
            sum((y.budget[code] for y in figures.years), ZERO),
            figures.by_category[code],
        ]
    total += [figures.planned_total, figures.spent, figures.planned_total - figures.spent]
    years.append(total)
    _money_columns(years, list(range(2, len(header) + 1)))
    _widths(years, [8] + [16] * (len(header) - 1))

    spending = _sheet(
        workbook,
        _("Expenditures"),
        [_("Date"), _("Category"), _("Amount"), _("Document reference"), _("Description")],
    )
    reversed_ = []
    for e in expenditures:
        if e.reversed_at is not None:
            reversed_.append(e)
            continue
        spending.append([e.date, categories[e.category], e.amount, e.document_ref, e.description])
    spending.append([_("Total"), "", figures.spent, "", ""])
    _money_columns(spending, [3])
    for row in spending.iter_rows(min_row=2):
        if hasattr(row[0].value, "year"):
            row[0].number_format = "DD/MM/YYYY"
    _widths(spending, [12, 20, 16, 24, 50])
    if reversed_:  # listed apart: they count in no total
        sheet = _sheet(
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
        )
        for e in reversed_:
            sheet.append(
                [
                    e.date,
                    categories[e.category],
                    e.amount,
                    e.document_ref,
                    timezone.localtime(e.reversed_at).date(),
                    e.reversal_reason,
                ]
            )
        _money_columns(sheet, [3])
        for row in sheet.iter_rows(min_row=2):
            for cell in (row[0], row[4]):
                cell.number_format = "DD/MM/YYYY"
        _widths(sheet, [12, 20, 16, 24, 12, 50])

    return spreadsheets.xlsx_bytes(workbook)


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
