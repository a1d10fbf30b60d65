"""Pages without COUNT(*): fetch one row more than the page holds to know whether a next page exists.

Counting every filtered row of a large register costs more than the page itself (reference B1.2),
and a list only needs "previous / next".
"""

from dataclasses import dataclass

from django.db.models import QuerySet

MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        """1-based position of the first row on the page (0 when the page is empty)."""
        return (self.number - 1) * self.page_size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.rows) - 1 if self.rows else 0


def page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(queryset: QuerySet, number, page_size: int) -> Page:
    number = page_number(number)
    offset = (number - 1) * page_size
    rows = list(queryset[offset : offset + page_size + 1])
    return Page(rows=rows[:page_size], number=number, page_size=page_size, has_next=len(rows) > page_size)
