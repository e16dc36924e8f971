"""Case files: assessment, plan, sessions, tasks: API endpoints."""

from ninja import Router

router = Router(tags=["cases"])
