"""A report as XLSX (openpyxl), CSV (UTF-8 with BOM, `;`) and PDF (WeasyPrint); the XLSX
and CSV are written by koinotita.lib.spreadsheets (no cell is ever a formula).

What is written is the report as its viewer may see it (koinotita.monitoring.reports
.report_for_viewer): suppressed cells carry the mark, never the number. Each file states
the scope, the period, the indicator set and its definitions version. The figures are
aggregates computed in SQL, so a file's size and the memory it takes do not grow with the
number of records behind it.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from koinotita.lib import spreadsheets
from koinotita.lib.dates import local
from koinotita.lib.suppression import MARK
from koinotita.monitoring.reports import Report

XLSX_TYPE = spreadsheets.XLSX_TYPE
FORMATS = {"xlsx": XLSX_TYPE, "csv": spreadsheets.CSV_TYPE, "pdf": "application/pdf"}


def _heading(report: Report) -> list[tuple[str, str]]:
    return [
        (_("Scope"), str(report.scope_label)),
        (_("Period"), f"{report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}"),
        (_("Indicator set"), str(report.set_name)),
        (_("Definitions version"), report.version),
        (_("Generated"), f"{local(report.generated_at):%d/%m/%Y %H:%M}"),
    ]


def _legend(report: Report) -> str:
    if not report.suppressed:
        return ""
    return _(
        "%(mark)s suppressed: fewer than 5 persons, or a figure from which such a count "
        "could be worked out."
    ) % {"mark": MARK}


def report_csv(report: Report) -> bytes:
    rows: list[list] = [[label, value] for label, value in _heading(report)]
    if report.suppressed:
        rows.append([_legend(report)])
    for table in report.tables:
        rows.append([])
        rows.append([str(table.title)])
        rows.append(["", *map(str, table.columns)])
        for r, (label, values) in enumerate(table.rows):
            rows.append([str(label), *(table.cell(r, c) for c in range(len(values)))])
    return spreadsheets.csv_bytes(rows)


def report_xlsx(report: Report) -> bytes:
    from openpyxl.styles import Alignment, Font, PatternFill  # import on use: with openpyxl

    workbook = spreadsheets.workbook()
    sheet = workbook.active
    sheet.title = _("Report")[:31]
    bold = Font(bold=True)
    for label, value in _heading(report):
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = bold
    if report.suppressed:
        sheet.append([_legend(report)])
    for table in report.tables:
        sheet.append([])
        sheet.append([str(table.title)])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append(["", *map(str, table.columns)])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
            cell.fill = PatternFill("solid", fgColor="E8EEF7")
        for r, (label, values) in enumerate(table.rows):
            sheet.append([str(label), *(table.cell(r, c) for c in range(len(values)))])
            for cell in sheet[sheet.max_row][1:]:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"  # Greek Excel shows 1.234
                else:
                    cell.alignment = Alignment(horizontal="right")
    sheet.column_dimensions["A"].width = 70
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 14
    return spreadsheets.xlsx_bytes(workbook)


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a moment
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "monitoring/report_pdf.html",
        {"report": report, "heading": _heading(report), "legend": _legend(report)},
    )
    # Nothing outside the document is fetched: the template carries its own style.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def report_file(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name)."""
    writer = {"csv": report_csv, "xlsx": report_xlsx, "pdf": report_pdf}[fmt]
    name = f"koinotita-{report.scope_spec.replace(':', '-')}-{report.set_key}"
    name += f"-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{fmt}"
    return writer(report), FORMATS[fmt], name


def quality_xlsx(centre, quality) -> bytes:
    """The data-quality lists of a centre as a workbook: the share, then one row per
    incomplete participant and per flagged record, with what is wrong and where to fix it."""
    book = spreadsheets.workbook()
    sheet = book.active
    sheet.title = _("Data quality")[:31]
    sheet.append([_("Centre"), str(centre.label)])
    sheet.append([_("Period"), f"{quality.start:%d/%m/%Y} – {quality.end:%d/%m/%Y}"])
    sheet.append([_("Definitions version"), quality.version])
    sheet.append([_("Participants"), quality.participants])
    sheet.append([_("Complete records, counted in the indicators"), quality.complete])
    sheet.append([_("Share the indicators can count"), quality.share_percent])
    sheet.append([])
    sheet.append([_("Record"), _("Person"), _("Entry date"), _("Exit date"), _("Problem"),
                  _("Fix at")])  # fmt: skip
    for problem in quality.incomplete:
        what = _("Incomplete: %(items)s") % {
            "items": ", ".join(str(i.label) for i in problem.missing)
        }
        sheet.append(_quality_row(problem, what))
    for problem in quality.flagged:
        sheet.append(_quality_row(problem, " ".join(str(c.message) for c in problem.checks)))
    return spreadsheets.xlsx_bytes(book)


def _quality_row(problem, what: str) -> list:
    return [
        problem.record_id,
        problem.person_label,
        problem.entry_date,
        problem.exit_date,
        what,
        problem.fix_url,
    ]
