"""What a procedure does beyond the generic handling: its extra fields, its checks, its result
document and its effect on a register. Domain apps register one handler per procedure kind in their
AppConfig.ready:

    from opendost.dossiers.handlers import register
    register(LicenceRenewalHandler())

A procedure names its handler by key (`Procedure.handler_key`); "generic" issues a plain result
document and changes no register.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from opendost.documents.structure import Block, BlockStyle, OfficialDocument, Recipients


class ProcedureHandler:
    key = "generic"
    label = _("No register effect")

    def payload_form_class(self, *, user, organization) -> type[forms.Form] | None:
        """A form for the procedure's own fields (e.g. which licence to renew), or None."""
        return None

    def clean_payload(self, payload: dict[str, Any], *, organization, version) -> dict[str, Any]:
        """Check the procedure's fields against the registers; raise ValidationError with field keys."""
        return dict(payload)

    def payload_display(self, dossier) -> list[tuple[str, str]]:
        """(label, value) lines shown on the dossier page."""
        return []

    def result_valid_until(self, dossier, *, issued_on: dt.date) -> dt.date | None:
        return None

    def result_body(self, dossier, *, issued_on: dt.date) -> tuple[Block, ...]:
        return (
            Block(
                f"{dossier.procedure_version.output_name.capitalize()} cho {dossier.applicant_name}"
                + (f", địa chỉ: {dossier.applicant_address}" if dossier.applicant_address else "")
                + f" theo hồ sơ số {dossier.code}.",
                BlockStyle.ITEM,
                lead="Điều 1.",
            ),
        )

    def result_document(self, dossier, *, issued_on: dt.date, signer) -> OfficialDocument:
        version = dossier.procedure_version
        department = dossier.department
        return OfficialDocument(
            issuing_body_parent=department.governing_body,
            issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            place=place_of(department),
            issued_on=issued_on,
            doc_kind=version.output_name.upper(),
            title=f"Cấp cho {dossier.applicant_name}",
            body=(
                Block("GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ", BlockStyle.HEADING),
                *(
                    Block(line.strip() + ";", BlockStyle.BASIS)
                    for line in version.legal_basis.splitlines()
                    if line.strip()
                ),
                Block(f"Xét hồ sơ số {dossier.code} của {dossier.applicant_name}.", BlockStyle.BASIS),
                *self.result_body(dossier, issued_on=issued_on),
            ),
            signer_authority="KT. GIÁM ĐỐC",
            signer_title="PHÓ GIÁM ĐỐC",
            signer_name=signer.get_full_name(),
            recipients=Recipients(to=(dossier.applicant_name,), archive_unit="MC").lines(),
        )

    def apply_result(self, dossier, *, actor, document) -> None:
        """Change the registers once the result is issued (inside the issuing transaction)."""


def place_of(department) -> str:
    """The place name printed on documents: the province's name without its prefix."""
    province = getattr(department, "province", None)
    name = getattr(province, "name", "") or department.name
    for prefix in ("Thành phố ", "Tỉnh ", "tỉnh ", "thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


_registry: dict[str, ProcedureHandler] = {}


def register(handler: ProcedureHandler) -> ProcedureHandler:
    if handler.key in _registry and type(_registry[handler.key]) is not type(handler):
        raise ImproperlyConfigured(f"Two handlers for {handler.key!r}")
    _registry[handler.key] = handler
    return handler


def handler_for(key: str) -> ProcedureHandler:
    try:
        return _registry[key]
    except KeyError:
        raise ImproperlyConfigured(f"No procedure handler {key!r} is registered") from None


def handler_choices() -> list[tuple[str, str]]:
    return [(key, str(h.label)) for key, h in sorted(_registry.items())]


register(ProcedureHandler())
