"""Msgids of Django's own that its Vietnamese catalogue does not translate yet.

Listing them here puts them into our catalogue (locale/vi), which takes precedence over Django's.
"""

from django.utils.translation import gettext_noop

DJANGO_MSGIDS = [
    gettext_noop("- Select an option -"),  # Django 6.1's BLANK_CHOICE_LABEL
]
