"""The task list's filters (django-filter): text through the search index (diacritics, đ/Đ and case
ignored, exact-diacritic matches first), status, level, kind, regime, field, start year, host."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opendost.classifications.models import ClassificationNode
from opendost.common.text import normalize
from opendost.projects.enums import Regime, TaskKind, TaskLevel, TaskStatus
from opendost.projects.models import Task
from opendost.search.selectors import search_filter
from opendost.subjects.filters import FieldFilter, StableOrderingFilter, StyledFilterSet, field_choices


class TaskFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Title, code, host or investigator"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices, empty_label=_("All"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=TaskLevel.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TaskKind.choices, empty_label=_("All"))
    regime = django_filters.ChoiceFilter(label=_("Legal regime"), choices=Regime.choices, empty_label=_("All"))
    field = FieldFilter(label=_("S&T field"), queryset=field_choices(), method="in_field", empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Start year"), field_name="start_on", lookup_expr="year")
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("code", "code"), ("title", "title"), ("start_on", "start"), ("status", "status")),
    )

    class Meta:
        model = Task
        fields = ["q", "status", "level", "kind", "regime", "field", "year"]

    def search(self, qs, name, value):
        text = normalize(value)
        if not text:
            return qs
        return search_filter(qs, text)

    def in_field(self, qs, name, value: ClassificationNode):
        return qs.filter(Q(field=value) | Q(field__parent=value))
