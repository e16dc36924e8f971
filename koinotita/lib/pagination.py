"""The API's page-number pagination, with the read of each page handed to an audit call."""

from collections.abc import Callable

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Past this page number a list answers 422: the offset it asks for stays within what the
# database takes (a page of 279732872691185728 was a 500).
MAX_PAGE = 1_000_000


class AuditedPages(PageNumberPagination):
    """`@paginate(AuditedPages, page_size=50, audit=fn)`: slices like ninja's page-number
    pagination, then calls `fn(request, items)` with the rows of the page it answers (and
    only those), so that a list endpoint audits the persons it showed — one event per read.
    `each`, if given, turns each row of the page into what the response schema reads."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)

    def __init__(self, *, audit: Callable, each: Callable | None = None, **kwargs):
        self.audit = audit
        self.each = each
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(result[self.items_attribute])
        self.audit(request, items)
        result[self.items_attribute] = [self.each(i) for i in items] if self.each else items
        return result
