"""Anonymising a person (people.privacy) erases the free text and the documents of their
cases, keeps what the figures and the supervision need, and leaves other persons' cases
alone."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.cases import services
from koinotita.cases.models import (
    Assessment,
    AssessmentItem,
    Attachment,
    Case,
    CaseEvent,
    Goal,
    GoalAction,
    Note,
    NoteAccess,
    Session,
    Task,
)
from koinotita.cases.tests.conftest import make_person
from koinotita.people.privacy import person_anonymise

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "Μαρία Οικονόμου"  # what the texts say of the person


def _fill(alice, sam, case, person) -> Attachment:
    services.case_set_status(actor=alice, case=case, status="active", note=f"Ήρθε η {SECRET}")
    services.assessment_record(
        actor=alice,
        case=case,
        assessed_on=date.today(),
        ratings={"housing": (2, f"Η {SECRET} μένει σε σκηνή")},
        summary=f"Σύνοψη για {SECRET}",
    )
    services.goal_add(
        actor=alice,
        case=case,
        plan_version=case.plan_version,
        domain="housing",
        title=f"Στέγη για {SECRET}",
        actions=[f"Αίτηση επιδόματος {SECRET}"],
    )
    services.session_log(
        actor=alice,
        case=case,
        held_at=timezone.now() - timedelta(hours=2),
        kind="individual",
        mode="in_person",
        minutes=30,
        persons=[person],
        other_participants=f"ο σύζυγος της {SECRET}",
        summary=f"Συνάντηση με {SECRET}",
    )
    note = services.note_add(actor=alice, case=case, text=f"{SECRET}: κλινική", level="clinical")
    services.note_break_glass(actor=sam, note=note, reason=f"Κίνδυνος για {SECRET}")
    services.task_create(
        actor=alice, case=case, title=f"Τηλεφώνημα {SECRET}", assignee=alice, due_on=date.today()
    )
    return services.attachment_add(
        actor=alice, case=case, title=f"Βεβαίωση {SECRET}", upload=SimpleUploadedFile("b.pdf", PDF)
    )


def _texts(case) -> list[str]:
    """Every free text stored about `case`, from the database."""
    texts = list(Case.objects.filter(pk=case.pk).values_list("reason", "closure_note").get())
    texts += CaseEvent.objects.filter(case=case).values_list("note", flat=True)
    texts += Assessment.objects.filter(case=case).values_list("summary", flat=True)
    texts += AssessmentItem.objects.filter(assessment__case=case).values_list("note", flat=True)
    texts += Goal.objects.filter(case=case).values_list("title", flat=True)
    texts += GoalAction.objects.filter(goal__case=case).values_list("text", flat=True)
    for other, summary in Session.objects.filter(case=case).values_list(
        "other_participants", "summary"
    ):
        texts += [other, summary]
    texts += Note.objects.filter(case=case).values_list("text", flat=True)
    texts += NoteAccess.objects.filter(note__case=case).values_list("reason", flat=True)
    texts += Task.objects.filter(case=case).values_list("title", flat=True)
    texts += Attachment.objects.filter(case=case).values_list("title", flat=True)
    return texts


def test_anonymising_a_person_erases_their_cases_free_text_and_documents(
    alice, sam, case, person, network
):
    attachment = _fill(alice, sam, case, person)
    stored = settings.DOCUMENTS_DIR / attachment.storage_name
    assert stored.exists()
    assert sum(SECRET in t for t in _texts(case)) >= 10  # the fixture holds what it should
    other = services.case_open(
        actor=alice, person=make_person(alice, network["kastoria"], "Άλλος", "Νίκος"),
        reason=f"Γείτονας της {SECRET}",
    )  # fmt: skip
    events_before = CaseEvent.objects.filter(case=case).count()

    person_anonymise(actor=sam, person=person, reason="Αίτημα διαγραφής")

    assert not [t for t in _texts(case) if SECRET in t]
    assert not Attachment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == "active" and case.priority  # what the figures need stays
    assert CaseEvent.objects.filter(case=case).count() == events_before  # history rows kept
    assert AssessmentItem.objects.get(assessment__case=case).rating == 2
    assert Session.objects.get(case=case).minutes == 30
    event = AuditEvent.objects.filter(action="person.anonymised").latest("seq")
    assert event.detail["cases_erased"] == 1 and event.detail["case_documents_removed"] == 1
    other.refresh_from_db()
    assert other.reason == f"Γείτονας της {SECRET}"  # another person's case is not touched


def test_the_documents_stay_if_the_anonymisation_fails(alice, sam, case, person):
    attachment = _fill(alice, sam, case, person)
    stored = settings.DOCUMENTS_DIR / attachment.storage_name
    with pytest.raises(ValidationError):
        person_anonymise(actor=sam, person=person, reason="")  # refused: no reason
    assert stored.exists() and Attachment.objects.filter(case=case).exists()
    assert any(SECRET in t for t in _texts(case))


def test_the_subject_access_export_carries_the_cases(alice, sam, case, person):
    import json

    from koinotita.people.privacy import person_export

    _fill(alice, sam, case, person)
    document = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    [exported] = document["cases"]
    assert exported["id"] == case.pk and exported["reason"] == "Χάσαμε το σπίτι"
    assert exported["assessments"][0]["domains"][0]["rating"] == 2
    assert exported["goals"][0]["goal"] == f"Στέγη για {SECRET}"
    assert exported["sessions"][0]["minutes"] == 30
    assert exported["documents"][0]["title"] == f"Βεβαίωση {SECRET}"
    [note] = exported["notes"]  # the clinical note: listed, its words withheld
    assert note["level"] == "clinical" and note["withheld"] and note["text"] is None
    assert f"{SECRET}: κλινική" not in json.dumps(document, ensure_ascii=False)
    pdf = person_export(actor=sam, person=person, fmt="pdf").content
    assert pdf.startswith(b"%PDF")


def test_the_export_of_a_person_without_cases_has_an_empty_list(sam, person):
    import json

    from koinotita.people.privacy import person_export

    document = json.loads(person_export(actor=sam, person=person, fmt="json").content)
    assert document["cases"] == []
