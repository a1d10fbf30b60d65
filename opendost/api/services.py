"""Writers for API access: tokens for integrations."""

from django.db import transaction

from opendost.accounts.models import ApiToken, User


@transaction.atomic
def api_token_create(*, user: User, name: str, actor=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token, which is never stored or shown again."""
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw))
    token.full_clean()
    token.save()
    return token, raw
