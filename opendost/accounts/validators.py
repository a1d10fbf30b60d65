"""Password rules beyond Django's (S-07): long passphrases allowed, context words refused."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opendost.common.text import fold

CONTEXT_WORDS = ["sokhcn", "khcn", "opendost", "bacninh", "bacgiang", "matkhau", "password"]
# Province names shorter than this (e.g. "Huế") would refuse too many unrelated passwords.
MIN_PROVINCE_WORD_LENGTH = 5


def context_words() -> set[str]:
    """The fixed words plus the provinces of the departments on this installation, folded and squashed."""
    from opendost.departments.models import Department

    names = Department.objects.filter(province__isnull=False).values_list("province__name", flat=True)
    provinces = {_strip_division(fold(name)).replace(" ", "") for name in names}
    return set(CONTEXT_WORDS) | {word for word in provinces if len(word) >= MIN_PROVINCE_WORD_LENGTH}


def _strip_division(folded_name: str) -> str:
    for prefix in ("tinh ", "thanh pho "):
        folded_name = folded_name.removeprefix(prefix)
    return folded_name


class ContextWordsValidator:
    """Refuses passwords containing the department's, the province's or the system's name (S-07).

    Matching ignores case, diacritics, đ/Đ and spaces: "Sở KH&CN Bắc Ninh" hides "bacninh".
    """

    def validate(self, password: str, user=None) -> None:
        squashed = "".join(ch for ch in fold(password) if ch.isalnum())
        for word in context_words():
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
