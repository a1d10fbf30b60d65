"""Search specs of S&T tasks and their results (opendost.search): the services keep the documents
in step (`search_index` after every write of a task or a result)."""

from django.urls import reverse

from opendost.search.registry import SearchSpec, register


def result_body(result) -> str:
    """What finds a result besides its title: abstract, keywords, field, host, investigator, year,
    task code and the places where it was applied (old district names included)."""
    task = result.task
    parts = [
        result.abstract,
        result.keywords,
        str(result.field) if result.field_id else "",
        task.code,
        task.title,
        task.host.name if task.host_id else "",
        task.principal_investigator.full_name if task.principal_investigator_id else "",
        str(result.year),
    ]
    parts += [unit.name for unit in task.places.all()]
    return " ".join(p for p in parts if p)


def task_body(task) -> str:
    parts = [
        task.code,
        task.host.name if task.host_id else "",
        task.principal_investigator.full_name if task.principal_investigator_id else "",
        str(task.field) if task.field_id else "",
    ]
    return " ".join(p for p in parts if p)


def register_specs() -> None:
    from opendost.projects.models import Task, TaskResult

    register(
        SearchSpec(
            Task,
            title=lambda t: t.title,
            body=task_body,
            department=lambda t: t.department_id,
            queryset=lambda: Task.objects.select_related("host", "principal_investigator", "field"),
            url=lambda t: reverse("projects:task_detail", args=[t.public_id]),
        )
    )
    register(
        SearchSpec(
            TaskResult,
            title=lambda r: r.title,
            body=result_body,
            department=lambda r: r.department_id,
            queryset=lambda: TaskResult.objects.select_related(
                "field", "task__host", "task__principal_investigator"
            ).prefetch_related("task__places"),
            url=lambda r: reverse("projects:task_detail", args=[r.task.public_id]) + "#results",
        )
    )
