"""The append-only audit trail (docs/adr/0012-audit-trail.md).

Rows are only ever inserted, by `services.audit_record`. Database triggers (migration 0002) refuse
UPDATE and DELETE; each row carries the hash of its predecessor, so an edit or a deletion made by
someone who disabled the triggers is found by `manage.py audit_verify`.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.audit.enums import AuditAction
from opendost.audit.hashing import GENESIS_HASH


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, obj) -> "AuditEventQuerySet":
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,  # users who acted are deactivated, never deleted
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        editable=False,
    )
    actor_label = models.CharField(_("actor name"), max_length=255, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction, editable=False)
    content_type = models.ForeignKey(
        ContentType, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True, editable=False)
    object_repr = models.CharField(_("record"), max_length=255, blank=True, editable=False)
    department = models.ForeignKey(
        "departments.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        editable=False,
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, editable=False)
    before = models.JSONField(_("before"), null=True, blank=True, editable=False)
    after = models.JSONField(_("after"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True, editable=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "seq"], name="audit_event_object_idx"),
            models.Index(fields=["occurred_at"], name="audit_event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """One row: the last sequence number and hash. A deleted tail no longer matches it.

    It lives in the same database, so someone who can delete rows can also move it back; the
    external anchor written by `audit_verify --anchor` covers that case.
    """

    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.last_seq}:{self.last_hash[:12]}"
