import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendost.notifications import services
from opendost.notifications.models import Message
from tests.factories import UserFactory
from tests.notifications.conftest import reload

pytestmark = pytest.mark.django_db
LIST = reverse("notifications:list")


def _inbox(user, n=1, prefix="Thông báo", channels=("in_app",)):
    out = []
    for i in range(n):
        out += services.notify(
            event_key=f"test.inbox:{user.pk}:{prefix}:{i}",
            recipients=[user],
            subject=f"{prefix} {i}",
            body=f"Nội dung {i}",
            channels=channels,
        )
    return out


@pytest.fixture
def alice(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_page_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_user_sees_only_their_own_in_app_messages_newest_first(client, alice):
    _inbox(alice, 2, prefix="Của Alice")
    _inbox(alice, 1, prefix="Thư điện tử", channels=("email",))
    _inbox(UserFactory(), 1, prefix="Của Bob")

    response = client.get(LIST)

    assert response.status_code == 200
    subjects = [m.subject for m in response.context["notifications"]]
    assert subjects == ["Của Alice 1", "Của Alice 0"]
    assert "Của Bob" not in response.text
    assert "Thư điện tử" not in response.text


def test_pages_without_counting(client, alice, settings, django_assert_max_num_queries):
    settings.OPENDOST_PAGE_SIZE = 2
    _inbox(alice, 5)

    # session, user, 2 x permissions (menu), session save (3 with savepoints), the page, the badge.
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(9):
        first = client.get(LIST)
    last = client.get(LIST, {"page": 3})

    assert [m.subject for m in first.context["notifications"]] == ["Thông báo 4", "Thông báo 3"]
    assert first.context["has_next"] is True
    assert [m.subject for m in last.context["notifications"]] == ["Thông báo 0"]
    assert last.context["has_next"] is False
    message_queries = [q["sql"] for q in queries if "notifications_message" in q["sql"]]
    assert not any("COUNT(" in sql.upper() for sql in message_queries if "read_at" not in sql)


def test_bad_page_number_shows_the_first_page(client, alice):
    _inbox(alice, 1)
    assert client.get(LIST, {"page": "x"}).context["page"] == 1


def test_badge_counts_unread_messages(client, alice):
    _inbox(alice, 3)

    response = client.get(LIST)

    assert response.context["notifications_unread_count"] == 3


def test_mark_read(client, alice):
    (message, other) = _inbox(alice, 2)

    response = client.post(reverse("notifications:mark_read", args=[message.public_id]))

    assert response.status_code == 302
    assert reload(message).read_at is not None
    assert reload(other).read_at is None


def test_mark_read_with_htmx_returns_the_row_and_the_badge(client, alice):
    (message, _other) = _inbox(alice, 2)

    response = client.post(
        reverse("notifications:mark_read", args=[message.public_id]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert f'id="message-{message.public_id}"' in response.text
    assert 'id="notifications-badge"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert ">1<" in response.text.replace(" ", "")  # one unread left
    assert "Mark as read" not in response.text


def test_another_users_message_gives_404(client, alice):
    (bobs,) = _inbox(UserFactory())

    response = client.post(reverse("notifications:mark_read", args=[bobs.public_id]))

    assert response.status_code == 404
    assert reload(bobs).read_at is None


def test_an_email_message_is_not_in_the_inbox(client, alice):
    (email,) = _inbox(alice, channels=("email",))

    response = client.post(reverse("notifications:mark_read", args=[email.public_id]))

    assert response.status_code == 404


def test_mark_read_needs_post(client, alice):
    (message,) = _inbox(alice)

    assert client.get(reverse("notifications:mark_read", args=[message.public_id])).status_code == 405
    assert reload(message).read_at is None


def test_mark_all_read_touches_only_my_messages(client, alice):
    mine = _inbox(alice, 2)
    (bobs,) = _inbox(UserFactory())

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert all(reload(m).read_at is not None for m in mine)
    assert reload(bobs).read_at is None


def test_mark_all_read_with_htmx_returns_the_list(client, alice):
    _inbox(alice, 2)

    response = client.post(reverse("notifications:mark_all_read"), {"page": "1"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'id="notification-list"' in response.text
    assert 'id="notifications-badge"' in response.text
    assert Message.objects.visible_to(alice).unread().count() == 0


def test_reading_twice_keeps_the_first_read_time(alice):
    (message,) = _inbox(alice)
    assert services.message_mark_read(message=message, actor=alice) is True
    first = reload(message).read_at

    assert services.message_mark_read(message=message, actor=alice) is False
    assert reload(message).read_at == first


def test_service_refuses_to_mark_someone_elses_message(alice):
    (bobs,) = _inbox(UserFactory())

    with pytest.raises(services.PermissionDenied):
        services.message_mark_read(message=bobs, actor=alice)


def test_anonymous_badge_is_zero(rf):
    from django.contrib.auth.models import AnonymousUser

    from opendost.notifications.context_processors import unread_count

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_count(request) == {"notifications_unread_count": 0}
