from django.tasks import task

from opendost.notifications import services


@task()
def deliver_pending_task() -> int:
    """Enqueued on commit by notify(); delivers due messages (all of them, not only the new ones)."""
    return services.outbox_deliver().claimed
