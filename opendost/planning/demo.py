"""Demo: the 2021-2025 plan for the Bắc Ninh department, which holds the former Bắc Giang records."""

from opendost.demo.data import BAC_NINH
from opendost.planning import seed


def load(*, departments, users, organizations) -> str:
    plan = seed.load(department=departments[BAC_NINH])
    return f"plan {plan.code}: {plan.targets.count()} targets, {plan.budget_lines.count()} budget lines"
