"""The minutes are an official document: numbered, rendered to .docx/PDF, with the outcome per item."""

import io

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.councils import services
from opendost.councils.enums import MemberRole
from tests.councils.factories import build_council, full_scores, to_scoring

pytestmark = pytest.mark.django_db


def _closed_acceptance(officer):
    built = build_council(officer, items=("Nghiên cứu giống vải thiều chín sớm",))
    council = to_scoring(built, officer)
    services.member_attendance_set(actor=officer, member=built.members[-1], is_present=False)
    votes = ["excellent", "excellent", "excellent", "excellent", "excellent", "pass"]
    for member, vote in zip(built.members[:-1], votes, strict=True):
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote=vote
        )
    services.council_close(actor=officer, council=council)
    return built


@time_machine.travel("2026-03-10 10:00 +07:00", tick=False)
def test_minutes_are_issued_as_an_official_document_with_the_outcome(officer):
    built = _closed_acceptance(officer)
    council = built.council

    document = services.minutes_issue(actor=officer, council=council)

    council.refresh_from_db()
    assert council.minutes_document == document
    assert document.doc_kind == "BIÊN BẢN" and document.number_symbol == "01/BB-SKHCN"
    assert document.subject == council
    with document.docx.open("rb") as handle:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(handle.read())).paragraphs)
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in text
    chair = built.members[0].person.full_name
    assert chair in text and "Chủ tịch Hội đồng – có mặt" in text
    assert f"{built.members[-1].person.full_name} – Ủy viên – vắng mặt" in text
    assert "Số thành viên có mặt: 6/7 (tối thiểu 5" in text
    assert "Nghiên cứu giống vải thiều chín sớm: Xuất sắc." in text
    assert "5 phiếu Xuất sắc, 1 phiếu Đạt, 0 phiếu Không đạt" in text
    assert "SP1 30,00" in text


@time_machine.travel("2026-03-10 10:00 +07:00", tick=False)
def test_minutes_only_once_and_only_for_a_closed_council(officer, outsider, inspector):
    built = build_council(officer, rules="definition_vote", roles=[MemberRole.CHAIR])
    with pytest.raises(ValidationError):
        services.minutes_issue(actor=officer, council=built.council)
    built = _closed_acceptance(officer)
    for user in (outsider, inspector):
        with pytest.raises(PermissionDenied):
            services.minutes_issue(actor=user, council=built.council)
    services.minutes_issue(actor=officer, council=built.council)
    with pytest.raises(ValidationError) as exc:
        services.minutes_issue(actor=officer, council=built.council)
    assert exc.value.code == "already_issued"
