from django.conf import settings

from opendost.notifications.models import Message


def message_page_for(*, user, page: int) -> tuple[list[Message], bool]:
    """One page of the user's in-app messages, newest first, and whether an older page exists.

    No COUNT(*): the page fetches one row more than it shows, which answers "is there a next page"."""
    size = settings.OPENDOST_PAGE_SIZE
    start = (max(page, 1) - 1) * size
    rows = list(Message.objects.visible_to(user).order_by("-created_at", "-pk")[start : start + size + 1])
    return rows[:size], len(rows) > size


def unread_count_for(*, user) -> int:
    return Message.objects.visible_to(user).unread().count()
