from django.utils.functional import SimpleLazyObject


def unread_count(request) -> dict:
    """`notifications_unread_count` for the badge in base.html. Lazy: pages that do not show it run no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notifications_unread_count": 0}

    def count() -> int:
        from opendost.notifications.selectors import unread_count_for

        return unread_count_for(user=user)

    return {"notifications_unread_count": SimpleLazyObject(count)}
