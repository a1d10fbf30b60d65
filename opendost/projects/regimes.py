"""The two versions of the S&T task procedure (domain-procedures §0.1, §5.1, §6, §20).

A procedure version is data: its legal basis, the day it took effect, the names of the steps where
they differ from the other version, and the statutory clock of the registration certificate. Every
task, round and call stores the regime it started under (`regime_on(date)` picks it) and keeps it.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from opendost.calendars.enums import DeadlineUnit
from opendost.calendars.workdays import DeadlineRule
from opendost.projects.enums import Regime, TaskStatus


@dataclass(frozen=True)
class ProcedureVersion:
    regime: str
    effective_from: dt.date | None
    legal_basis: tuple[str, ...]
    # 5 working days from a complete dossier (TTHC 1.004473, TT 14/2014 as amended by TT 11/2023).
    certificate_rule: DeadlineRule = field(default_factory=lambda: DeadlineRule(DeadlineUnit.WORKING, 5))
    # The host registers its results within 30 days after the final acceptance (TT 14/2014).
    registration_days_after_acceptance: int = 30
    state_labels: dict[str, object] = field(default_factory=dict)


LAW_2025_EFFECTIVE = dt.date(2025, 10, 1)

VERSIONS = {
    Regime.LAW_2013: ProcedureVersion(
        regime=Regime.LAW_2013,
        effective_from=None,
        legal_basis=(
            "Luật Khoa học và Công nghệ số 29/2013/QH13",
            "Nghị định số 08/2014/NĐ-CP",
            "Thông tư số 07/2014/TT-BKHCN, 10/2014/TT-BKHCN, 11/2014/TT-BKHCN, 04/2015/TT-BKHCN",
            "Thông tư số 14/2014/TT-BKHCN (sửa đổi bởi Thông tư số 11/2023/TT-BKHCN)",
        ),
    ),
    Regime.LAW_2025: ProcedureVersion(
        regime=Regime.LAW_2025,
        effective_from=LAW_2025_EFFECTIVE,
        legal_basis=(
            "Luật Khoa học, Công nghệ và Đổi mới sáng tạo số 93/2025/QH15",
            "Nghị định số 267/2025/NĐ-CP",
            "Thông tư số 36/2025/TT-BKHCN",
            "Nghị định số 262/2025/NĐ-CP (thông tin, thống kê)",
        ),
        # Task formation under Law 93/2025 is by grant (tài trợ) or order (đặt hàng); acceptance is
        # called "evaluation and acceptance" (đánh giá, nghiệm thu).
        state_labels={
            TaskStatus.ORDERED: _("Ordered or granted"),
            TaskStatus.SELECTING: _("Selecting the host (grant or order)"),
            TaskStatus.SUBMITTED_FOR_ACCEPTANCE: _("Submitted for evaluation and acceptance"),
            TaskStatus.ACCEPTED: _("Evaluated and accepted"),
            TaskStatus.FAILED: _("Not accepted at evaluation"),
        },
    ),
}


def regime_on(day: dt.date) -> str:
    """The regime in force on `day` (the newest whose effective date has come)."""
    return Regime.LAW_2025 if day >= LAW_2025_EFFECTIVE else Regime.LAW_2013


def version_of(regime: str) -> ProcedureVersion:
    return VERSIONS[Regime(regime)]


def state_label(regime: str, state: str) -> str:
    """The name of a task state under `regime` (the 2025 law renamed some steps)."""
    label = version_of(regime).state_labels.get(TaskStatus(state))
    return str(label if label is not None else TaskStatus(state).label)
