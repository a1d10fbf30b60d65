"""Password rules beyond Django's (S-07): long passphrases allowed, context words refused."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opendost.common.text import fold

CONTEXT_WORDS = ["sokhcn", "khcn", "opendost", "bacninh", "bacgiang", "matkhau", "password"]


class ContextWordsValidator:
    def validate(self, password: str, user=None) -> None:
        squashed = fold(password).replace(" ", "")
        for word in CONTEXT_WORDS:
            if word in squashed:
                raise ValidationError(
                    _("The password must not contain the name of the department, the province or the system."),
                    code="password_context_word",
                )

    def get_help_text(self) -> str:
        return _("Your password must not contain the name of the department, the province or the system.")


class MaximumLengthValidator:
    """Allow passphrases of at least 64 characters, refuse absurd sizes that only cost hashing time."""

    max_length = 256

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("The password may have at most %(max)d characters.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _("Your password may have up to %(max)d characters.") % {"max": self.max_length}
