"""The one content check of every upload: content against name, ZIP structure and expansion,
with Greek messages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from koinotita.lib import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Επώνυμο", "Όνομα"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def archive(members: dict[str, bytes], *, encrypted: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    data = bytearray(out.getvalue())
    if encrypted:  # zipfile cannot write encryption: set the flag of each central record
        at = data.find(b"PK\x01\x02")
        while at != -1:
            data[at + 8] |= 0x1
            at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


DOCX = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = archive({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = archive(
    {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
)


def check(name, data, kinds=uploads.CASE_DOCUMENTS, max_bytes=10 * 1024 * 1024):
    return uploads.check_content(name=name, data=data, kinds=kinds, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("a.pdf", PDF, "pdf"),
        ("a.PNG", PNG, "png"),
        ("a.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 10, "jpeg"),
        ("a.tif", b"II*\x00" + b"\x00" * 10, "tiff"),
        ("a.xlsx", xlsx(), "xlsx"),
        ("a.docx", DOCX, "docx"),
        ("a.odt", ODT, "odt"),
        ("a.ods", ODS, "ods"),
    ],
)
def test_documents_are_recognised_by_their_content(name, data, key):
    checked = check(name, data)
    assert checked.kind.key == key and checked.data == data


@pytest.mark.parametrize(
    ("name", "data", "kinds", "greek"),
    [
        ("x.html", PDF, uploads.REFERRAL_DOCUMENTS, "δεν ταιριάζει με το περιεχόμενό"),
        ("x", PDF, uploads.REFERRAL_DOCUMENTS, "δεν έχει κατάληξη"),
        ("x.pdf", PNG, uploads.REFERRAL_DOCUMENTS, "δεν ταιριάζει"),
        ("x.xlsx", DOCX, uploads.CASE_DOCUMENTS, "δεν ταιριάζει"),
        ("x.html", b"<html><script>alert(1)</script></html>", uploads.REFERRAL_DOCUMENTS,
         "μόνο αρχεία PDF, PNG, JPEG"),
        ("x.docx", DOCX, uploads.REFERRAL_DOCUMENTS, "μόνο αρχεία PDF"),
        ("x.pdf", b"MZ\x90\x00", uploads.CASE_DOCUMENTS, "προγράμματα"),
        ("x.pdf", b"#!/bin/sh\n", uploads.CASE_DOCUMENTS, "προγράμματα"),
        ("x.pdf", b"", uploads.CASE_DOCUMENTS, "κενό"),
        ("x.csv", PDF, uploads.TABLES, "μόνο αρχεία CSV, Excel"),
        ("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 10, uploads.TABLES, ".xls"),
        ("x.zip", archive({"a.txt": b"x"}), uploads.CASE_DOCUMENTS, "μόνο αρχεία"),
        ("x.json", b"\x00\x01binary", uploads.HSDS, "μόνο αρχεία JSON, CSV"),
    ],
)  # fmt: skip
def test_content_and_name_must_agree_greek_message(name, data, kinds, greek):
    with translation.override("el"), pytest.raises(uploads.UploadError) as caught:
        check(name, data, kinds)
    assert greek in caught.value.messages[0]


def test_text_takes_its_kind_from_its_name():
    assert check("a.csv", "Επώνυμο;Όνομα\n".encode(), uploads.TABLES).kind.key == "csv"
    assert check("a.txt", "a\tb\n".encode("utf-16"), uploads.TABLES).kind.key == "csv"
    assert check("a.json", b'{"a": 1}', uploads.HSDS).kind.key == "json"


def test_too_large_is_refused_before_reading_the_rest():
    upload = SimpleUploadedFile("a.pdf", PDF * 100)
    with translation.override("el"), pytest.raises(uploads.UploadError) as caught:
        uploads.check_upload(upload, kinds=uploads.CASE_DOCUMENTS, max_bytes=100)
    assert "πολύ μεγάλο" in caught.value.messages[0]


def test_the_error_can_name_the_form_field():
    with pytest.raises(uploads.ValidationError) as caught:
        uploads.check_upload(None, kinds=uploads.CASE_DOCUMENTS, max_bytes=100, field="upload")
    assert list(caught.value.message_dict) == ["upload"]


def test_a_zip_bomb_is_refused_by_its_ratio_without_expanding_it():
    bomb = archive({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"\x00" * 20_000_000})
    assert len(bomb) < 100_000
    with translation.override("el"), pytest.raises(uploads.UploadError) as caught:
        check("bomb.xlsx", bomb, uploads.TABLES)
    assert "βόμβα zip" in caught.value.messages[0]


def test_a_zip_that_expands_past_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    big = archive({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"a" * 2 * 1024 * 1024})
    with translation.override("el"), pytest.raises(uploads.UploadError) as caught:
        check("big.xlsx", big, uploads.TABLES)
    assert "μετά την αποσυμπίεση" in caught.value.messages[0]


def test_too_many_members_encrypted_or_escaping_members_are_refused(monkeypatch):
    monkeypatch.setattr(uploads, "UPLOAD_MAX_MEMBERS", 5)
    many = archive({"[Content_Types].xml": b"", **{f"word/{i}.xml": b"" for i in range(6)}})
    encrypted = archive({"[Content_Types].xml": b"", "word/document.xml": b"x"}, encrypted=True)
    escaping = archive({"[Content_Types].xml": b"", "word/document.xml": b"", "../x": b""})
    with translation.override("el"):
        for data, greek in [
            (many, "πάρα πολλά μέρη"),
            (encrypted, "κρυπτογραφημένο"),
            (escaping, "κατεστραμμένο"),
            (b"PK\x03\x04 broken", "κατεστραμμένο"),
        ]:
            with pytest.raises(uploads.UploadError) as caught:
                check("a.docx", data)
            assert greek in caught.value.messages[0]


def test_opendocument_is_told_by_its_mimetype():
    other = archive({"mimetype": b"application/vnd.oasis.opendocument.presentation"})
    with pytest.raises(uploads.UploadError):
        check("a.odp", other)
    with pytest.raises(uploads.UploadError):
        check("a.ods", ODT)  # a text document named as a spreadsheet
