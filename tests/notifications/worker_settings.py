"""Settings for `manage.py outbox_deliver` run as a subprocess by test_worker_killed.py.

The database comes from DATABASE_URL (the test database); mail goes to files in OUTBOX_TEST_MAIL_DIR.
"""

import os

from config.settings import *  # noqa: F403

OPENDOST_EMAIL_ADAPTER = "tests.notifications.adapters.BlockingEmailAdapter"
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["OUTBOX_TEST_MAIL_DIR"]},
    }
}
