"""Response schemas of /api/v1/. Personal data leaves only as listed here (citizen IDs masked)."""

import datetime
from typing import Annotated
from uuid import UUID

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem]


class AdminUnitOut(Schema):
    id: int
    code_set: str
    level: str
    code: str
    name: str
    division_type: str
    parent_id: int | None
    province_id: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None


class AdminUnitRef(Schema):
    id: int
    code_set: str
    level: str
    code: str
    name: str


class SuccessionOut(Schema):
    unit: AdminUnitRef
    relation: str
    effective_on: datetime.date


class AdminUnitDetailOut(AdminUnitOut):
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]


class StFieldOut(Schema):
    id: int
    scheme: str
    code: str
    name: str
    level: int
    parent_code: str | None

    @staticmethod
    def resolve_scheme(obj) -> str:
        return obj.scheme.code

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class StFieldRef(Schema):
    scheme: str
    code: str
    name: str

    @staticmethod
    def resolve_scheme(obj) -> str:
        return obj.scheme.code


class DepartmentRef(Schema):
    code: str
    name: str


class OrganizationRef(Schema):
    public_id: UUID
    name: str


class OrganizationOut(Schema):
    public_id: UUID
    department: DepartmentRef
    kind: str
    name: str
    short_name: str
    english_name: str
    tax_code: str
    phone: str
    email: str
    website: str
    established_on: datetime.date | None
    address_line: str
    province: AdminUnitRef | None
    district: AdminUnitRef | None
    commune: AdminUnitRef | None
    fields: list[StFieldRef]
    updated_at: datetime.datetime


class PersonOut(Schema):
    public_id: UUID
    department: DepartmentRef
    full_name: str
    gender: str
    birth_year: int | None
    citizen_id_masked: str
    academic_title: str
    degree: str
    position: str
    organization: OrganizationRef | None
    is_expert: bool
    email: str
    phone: str
    fields: list[StFieldRef]
    updated_at: datetime.datetime


# Free text in a query string: bounded, and without NUL (which PostgreSQL text cannot hold). The
# pattern is in the OpenAPI document, so a client (or a fuzzer) knows the rule.
QueryText = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]
