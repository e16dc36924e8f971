"""The case page says what the code does (issue 14, blockers 4 and 5, and the case page): note
levels whose words match note_access, sealed notes marked, a visible "done" button,
sections collapsed with their counts, and a timeline in words."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from koinotita.cases import services
from koinotita.cases.models import Note
from koinotita.cases.selectors import NoteAccessLevel, note_access


def page(user, case, lang="el") -> str:
    client = Client(headers={"Accept-Language": lang})
    client.force_login(user)
    return client.get(reverse("cases-case-detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize("level", [c for c, _label in Note.Level.choices])
def test_each_note_level_says_who_reads_it_as_note_access_decides(alice, bob, sam, case, level):
    services.case_member_add(actor=alice, case=case, user=bob)
    note = services.note_add(actor=alice, case=case, text="x", level=level)
    team = frozenset({alice.pk, bob.pk})
    with translation.override("en"):
        label = str(Note.Level(level).label)
    supervisor = note_access(sam, note, team_ids=team)
    team_member = note_access(bob, note, team_ids=team)
    assert note_access(alice, note, team_ids=team) == NoteAccessLevel.READ
    if supervisor == NoteAccessLevel.BREAK_GLASS:
        assert "the supervisor only by opening it with a written reason" in label
        assert "author reads it" in label
    else:
        assert supervisor == NoteAccessLevel.READ and "the supervisor read it" in label
    assert ("case team" in label) == (team_member == NoteAccessLevel.READ)


def test_clinical_no_longer_claims_the_author_alone_reads_it():
    with translation.override("el"):
        label = str(Note.Level.CLINICAL.label)
    assert "μόνο ο/η συντάκτης/τρια" not in label and "αιτιολογία" in label


def test_restricted_and_clinical_notes_are_marked_on_the_page(alice, case):
    services.note_add(actor=alice, case=case, text="Κλινική παρατήρηση", level="clinical")
    services.note_add(actor=alice, case=case, text="Ομαδική", level="team")
    html = page(alice, case)
    assert 'class="panel note note-clinical"' in html
    assert 'tag-level tag-clinical"><span aria-hidden="true">🔒 </span>Κλινική σημείωση' in html
    assert "Σημείωση ομάδας" in html
    assert "ο/η υπεύθυνος/η μόνο αν την ανοίξει με γραπτή αιτιολογία" in html


def test_the_task_done_button_is_a_visible_button_not_white_on_white(alice, case):
    services.task_create(actor=alice, case=case, title="Κλήση", assignee=alice, due_on=date.today())
    html = page(alice, case)
    assert '<button type="submit" class="button button-small">Ολοκληρώθηκε</button>' in html
    assert 'class="link-button">Ολοκληρώθηκε' not in html


def test_sections_are_collapsed_with_their_counts_and_forms_open_on_demand(alice, case):
    services.task_create(actor=alice, case=case, title="Α", assignee=alice, due_on=date.today())
    services.task_create(actor=alice, case=case, title="Β", assignee=alice, due_on=date.today())
    html = page(alice, case)
    for section in ("assessment", "plan", "sessions", "notes", "tasks", "attachments", "timeline"):
        assert f'<details class="case-section" id="section-{section}">' in html
    assert 'Εργασίες <span class="count">2</span>' in html
    assert (
        '<details class="on-demand"><summary class="button button-secondary">Γράψτε σημείωση'
        in html
    )
    assert " open>" not in html


def test_the_timeline_speaks_in_words_not_codes(alice, sam, case):
    services.case_set_status(actor=alice, case=case, status="suspended", note="Ταξίδι")
    html = page(alice, case)
    assert "<strong>Άνοιγμα</strong>" in html
    assert "Αλλαγή κατάστασης</strong>: Ανοικτή → Σε αναστολή" in html
    assert "→ open" not in html and "→ suspended" not in html
