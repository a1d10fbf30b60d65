"""Resumption tokens: stateless, signed (django.core.signing), carrying the keyset cursor.

A token holds the original request (verb, metadataPrefix, from, until, set), the source it stopped
in, the (datestamp, pk) of the last record sent and how many records were sent before. The next
page is `WHERE (datestamp, pk) > (last datestamp, last pk)` in that source, then the following
sources: no OFFSET, no server-side state, and any change to the token breaks its signature.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

SALT = "opendost.oaipmh.resumption-token"
DEFAULT_MAX_AGE = timedelta(hours=24)


class BadToken(Exception):
    pass


@dataclass(frozen=True)
class Cursor:
    verb: str
    metadata_prefix: str
    from_: str  # as the harvester sent them ("" when absent)
    until: str
    set_spec: str
    source: str  # prefix of the source the last record came from
    datestamp: str  # ISO 8601 with microseconds: the exact value stored
    pk: int
    sent: int  # records returned before the next page (the next page's `cursor` attribute)

    def last_datestamp(self) -> datetime:
        return datetime.fromisoformat(self.datestamp)


def max_age() -> timedelta:
    return getattr(settings, "OAI_TOKEN_MAX_AGE", DEFAULT_MAX_AGE)


def encode(cursor: Cursor) -> str:
    return signing.dumps(asdict(cursor), salt=SALT, compress=True)


def decode(token: str) -> Cursor:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
        return Cursor(**data)
    except (signing.BadSignature, TypeError, ValueError) as exc:  # SignatureExpired is a BadSignature
        raise BadToken(str(exc)) from exc


def expiration() -> datetime:
    return timezone.now() + max_age()
