"""The log of every status change made by `services.transition_apply`."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TransitionLogQuerySet(models.QuerySet["TransitionLog"]):
    def for_object(self, obj) -> "TransitionLogQuerySet":
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class TransitionLog(models.Model):
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+", verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    name = models.CharField(_("transition"), max_length=50)
    from_state = models.CharField(_("from"), max_length=50)
    to_state = models.CharField(_("to"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("actor")
    )
    at = models.DateTimeField(_("time"))
    note = models.TextField(_("note"), blank=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="workflow_log_object_idx")]

    def __str__(self) -> str:
        return f"{self.name}: {self.from_state} → {self.to_state}"
