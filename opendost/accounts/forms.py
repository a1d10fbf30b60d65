"""Login, password change and two-factor forms. They parse and validate; services write."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form with one message for every failure (S-06).

    An unknown username, a wrong password and a deactivated account all read the same, so the form
    does not tell an attacker which usernames exist.
    """

    error_messages = {
        "invalid_login": _("The username or password is not correct. Both are case-sensitive."),
        "inactive": _("The username or password is not correct. Both are case-sensitive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "form-control", "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Re-authenticates with the current password; the new one goes through every validator (S-07)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        for name, autocomplete in [
            ("old_password", "current-password"),
            ("new_password1", "new-password"),
            ("new_password2", "new-password"),
        ]:
            self.fields[name].widget.attrs.update({"class": "form-control", "autocomplete": autocomplete})
            self.fields[name].widget.attrs.pop("autofocus", None)
        self.fields["old_password"].widget.attrs["autofocus"] = True

    @property
    def password_rules(self) -> list[str]:
        return password_validation.password_validators_help_texts()


class TokenForm(forms.Form):
    """The 6-digit code shown by an authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the 6 digits shown by your authenticator app."), code="token_format")
        return token
