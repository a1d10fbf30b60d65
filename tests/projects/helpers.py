"""Reach any state of a task through the services, as the house rules require."""

import datetime as dt
from dataclasses import dataclass

from opendost.projects import services
from opendost.projects.enums import AcceptanceLevel, AssignmentMode, Classification, FundingSource, TaskLevel

BUDGET = {FundingSource.PROVINCIAL: 800_000_000, FundingSource.COUNTERPART: 200_000_000}


@dataclass
class Flow:
    department: object
    officer: object
    leader: object
    host: object
    pi: object

    def ordered(self, **kwargs):
        values = {
            "actor": self.officer,
            "department": self.department,
            "title": "Ứng dụng công nghệ cao trong sản xuất vải thiều",
            "assignment_mode": AssignmentMode.DIRECT,
            "level": TaskLevel.PROVINCIAL,
        }
        values.update(kwargs)
        return services.task_create(**values)

    def assigned(self, task=None, budget=None, **kwargs):
        task = task or self.ordered(**kwargs)
        return services.task_assign(
            actor=self.leader,
            task=task,
            host=self.host,
            principal_investigator=self.pi,
            start_on=dt.date(2025, 11, 1),
            end_on=dt.date(2027, 10, 31),
            budget=budget or BUDGET,
        )

    def contracted(self, task=None, **kwargs):
        task = task or self.assigned(**kwargs)
        state = services.state_budget_of(task)
        services.contract_sign(
            actor=self.officer,
            task=task,
            number="01/2025/HĐ-KHCN",
            signed_on=dt.date(2025, 11, 5),
            total=state,
            starts_on=dt.date(2025, 11, 1),
            ends_on=dt.date(2027, 10, 31),
            tranches=[
                {"planned_amount": state // 2, "condition": "Ký hợp đồng", "due_on": dt.date(2025, 12, 1)},
                {"planned_amount": state - state // 2, "condition": "Báo cáo giữa kỳ", "due_on": dt.date(2026, 12, 1)},
            ],
        )
        task.refresh_from_db()
        return task

    def in_progress(self, task=None, **kwargs):
        task = task or self.contracted(**kwargs)
        return services.task_start(actor=self.officer, task=task)

    def submitted(self, task=None, **kwargs):
        task = task or self.in_progress(**kwargs)
        return services.task_submit_for_acceptance(actor=self.officer, task=task)

    def accepted(self, task=None, classification=Classification.PASS, **kwargs):
        task = task or self.submitted(**kwargs)
        level = {"provincial": AcceptanceLevel.PROVINCIAL, "national": AcceptanceLevel.NATIONAL}.get(
            task.level, AcceptanceLevel.GRASSROOTS
        )
        services.acceptance_record(
            actor=self.officer, task=task, level=level, classification=classification, council_ref="HĐ 12/QĐ-SKHCN"
        )
        task.refresh_from_db()
        return task

    def result(self, task=None, **kwargs):
        task = task or self.accepted(**kwargs)
        return services.result_add(
            actor=self.officer,
            task=task,
            title="Quy trình thâm canh vải thiều theo tiêu chuẩn VietGAP",
            abstract="Quy trình kỹ thuật thâm canh vải thiều Lục Ngạn đạt năng suất cao.",
            keywords="vải thiều; VietGAP; Lục Ngạn",
            year=2026,
            result_type="process",
        )

    def registration(self, result=None, **kwargs):
        result = result or self.result(**kwargs)
        return services.result_registration_submit(actor=self.officer, result=result)

    def registered(self, task=None, **kwargs):
        registration = self.registration(
            self.result(task, **kwargs) if task is not None else None, **({} if task is not None else kwargs)
        )
        services.result_register(
            actor=self.officer, registration=registration, storage_ref="KQ-2026-01", signer_name="Lê Minh Cường"
        )
        task = registration.result.task
        task.refresh_from_db()
        return task
