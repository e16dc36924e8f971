"""Directory of organisations and services: API endpoints."""

from ninja import Router

router = Router(tags=["directory"])
