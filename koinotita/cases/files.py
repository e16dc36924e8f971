"""Checks of uploaded documents: size, and type by content (magic bytes), never by the
name or the browser's word. Executables and anything unrecognised are refused."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# (signature at offset 0, content type, allowed extensions)
ALLOWED = (
    (b"%PDF-", "application/pdf", {"pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {"png"}),
    (b"\xff\xd8\xff", "image/jpeg", {"jpg", "jpeg"}),
    (b"II*\x00", "image/tiff", {"tif", "tiff"}),
    (b"MM\x00*", "image/tiff", {"tif", "tiff"}),
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument",
        {"docx", "xlsx", "odt", "ods"},
    ),
)
EXECUTABLE = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",  # Linux
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xfe\xed\xfa\xce",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    data: bytes


def sniff(data: bytes) -> tuple[str, set[str]] | None:
    for signature, content_type, extensions in ALLOWED:
        if data.startswith(signature):
            return content_type, extensions
    return None


def check_upload(upload) -> CheckedFile:
    """Read and check an uploaded file (ValidationError on the `upload` field)."""
    if upload is None:
        raise ValidationError({"upload": [_("Choose a file.")]})
    limit = settings.DOCUMENTS_MAX_BYTES  # KOINOTITA_DOCUMENTS_MAX_MB
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            {"upload": [_("The file is too large: at most %(n)d MB.") % {"n": limit >> 20}]}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            {"upload": [_("The file is too large: at most %(n)d MB.") % {"n": limit >> 20}]}
        )
    if not data:
        raise ValidationError({"upload": [_("The file is empty.")]})
    if data.startswith(EXECUTABLE):
        raise ValidationError({"upload": [_("Programs and scripts cannot be attached.")]})
    found = sniff(data)
    name = get_valid_filename(upload.name or "document")[:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if found is None:
        raise ValidationError(
            {
                "upload": [
                    _("Only PDF, images (PNG, JPEG, TIFF) and office documents can be attached.")
                ]
            }
        )
    content_type, extensions = found
    if ext not in extensions:
        raise ValidationError({"upload": [_("The file's name does not match its content.")]})
    if content_type.startswith("application/vnd.openxml"):
        content_type = {
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "odt": "application/vnd.oasis.opendocument.text",
            "ods": "application/vnd.oasis.opendocument.spreadsheet",
        }[ext]
    return CheckedFile(filename=name, content_type=content_type, data=data)
