"""The referral figures as XLSX (openpyxl) or CSV for Greek Excel (UTF-8 with BOM, `;`)."""

import csv
import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


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
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for line in body:
            # Greek Excel reads a decimal comma.
            writer.writerow(
                [str(v).replace(".", ",") if isinstance(v, float) else ("" if v is None else v)
                 for v in line]
            )  # fmt: skip
        return Export(filename, FORMATS["csv"], out.getvalue().encode("utf-8-sig"))
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Referrals")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append(line)
    for column, width in zip("ABCDEFG", (40, 40, 10, 10, 10, 10, 16), strict=False):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return Export(filename, FORMATS["xlsx"], buffer.getvalue())
