"""Grant operations and funding: API endpoints."""

from ninja import Router

router = Router(tags=["funding"])
