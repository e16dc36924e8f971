"""Messages to citizens (SMS, e-mail) through a pluggable backend, chosen by
KOINOTITA_MESSAGE_BACKEND: `console` (printed to the log), `file` (one JSON line per message
in KOINOTITA_VAR_DIR/outbox.jsonl, for the demo and tests) or `http` (a gateway at
KOINOTITA_SMS_GATEWAY_URL, sent `{"channel", "to", "text"}` as JSON with the bearer token
KOINOTITA_SMS_GATEWAY_TOKEN). A backend raises `MessagingError` when the message did not go;
the caller records the failure for a retry."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

log = logging.getLogger("koinotita.messaging")


class MessagingError(Exception):
    """The message was not delivered to the backend (gateway down, refused, timed out)."""


class ConsoleBackend:
    def send(self, *, channel: str, to: str, text: str) -> str:
        log.info("message %s to %s: %s", channel, to, text)
        return ""


class FileBackend:
    def __init__(self, path: Path | None = None):
        self.path = path or Path(settings.VAR_DIR) / "outbox.jsonl"

    def send(self, *, channel: str, to: str, text: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as outbox:
            line = {"channel": channel, "to": to, "text": text}
            outbox.write(json.dumps(line, ensure_ascii=False) + "\n")
        return ""


class HttpGatewayBackend:
    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        if not url:
            raise MessagingError("KOINOTITA_SMS_GATEWAY_URL is not set")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, *, channel: str, to: str, text: str) -> str:
        body = json.dumps({"channel": channel, "to": to, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 (the operator's configured gateway)
            self.url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(2000).decode("utf-8", "replace")
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise MessagingError(type(exc).__name__) from exc
        try:
            return str(json.loads(answer).get("id", ""))[:100]
        except (ValueError, AttributeError):
            return ""


def message_backend():
    kind = settings.MESSAGE_BACKEND
    if kind == "file":
        return FileBackend()
    if kind == "http":
        return HttpGatewayBackend(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN)
    return ConsoleBackend()
