"""Strict input types for the API's write and filter parameters.

Pydantic's lax mode takes 0 for 1970-01-01, "yes" for true, "3" or 3.0 for 3 and a UUID without its
hyphens; the OpenAPI document promises JSON Schema types and formats, so the input is held to them (the
schemathesis fuzz test checks it). Text never holds NUL (PostgreSQL refuses it), and required text holds
something besides spaces. Domain routers build their own bounded types from these validators.
"""

import datetime as dt
import re
from typing import Annotated
from uuid import UUID

from pydantic import BeforeValidator

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})?")
CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
NO_NUL = r"^[^\x00]*$"
NOT_BLANK = r"^[^\x00]*[^\x00\s][^\x00]*$"


def iso_date(value):
    if isinstance(value, dt.date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("Give a date as YYYY-MM-DD.")


def iso_datetime(value):
    if isinstance(value, dt.datetime) or (isinstance(value, str) and ISO_DATETIME.fullmatch(value)):
        return value
    raise ValueError("Give a date and time as YYYY-MM-DDThh:mm:ss+07:00.")


def canonical_uuid(value):
    if isinstance(value, UUID) or (isinstance(value, str) and CANONICAL_UUID.fullmatch(value)):
        return value
    raise ValueError("Give a UUID as 8-4-4-4-12 hexadecimal digits.")


def json_bool(value):
    if isinstance(value, bool):
        return value
    raise ValueError("Give true or false.")


def json_query_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in {"true", "false"}:
        return value == "true"
    raise ValueError("Give true or false.")


def json_int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():  # 3.0 is an integer in JSON Schema
        return int(value)
    raise ValueError("Give an integer.")


def query_int(value):
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,19}", value):  # a query string holds text
        return int(value)
    return json_int(value)


def json_number(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise ValueError("Give a number.")


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]
IsoDateTime = Annotated[dt.datetime, BeforeValidator(iso_datetime)]
PublicId = Annotated[UUID, BeforeValidator(canonical_uuid)]
JsonBool = Annotated[bool, BeforeValidator(json_bool)]
QueryBool = Annotated[bool, BeforeValidator(json_query_bool)]
JsonInt = Annotated[int, BeforeValidator(json_int)]
