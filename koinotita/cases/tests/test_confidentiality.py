"""The confidentiality matrix (role × note level → read, break-glass or hidden), tested on
every page and endpoint that shows notes: the case page, the break-glass page, the API's
notes list, its list of sealed notes and its break-glass (and the other case endpoints,
which never carry notes)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.cases import services
from koinotita.cases.models import NoteAccess
from koinotita.testing.clients import api_client as api
from koinotita.testing.users import user_with_role

SECRET = {
    "team": "ΚΕΙΜΕΝΟ-ΟΜΑΔΑΣ-4711",
    "restricted": "ΚΕΙΜΕΝΟ-ΠΕΡΙΟΡΙΣΜΕΝΟ-4712",
    "clinical": "ΚΕΙΜΕΝΟ-ΚΛΙΝΙΚΟ-4713",
}

R, BG, H, NO_CASE = "read", "break_glass", "hidden", "no_case"
MATRIX = {
    # who:            team  restricted clinical
    "alice": (R, R, R),  # the author
    "bob": (R, H, H),  # on the team, caseworker
    "carol": (H, H, H),  # caseworker of the centre, not on the team
    "mia": (H, H, H),  # mediator on the team
    "sam": (R, BG, BG),  # supervisor of the municipality
    "rita": (NO_CASE,) * 3,  # reception: no case at all
    "charlie": (NO_CASE,) * 3,  # another centre
    "mona": (NO_CASE,) * 3,  # monitor
}
LEVELS = list(SECRET)


def expected_for(who):
    """(level, expected) for each note level: one test per role covers its row."""
    return list(zip(LEVELS, MATRIX[who], strict=True))


@pytest.fixture
def cast(alice, bob, charlie, rita, sam, mona, mia, network):
    carol = user_with_role("carol", "caseworker", "centre", network["kastoria"])
    return {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "mia": mia,
        "sam": sam,
        "rita": rita,
        "charlie": charlie,
        "mona": mona,
    }


@pytest.fixture
def notes(cast, case):
    services.case_member_add(actor=cast["alice"], case=case, user=cast["bob"])
    services.case_member_add(actor=cast["alice"], case=case, user=cast["mia"])
    return {
        level: services.note_add(actor=cast["alice"], case=case, text=text, level=level)
        for level, text in SECRET.items()
    }


def web(user):
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", list(MATRIX))
def test_case_page(cast, case, notes, who):
    response = web(cast[who]).get(reverse("cases-case-detail", args=[case.pk]))
    if MATRIX[who][0] == NO_CASE:
        assert response.status_code in (403, 404)
        return
    assert response.status_code == 200
    html = response.content.decode()
    for level, expected in expected_for(who):
        note = notes[level]
        assert (SECRET[level] in html) == (expected == R), level
        assert (f'id="note-{note.pk}"' in html) == (expected in (R, BG)), level
        link = reverse("cases-note-break-glass", args=[note.pk])
        assert (link in html) == (expected == BG), level


@pytest.mark.parametrize("who", list(MATRIX))
def test_api_notes(cast, case, notes, who):
    response = api(cast[who]).get(f"/api/v1/cases/{case.pk}/notes")
    if MATRIX[who][0] == NO_CASE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = json.dumps(response.json(), ensure_ascii=False)
    ids = [n["id"] for n in response.json()]
    for level, expected in expected_for(who):
        assert (notes[level].pk in ids) == (expected == R), level  # break-glass: not listed
        assert (SECRET[level] in body) == (expected == R), level


@pytest.mark.parametrize("who", list(MATRIX))
def test_api_case_endpoints_never_carry_notes(cast, case, notes, who):
    client = api(cast[who])
    for path in (
        "/api/v1/cases",
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/sessions",
        f"/api/v1/cases/{case.pk}/goals",
        f"/api/v1/cases/{case.pk}/attachments",
        f"/api/v1/cases/{case.pk}/closure",
        "/api/v1/transfers",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404)
        body = json.dumps(response.json(), ensure_ascii=False)
        assert not any(text in body for text in SECRET.values())


@pytest.mark.parametrize("who", list(MATRIX))
def test_api_sealed_notes(cast, case, notes, who):
    """Only the notes the user may open by break-glass, and never their text."""
    response = api(cast[who]).get(f"/api/v1/cases/{case.pk}/notes/sealed")
    if MATRIX[who][0] == NO_CASE:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    body = json.dumps(response.json(), ensure_ascii=False)
    ids = [n["id"] for n in response.json()]
    for level, expected in expected_for(who):
        assert (notes[level].pk in ids) == (expected == BG), level
        assert SECRET[level] not in body, level


@pytest.mark.parametrize("who", list(MATRIX))
def test_api_break_glass(cast, case, notes, who):
    """Without a valid reason nobody reads anything; a note the user may not know of is a
    404, one they already read needs no break-glass, one they may open asks for a reason."""
    client = api(cast[who])
    for level, expected in expected_for(who):
        response = client.post(
            f"/api/v1/notes/{notes[level].pk}/break-glass",
            {"reason": "short"},
            content_type="application/json",
        )
        if expected in (H, NO_CASE):
            assert response.status_code == 404, level
        elif expected == BG:
            assert response.status_code == 422, level
            assert "reason" in response.json()["errors"], level
        else:  # already readable: not a supervisor (403) or nothing to break (422)
            assert response.status_code in (403, 422), level
        assert not any(text in response.content.decode() for text in SECRET.values()), level
    assert not NoteAccess.objects.exists()


@pytest.mark.parametrize("who", list(MATRIX))
def test_break_glass_page(cast, case, notes, who):
    client = web(cast[who])
    for level, expected in expected_for(who):
        response = client.get(reverse("cases-note-break-glass", args=[notes[level].pk]))
        if expected in (H, NO_CASE):
            assert response.status_code == 404, level
        elif expected == R:
            assert response.status_code == 302, level  # nothing to break: back to the case
        else:
            assert response.status_code == 200, level
            assert SECRET[level] not in response.content.decode()


@pytest.mark.parametrize("level", ["restricted", "clinical"])
def test_supervisor_break_glass_needs_reason_is_audited_and_shown_to_author(
    cast, case, notes, level
):
    sam, alice = cast["sam"], cast["alice"]
    note = notes[level]
    url = reverse("cases-note-break-glass", args=[note.pk])
    client = web(sam)
    response = client.post(url, {"reason": "short"})
    assert response.status_code == 200
    assert not NoteAccess.objects.exists()

    reason = "Καταγγελία κακοποίησης, έλεγχος"
    response = client.post(url, {"reason": reason})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="case.note.break_glass")
    assert event.reason == reason and event.actor_id == sam.pk
    page = client.get(reverse("cases-case-detail", args=[case.pk])).content.decode()
    assert SECRET[level] in page
    assert AuditEvent.objects.filter(action="case.note.read", actor_id=sam.pk).exists()

    author_page = web(alice).get(reverse("cases-case-detail", args=[case.pk])).content.decode()
    assert reason in author_page
    # Others on the team still do not see it.
    bob_page = web(cast["bob"]).get(reverse("cases-case-detail", args=[case.pk])).content.decode()
    assert SECRET[level] not in bob_page and reason not in bob_page


def test_caseworker_cannot_break_glass(cast, notes):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.note_break_glass(
            actor=cast["bob"], note=notes["clinical"], reason="θέλω να το δω τώρα"
        )


def test_reading_a_restricted_note_is_audited_for_the_author(cast, case, notes):
    web(cast["alice"]).get(reverse("cases-case-detail", args=[case.pk]))
    event = AuditEvent.objects.filter(action="case.note.read", actor_id=cast["alice"].pk).get()
    assert set(event.detail["notes"]) == {notes["restricted"].pk, notes["clinical"].pk}
