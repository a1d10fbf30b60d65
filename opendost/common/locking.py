"""Optimistic locking: a `version` column checked on every save (R-15, reliability note A4.4).

A form carries the version it was shown with (and a signed fingerprint of the values it started
from). The service saves with `save_with_version`, a conditional UPDATE on that version; a row count
of 0 means someone saved in between, so nothing is written and `EditConflict` tells the view what the
other person changed. Works the same on SQLite and PostgreSQL.
"""

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_SALT = "opendost.common.locking.original"
VERSION_FIELDS = ("version", "original")  # the hidden fields VersionedFormMixin adds


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class EditConflict(Exception):
    """Someone saved the record after the user opened it.

    `current` holds the database values of the saved fields, `changed_fields` the fields whose value
    differs from what the user started from (or, without that, from what the user is saving),
    `saved_at` the other save's time when the model has `updated_at`.
    """

    def __init__(
        self,
        *,
        instance,
        current: dict[str, Any],
        changed_fields: list[str] | None,
        current_version: int,
        saved_at: dt.datetime | None,
    ):
        self.instance = instance
        self.current = current
        self.changed_fields = changed_fields
        self.current_version = current_version
        self.saved_at = saved_at
        super().__init__(self.message)

    @property
    def changed_labels(self) -> list[str]:
        labels = []
        for name in self.changed_fields or ():
            try:
                labels.append(str(type(self.instance)._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                labels.append(name)
        return labels

    @property
    def message(self) -> str:
        when = timezone.localtime(self.saved_at).strftime("%H:%M %d/%m/%Y") if self.saved_at else "?"
        if self.changed_fields is None:
            text = _("Someone else saved this record at %(time)s.") % {"time": when}
        elif not self.changed_fields:
            text = _("Someone else saved this record at %(time)s, without changing the fields on this form.") % {
                "time": when
            }
        else:
            text = _("Someone else saved this record at %(time)s: these fields changed: %(fields)s.") % {
                "time": when,
                "fields": ", ".join(self.changed_labels),
            }
        return text + " " + _("Your input is kept below: check it against theirs and save again to replace it.")


def fingerprints(instance: models.Model, fields: Iterable[str]) -> dict[str, str]:
    """A short hash of each field's value: enough to tell what changed, without carrying the values
    (a citizen ID stays out of the page's hidden fields)."""
    result = {}
    for name in fields:
        field = type(instance)._meta.get_field(name)
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
        else:
            value = getattr(instance, field.attname)
        result[name] = hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:16]
    return result


def save_with_version(
    instance: models.Model,
    *,
    expected_version: int,
    fields: Iterable[str],
    actor,
    original: dict[str, str] | None = None,
) -> None:
    """Write `fields` (concrete fields; set many-to-many after) only if the row is still at
    `expected_version`, and bump the version. `original` is the `fingerprints` the form started from.

    `actor` is stored in `updated_by` when the model has one. Raises EditConflict, writing nothing.
    """
    model = type(instance)
    names = [n for n in fields if not model._meta.get_field(n).many_to_many]
    values = {model._meta.get_field(n).attname: getattr(instance, model._meta.get_field(n).attname) for n in names}
    now = timezone.now()
    if _has(model, "updated_at"):
        values["updated_at"] = now
    if _has(model, "updated_by") and actor is not None and getattr(actor, "is_authenticated", False):
        values["updated_by"] = actor
    saved = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
        **values, version=F("version") + 1
    )
    if saved != 1:
        raise conflict_for(instance, fields=fields, original=original)
    instance.version = expected_version + 1
    if "updated_at" in values:
        instance.updated_at = now


def conflict_for(instance: models.Model, *, fields: Iterable[str], original: dict[str, str] | None) -> EditConflict:
    """The EditConflict describing the row as it is now in the database.

    Which fields the other person changed is known only from the fingerprints the user's form started
    from (`original`); without them `changed_fields` is None and the message names no field.
    """
    model = type(instance)
    fields = [name for name in fields if model._meta.get_field(name).editable]
    current = model._base_manager.get(pk=instance.pk)
    changed = None
    if original:
        now_prints = fingerprints(current, fields)
        changed = [name for name in fields if name in original and original[name] != now_prints[name]]
    return EditConflict(
        instance=instance,
        current={name: getattr(current, name) for name in fields if not model._meta.get_field(name).many_to_many},
        changed_fields=changed,
        current_version=current.version,
        saved_at=getattr(current, "updated_at", None),
    )


def _has(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class VersionedFormMixin:
    """Adds hidden `version` and `original` fields to a form editing a VersionedModel.

    Mix into a Form or a ModelForm and pass `instance=`. `versioned_fields` lists the fields compared
    on a conflict (default: the form's own fields that are model fields). After `show_conflict(exc)`
    the form keeps the user's input and is re-armed with the current version, so saving again
    overwrites the other person's values knowingly.
    """

    versioned_fields: Iterable[str] | None = None

    def __init__(self, *args, **kwargs):
        if not isinstance(self, forms.BaseModelForm):
            self.instance = kwargs.pop("instance", None)
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
        self.fields["original"] = forms.CharField(widget=forms.HiddenInput, required=False)
        target = getattr(self, "instance", None)
        if target is not None and target.pk:
            self.initial.setdefault("version", target.version)
            self.initial.setdefault("original", self._sign(target))

    def _tracked(self, instance) -> list[str]:
        if self.versioned_fields is not None:
            return list(self.versioned_fields)
        return [name for name in self.fields if name not in {"version", "original"} and _has(type(instance), name)]

    def _sign(self, instance) -> str:
        return signing.dumps(fingerprints(instance, self._tracked(instance)), salt=_SALT, compress=True)

    def data_without_version(self) -> dict:
        """cleaned_data without the hidden version fields, ready for a service's keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k not in VERSION_FIELDS}

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def started_from(self) -> dict[str, str] | None:
        """The fingerprints the user's page started from, or None when absent or tampered with."""
        token = self.cleaned_data.get("original") or ""
        try:
            return signing.loads(token, salt=_SALT) if token else None
        except signing.BadSignature:
            return None

    def show_conflict(self, conflict: EditConflict) -> None:
        self.add_error(None, conflict.message)
        data = self.data.copy()
        data[self.add_prefix("version")] = conflict.current_version
        current = type(conflict.instance)._base_manager.get(pk=conflict.instance.pk)
        data[self.add_prefix("original")] = self._sign(current)
        self.data = data
