"""The one content check for every file the project accepts: case and referral documents,
cooperation protocols, and the imports (persons, participations, expenditures, HSDS).

A file is recognised by its content, never by its name or the browser's word, and its name
must then agree with what it is: a PDF named `.html` is refused. Programs and scripts are
refused outright. ZIP containers (xlsx, docx, odt, ods) are opened only to read their table
of contents, before anything is stored or parsed:

- structure: a workbook has `[Content_Types].xml` and `xl/workbook.xml`, a Word document
  `word/document.xml`, an OpenDocument its `mimetype` member naming text or spreadsheet; no
  encrypted member, no member with an absolute path or `..`;
- expansion: at most UPLOAD_MAX_MEMBERS members, at most UPLOAD_MAX_UNCOMPRESSED_BYTES
  (KOINOTITA_UPLOAD_MAX_UNCOMPRESSED_MB) once uncompressed, and no more than
  UPLOAD_MAX_RATIO times the file's own size (a zip bomb). The sizes read are those the
  archive declares; Python's zipfile, which openpyxl reads through, never produces more
  than the declared size of a member (it stops there and fails the CRC check), so the
  declared sizes bound what any later reading can produce.

`check_upload(upload, ...)` for a browser's or the API's file, `check_content(name=, data=)`
for bytes already read (an import, whichever door it came through): each raises UploadError
(a ValidationError with the message for the user), or, with `field`, a ValidationError on
that form field. `read_upload` and `read_path` read no more than the limit (and one byte).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MB = 1024 * 1024


def accepts_files(view):
    """Mark a view (page or API endpoint) that takes files: its requests may be as large as
    MAX_UPLOAD_REQUEST_BYTES instead of MAX_REQUEST_BYTES (web.middleware)."""
    view.accepts_files = True
    return view


UPLOAD_MAX_MEMBERS = 2000
UPLOAD_MAX_RATIO = 100  # deflate reaches ~1,000:1; real office files stay well under 30:1
RATIO_FLOOR = 4 * MB  # below this size once uncompressed, the ratio is not looked at


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # for messages
    content_type: str
    extensions: tuple[str, ...]


KINDS = {
    k.key: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", ("pdf",)),
        Kind("png", "PNG", "image/png", ("png",)),
        Kind("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg")),
        Kind("tiff", "TIFF", "image/tiff", ("tif", "tiff")),
        Kind(
            "docx",
            "Word (.docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ("docx",),
        ),
        Kind(
            "xlsx",
            "Excel (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ("xlsx",),
        ),
        Kind("odt", "OpenDocument (.odt)", "application/vnd.oasis.opendocument.text", ("odt",)),
        Kind(
            "ods",
            "OpenDocument (.ods)",
            "application/vnd.oasis.opendocument.spreadsheet",
            ("ods",),
        ),
        Kind("doc", "Word 97-2003 (.doc)", "application/msword", ("doc",)),
        Kind("xls", "Excel 97-2003 (.xls)", "application/vnd.ms-excel", ("xls",)),
        Kind("csv", "CSV", "text/csv", ("csv", "txt", "tsv")),
        Kind("json", "JSON", "application/json", ("json",)),
    )
}

# What each door accepts.
CASE_DOCUMENTS = ("pdf", "png", "jpeg", "tiff", "docx", "xlsx", "odt", "ods")
REFERRAL_DOCUMENTS = ("pdf", "png", "jpeg")
PROTOCOL_DOCUMENTS = ("pdf", "odt", "docx", "doc")
TABLES = ("csv", "xlsx")  # the imports of persons, participations, expenditures
HSDS = ("json", "csv")

SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (.doc, .xls)
EXECUTABLE = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xfe\xed\xfa\xce",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


class UploadError(ValidationError):
    """The file is refused as a whole; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message, code="upload")


@dataclass(frozen=True)
class CheckedFile:
    filename: str  # safe to store and to show
    kind: Kind
    data: bytes

    @property
    def content_type(self) -> str:
        return self.kind.content_type

    @property
    def extension(self) -> str:
        return self.kind.extensions[0]


def _too_large(limit: int) -> str:
    return _("The file is too large: at most %(n)d MB.") % {"n": max(limit // MB, 1)}


def _labels(kinds) -> str:
    return ", ".join(KINDS[k].label for k in kinds)


# --- ZIP containers -----------------------------------------------------------------------


def check_zip(data: bytes) -> str:
    """The kind of an office document in a ZIP container ("xlsx", "docx", "odt", "ods"),
    after its structure and expansion are checked; UploadError otherwise. Only the table of
    contents (and the few bytes of an OpenDocument's `mimetype`) is read."""
    damaged = _("The file is damaged: it is not a readable office document.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UploadError(damaged) from None
    with archive:
        members = archive.infolist()
        if len(members) > UPLOAD_MAX_MEMBERS:
            raise UploadError(
                _("The file holds too many parts (%(n)d; at most %(max)d).")
                % {"n": len(members), "max": UPLOAD_MAX_MEMBERS}
            )
        names = set()
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if member.flag_bits & 0x1:
                raise UploadError(_("The file is encrypted: save it without a password."))
            if path.is_absolute() or ".." in path.parts:
                raise UploadError(damaged)
            names.add(member.filename)
        total = sum(m.file_size for m in members)
        limit = settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
        if total > limit:
            raise UploadError(
                _(
                    "The file is too large once uncompressed: %(size)d MB, at most %(max)d "
                    "MB. Split it into smaller files."
                )
                % {"size": total // MB, "max": limit // MB}
            )
        if total > RATIO_FLOOR and total > UPLOAD_MAX_RATIO * len(data):
            raise UploadError(
                _(
                    "The file expands %(ratio)d times once uncompressed, which no real "
                    "document does (a «zip bomb»): it is refused."
                )
                % {"ratio": total // max(len(data), 1)}
            )
        if "[Content_Types].xml" in names:
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            return ""
        if "mimetype" in names:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                raise UploadError(damaged)
            try:
                mimetype = archive.read(info).decode("ascii", "replace").strip()
            except (zipfile.BadZipFile, ValueError, OSError, EOFError):
                raise UploadError(damaged) from None
            return OPENDOCUMENT.get(mimetype, "")
    return ""


# --- Text --------------------------------------------------------------------------------


def _is_text(data: bytes) -> bool:
    """Text, as far as its first bytes tell: UTF-16 with its BOM, or no NUL byte (UTF-8 and
    Windows-1253 have none); whether it decodes is the reader's to say, with its message."""
    head = data[: 64 * 1024]
    return head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" not in head


# --- The check -----------------------------------------------------------------------------


def identify(data: bytes) -> str:
    """The kind of the content ("" when it is none the project knows, "ole" for Office
    97-2003, "text" for text); UploadError for a ZIP container that fails its structure or
    expansion check."""
    for signature, key in SIGNATURES:
        if data.startswith(signature):
            return key
    if data.startswith(ZIP):
        return check_zip(data)
    if data.startswith(OLE):
        return "ole"
    return "text" if _is_text(data) else ""


def _extension(name: str) -> str:
    base = PurePosixPath((name or "").replace("\\", "/")).name
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def check_content(*, name: str, data: bytes, kinds, max_bytes: int) -> CheckedFile:
    """Check bytes already read: size, content, the name's agreement with it."""
    if len(data) > max_bytes:
        raise UploadError(_too_large(max_bytes))
    if not data.strip():
        raise UploadError(_("The file is empty."))
    if data.startswith(EXECUTABLE):
        raise UploadError(_("Programs and scripts are not accepted."))
    ext = _extension(name)
    key = identify(data)
    if key == "ole":  # an Office 97-2003 file: which one, its name says
        key = "xls" if ext == "xls" else "doc"
    elif key == "text":  # CSV or JSON: its reader checks the content
        key = "json" if ext == "json" else "csv"
    if key not in kinds:
        if key == "xls" and "xlsx" in kinds:
            raise UploadError(
                _("This is an old Excel (.xls) file: save it as .xlsx or as CSV and try again.")
            )
        raise UploadError(_("Only %(kinds)s files are accepted here.") % {"kinds": _labels(kinds)})
    kind = KINDS[key]
    if ext not in kind.extensions:
        names = {"kind": kind.label, "ext": f".{ext}", "right": kind.extensions[0]}
        if not ext:
            message = _(
                "The file's name does not match its content: it is a %(kind)s file, but its "
                "name has no extension. Rename it to .%(right)s, or choose the right file."
            )
        else:
            message = _(
                "The file's name does not match its content: it is a %(kind)s file, but its "
                "name ends in «%(ext)s». Rename it to .%(right)s, or choose the right file."
            )
        raise UploadError(message % names)
    filename = get_valid_filename(PurePosixPath((name or "").replace("\\", "/")).name)[:200]
    return CheckedFile(filename=filename or f"document.{kind.extensions[0]}", kind=kind, data=data)


def read_upload(upload, *, max_bytes: int) -> bytes:
    """At most one byte more than allowed of an uploaded file (enough to tell it is too
    large, never the whole of a huge one)."""
    if upload.size is not None and upload.size > max_bytes:
        raise UploadError(_too_large(max_bytes))
    return upload.read(max_bytes + 1)


def check_upload(upload, *, kinds, max_bytes: int, field: str | None = None) -> CheckedFile:
    """Read and check a browser's or the API's uploaded file."""
    try:
        if upload is None:
            raise UploadError(_("Choose a file."))
        data = read_upload(upload, max_bytes=max_bytes)
        return check_content(name=upload.name or "", data=data, kinds=kinds, max_bytes=max_bytes)
    except UploadError as exc:
        if field is None:
            raise
        raise ValidationError({field: exc.messages}) from None


def read_path(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a file a command was given, refused (UploadError) when larger than
    allowed before it is read; its content is checked by `check_content` where it is used.
    OSError when it cannot be read."""
    if path.stat().st_size > max_bytes:
        raise UploadError(_too_large(max_bytes))
    with path.open("rb") as handle:
        return handle.read(max_bytes + 1)
