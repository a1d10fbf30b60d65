from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class LimitOffset(PaginationBase):
    """limit/offset without an exact count (a COUNT over large registers is costly): the page says
    whether more rows follow through `next_offset`."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (at most 100).")
        offset: int = Field(0, ge=0, le=10_000_000, description="Rows to skip.")

    class Output(Schema):
        items: list
        limit: int
        offset: int
        next_offset: int | None = Field(None, description="Offset of the next page; null on the last page.")

    items_attribute = "items"

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params):
        rows = list(queryset[pagination.offset : pagination.offset + pagination.limit + 1])
        more = len(rows) > pagination.limit
        return {
            "items": rows[: pagination.limit],
            "limit": pagination.limit,
            "offset": pagination.offset,
            "next_offset": pagination.offset + pagination.limit if more else None,
        }
