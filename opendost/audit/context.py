"""The id of the request being served, so audit events written deep inside services can carry it."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("opendost_request_id", default="")
