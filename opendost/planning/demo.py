"""Demo: the 2021-2025 plan for the Bắc Ninh department, which holds the former Bắc Giang records."""

from opendost.demo.data import BAC_NINH
from opendost.planning import review, seed, services


def load(*, departments, users, organizations) -> str:
    plan = seed.load(department=departments[BAC_NINH])
    review.historic_figures_load(plan=plan)  # the 2016-2020 figures the plan states, for the reconciliation
    services.plan_demo_next(plan=plan)  # the budget's research line counts task spending; the 2026-2030 draft
    return f"plan {plan.code}: {plan.targets.count()} targets, {plan.budget_lines.count()} budget lines"
