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

    workbook = spreadsheets.streaming_workbook()
    sheet = workbook.create_sheet(_("Report")[:31])
    sheet.column_dimensions["A"].width = 70  # before the rows, in write-only mode
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 14
    cell = spreadsheets.cell
    bold = Font(bold=True)
    for label, value in _heading(report):
        sheet.append([cell(sheet, label, font=bold), cell(sheet, value)])
    if report.suppressed:
        spreadsheets.append(sheet, [_legend(report)])
    header_fill = PatternFill("solid", fgColor="E8EEF7")
    right = Alignment(horizontal="right")
    for table in report.tables:
        sheet.append([])
        sheet.append([cell(sheet, str(table.title), font=Font(bold=True, size=12))])
        columns = ["", *map(str, table.columns)]
        sheet.append([cell(sheet, text, font=bold, fill=header_fill) for text in columns])
        for r, (label, values) in enumerate(table.rows):
            line = [cell(sheet, str(label))]
            for c in range(len(values)):
                value = table.cell(r, c)
                if isinstance(value, int):
                    line.append(cell(sheet, value, number_format="#,##0"))  # Greek Excel: 1.234
                else:
                    line.append(cell(sheet, value, alignment=right))
            sheet.append(line)
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
    book = spreadsheets.streaming_workbook()
    sheet = book.create_sheet(_("Data quality")[:31])

    def add(line):
        spreadsheets.append(sheet, line)

    add([_("Centre"), str(centre.label)])
    add([_("Period"), f"{quality.start:%d/%m/%Y} – {quality.end:%d/%m/%Y}"])
    add([_("Definitions version"), quality.version])
    add([_("Participants"), quality.participants])
    add([_("Complete records, counted in the indicators"), quality.complete])
    add([_("Share the indicators can count"), quality.share_percent])
    add([])
    add([_("Record"), _("Person"), _("Entry date"), _("Exit date"), _("Problem"), _("Fix at")])
    for problem in quality.incomplete:
        what = _("Incomplete: %(items)s") % {
            "items": ", ".join(str(i.label) for i in problem.missing)
        }
        add(_quality_row(problem, what))
    for problem in quality.flagged:
        add(_quality_row(problem, " ".join(str(c.message) for c in problem.checks)))
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
