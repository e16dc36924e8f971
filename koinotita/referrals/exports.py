"""The referral figures as XLSX (openpyxl) or CSV for Greek Excel (UTF-8 with BOM, `;`),
written by koinotita.lib.spreadsheets (no cell is ever a formula)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from koinotita.lib import spreadsheets

FORMATS = {"xlsx": spreadsheets.XLSX_TYPE, "csv": spreadsheets.CSV_TYPE}


@dataclass
class Export:
    filename: str
    content_type: str
    content: bytes


def _table(rows, *, by: str) -> tuple[list[str], list[list]]:
    header = [_("Partner organisation")]
    if by == "service":
        header.append(_("Service"))
    header += [
        pgettext("figures", "Sent"),
        pgettext("figures", "Answered"),
        pgettext("figures", "Accepted"),
        pgettext("figures", "Completed"),
        _("Median response time (days)"),
    ]
    body = []
    for r in rows:
        line = [r.organization]
        if by == "service":
            line.append(r.service)
        line += [r.sent, r.answered, r.accepted, r.completed, r.median_response_days]
        body.append(line)
    return header, body


def figures_export(rows, *, by: str, fmt: str) -> Export:
    header, body = _table(rows, by=by)
    stamp = timezone.localdate().strftime("%Y%m%d")
    filename = f"referral-figures-{by}-{stamp}.{fmt}"
    if fmt == "csv":  # Greek Excel reads a decimal comma
        content = spreadsheets.csv_bytes([header, *body], decimal_comma=True)
        return Export(filename, FORMATS["csv"], content)
    from openpyxl.styles import Font  # import on use: openpyxl takes a moment to load

    book = spreadsheets.streaming_workbook()
    sheet = book.create_sheet(_("Referrals")[:31])
    for column, width in zip("ABCDEFG", (40, 40, 10, 10, 10, 10, 16), strict=False):
        sheet.column_dimensions[column].width = width  # before the rows, in write-only mode
    bold = Font(bold=True)
    sheet.append([spreadsheets.cell(sheet, text, font=bold) for text in header])
    for line in body:
        spreadsheets.append(sheet, line)
    return Export(filename, FORMATS["xlsx"], spreadsheets.xlsx_bytes(book))
