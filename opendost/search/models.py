"""The search index: one row per indexed record, kept in step by `services.search_index()`.

The full-text index itself lives outside the ORM because each database does it differently
(docs/adr/0014-search.md): on SQLite an FTS5 table `search_fts` with `folded` as external content,
kept in step by triggers; on PostgreSQL a stored `folded_tsv` tsvector column with a GIN index.
Both are created by migration 0002 for the database in use.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    content_type = models.ForeignKey(ContentType, models.CASCADE, related_name="+", verbose_name=_("type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    department = models.ForeignKey(
        "departments.Department",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Empty for records every user may find (shared reference data)."),
    )
    title = models.TextField(_("title"))
    body = models.TextField(_("body"), blank=True)
    # Lower-case NFC with new-style tone placement and punctuation as spaces: "exact" matches.
    title_exact = models.TextField(editable=False)
    # Folded ASCII words of title and body, separated by one space: what the full-text index holds.
    folded = models.TextField(editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="searchdocument_unique_object"),
        ]
        indexes = [models.Index(fields=["content_type", "department"], name="searchdocument_type_dept")]

    def __str__(self) -> str:
        return self.title
