"""List filters and sorting of the register (django-filter).

Text search goes through the search index (opendost.search): diacritics, đ/Đ, case, NFC/NFD and
tone placement are ignored, so "hoa binh", "Hòa Bình" and "HOÀ BÌNH" find the same rows; among them,
rows whose name contains the query exactly as typed come first when no other sort order is asked
for (DESIGN rule 8).
"""

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opendost.classifications.models import ClassificationNode
from opendost.common.text import normalize
from opendost.geography.enums import CodeSet
from opendost.geography.models import AdminUnit, AdminUnitSuccession
from opendost.search.selectors import search_condition, search_exact_first, search_filter
from opendost.subjects.enums import Degree, OrganizationKind
from opendost.subjects.models import Organization, Person


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        if obj.code_set == CodeSet.PRE_2025:
            return _("%(name)s (before 1 July 2025)") % {"name": obj.name}
        return obj.name


def field_choices():
    """S&T fields for selects: the newest scheme first, so records are tagged with the one in force;
    older schemes stay selectable for records tagged under them."""
    return ClassificationNode.objects.select_related("scheme").order_by(
        F("scheme__effective_from").desc(nulls_last=True), "scheme__code", "code"
    )


def field_label(node: ClassificationNode) -> str:
    return f"{node.code} {node.name} ({node.scheme.code})"


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ClassificationNode) -> str:
        return field_label(obj)


class FieldFilter(django_filters.ModelChoiceFilter):
    field_class = FieldChoiceField


class ProvinceFilter(django_filters.ModelChoiceFilter):
    field_class = ProvinceChoiceField


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class StableOrderingFilter(django_filters.OrderingFilter):
    """Whitelisted sort columns (`?o=name`, `?o=-name`), always ending on the primary key so that
    pages never overlap or skip rows."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*[self.get_ordering_value(param) for param in value], "pk")


def _node_and_children(node: ClassificationNode) -> Q:
    return Q(pk=node.pk) | Q(parent_id=node.pk)


class OrganizationFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or tax code"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("All"))
    province = ProvinceFilter(
        label=_("Province"),
        queryset=AdminUnit.objects.provinces().order_by("code_set", "name"),
        method="in_province",
        empty_label=_("All"),
    )
    field = FieldFilter(
        label=_("S&T field"),
        queryset=field_choices(),
        method="in_field",
        empty_label=_("All"),
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name_folded", "name"),
            ("tax_code", "tax_code"),
            ("kind", "kind"),
            ("province__name", "province"),
            ("created_at", "created_at"),
        ),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "province", "field"]

    def search(self, qs, name, value):
        text = normalize(value)
        if not text:
            return qs
        # The search index holds names, tax code, address and contacts' names (opendost.search).
        return search_filter(qs, text)

    def in_province(self, qs, name, value):
        """A current province also finds the records addressed in the pre-2025 provinces merged into
        it (DESIGN rule 4)."""
        older = AdminUnitSuccession.objects.filter(new_unit=value).values("old_unit_id")
        return qs.filter(Q(province=value) | Q(province__in=older))

    def in_field(self, qs, name, value):
        tagged = Organization.fields.through.objects.filter(
            classificationnode__in=ClassificationNode.objects.filter(_node_and_children(value))
        ).values("organization_id")
        return qs.filter(pk__in=tagged)


class PersonFilter(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or citizen ID"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    is_expert = django_filters.BooleanFilter(
        label=_("Expert register"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Experts only")), ("false", _("Not experts"))]),
    )
    degree = django_filters.ChoiceFilter(
        label=_("Degree"), choices=[c for c in Degree.choices if c[0]], empty_label=_("All")
    )
    field = FieldFilter(
        label=_("S&T field"),
        queryset=field_choices(),
        method="in_field",
        empty_label=_("All"),
    )
    o = StableOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name_folded", "name"),
            ("birth_year", "birth_year"),
            ("degree", "degree"),
            ("organization__name_folded", "organization"),
            ("created_at", "created_at"),
        ),
    )

    class Meta:
        model = Person
        fields = ["q", "is_expert", "degree", "field"]

    def search(self, qs, name, value):
        """Names match folded; a citizen ID only as the whole 12 digits (it is never shown, so a
        partial match would let a user guess it digit by digit)."""
        text = normalize(value)
        if not text:
            return qs
        compact = text.replace(" ", "").replace(".", "")
        condition = search_condition(Person, text) or Q(pk__in=[])
        if compact.isdigit() and len(compact) == 12:
            condition |= Q(citizen_id=compact)
        return search_exact_first(qs.filter(condition), text)

    def in_field(self, qs, name, value):
        tagged = Person.fields.through.objects.filter(
            classificationnode__in=ClassificationNode.objects.filter(_node_and_children(value))
        ).values("person_id")
        return qs.filter(pk__in=tagged)
