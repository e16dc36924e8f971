"""Reminders to citizens: only with the consent to the channel, through the configured
backend (file; an HTTP gateway that the test starts on loopback), logged without content;
the gateway down → recorded as failed and audited, sent by the retry."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.organisations.models import Site
from koinotita.people.services import consent_record
from koinotita.reception import services
from koinotita.reception.models import Reminder
from koinotita.reception.reminders import reminder_retry, reminder_send, reminders_failed
from koinotita.testing.people import person_make


@pytest.fixture
def appointment(alice, network):
    person = person_make(
        actor=alice,
        centre=network["kastoria"],
        fields={"family_name": "Υπενθύμιση", "given_name": "Ελένη", "sex": "F",
                "phone": "6971112233"},
    )  # fmt: skip
    site = Site.objects.filter(centre=network["kastoria"]).order_by("pk").first()
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    return services.appointment_book(
        actor=alice, person=person, staff=alice, site=site, starts_at=start, duration=30
    )


def _consent(alice, appointment, purpose="sms"):
    consent_record(
        actor=alice, person=appointment.person, purpose=purpose, given_on=timezone.localdate()
    )


def test_no_consent_no_message(alice, appointment, settings, tmp_path):
    settings.MESSAGE_BACKEND, settings.VAR_DIR = "file", tmp_path
    with pytest.raises(ValidationError):
        reminder_send(actor=alice, appointment=appointment)
    assert not Reminder.objects.exists()
    assert not (tmp_path / "outbox.jsonl").exists()


def test_file_backend_in_greek_and_log_without_content(alice, appointment, settings, tmp_path):
    settings.MESSAGE_BACKEND, settings.VAR_DIR = "file", tmp_path
    _consent(alice, appointment)
    reminder = reminder_send(
        actor=alice, appointment=appointment, kind="documents", documents=["Ταυτότητα"]
    )
    line = json.loads((tmp_path / "outbox.jsonl").read_text(encoding="utf-8"))
    assert line["to"] == "6971112233" and "Ταυτότητα" in line["text"]
    assert "Κέντρο Κοινότητας" in line["text"]
    assert reminder.status == "sent"
    event = AuditEvent.objects.filter(action="reminder.sent").latest("at")
    assert line["text"] not in json.dumps(event.detail, ensure_ascii=False)


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    down = False

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if type(self).down:
            self.send_response(503)
            self.end_headers()
            return
        type(self).received.append((self.headers.get("Authorization"), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "gw-1"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    _Gateway.received, _Gateway.down = [], False
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MESSAGE_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_gateway(alice, appointment, gateway):
    _consent(alice, appointment)
    reminder = reminder_send(actor=alice, appointment=appointment)
    assert reminder.status == "sent" and reminder.gateway_id == "gw-1"
    auth, body = gateway.received[0]
    assert auth == "Bearer secret-token" and body["to"] == "6971112233"


def test_gateway_down_is_recorded_failed_and_retried(alice, appointment, gateway):
    _consent(alice, appointment)
    gateway.down = True
    reminder = reminder_send(actor=alice, appointment=appointment)
    assert reminder.status == "failed" and reminder.error
    assert AuditEvent.objects.filter(action="reminder.failed").exists()
    assert list(reminders_failed([appointment.centre_id])) == [reminder]
    gateway.down = False
    reminder = reminder_retry(reminder=reminder)
    assert reminder.status == "sent" and reminder.attempts == 2
    assert not reminders_failed([appointment.centre_id]).exists()


def test_gateway_unreachable_is_failed_not_lost(alice, appointment, settings):
    settings.MESSAGE_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/nothing-listens-here"
    _consent(alice, appointment)
    reminder = reminder_send(actor=alice, appointment=appointment)
    assert reminder.status == "failed"
    assert Reminder.objects.get().status == "failed"
