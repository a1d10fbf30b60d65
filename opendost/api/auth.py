"""Authentication for /api/v1/: bearer tokens for integrations, the session for logged-in users.

Deny by default: every operation requires one of the two (NinjaAPI(auth=...)); an anonymous request
gets 401 JSON, never a redirect to the login page.
"""

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from opendost.accounts.models import ApiToken

# last_used_at is written at most this often per token, so reads do not each cost a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer od_...`; only the SHA-256 of the token is stored. Revoked tokens and
    tokens of inactive users are refused."""

    def authenticate(self, request: HttpRequest, token: str):
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user", "user__department")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class StaffSessionAuth(SessionAuth):
    """The Django session (with CSRF checked on unsafe methods) for users browsing the API.

    An anonymous caller gets 401 like every other unauthenticated request: ninja's cookie auth would
    check CSRF first and answer 403 before knowing nobody is logged in."""

    def _get_key(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
