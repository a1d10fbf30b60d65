"""The public results database over OAI-PMH (registered in ProjectsConfig.ready).

Records are the results `selectors.public_results()` publishes (certified or stored results of
accepted tasks), identified by their public id: oai:<domain>:result/<public_id>. Sets:

- "result": every record (the source's own set);
- "field", "field:<code>": the S&T field of the result; a parent field holds its sub-fields
  (a result in 101 "Toán học" is in field:101 and field:1), up to three levels;
- "year", "year:<yyyy>": the result's year.

The datestamp is `TaskResult.updated_at`, indexed with the id; the services move it whenever what a
record publishes changes outside the row (registration certified or stored, an application of the
result recorded: `services.results_touch`).
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from opendost.classifications.models import ClassificationNode
from opendost.oaipmh.registry import RecordSource
from opendost.projects import selectors
from opendost.projects.models import TaskResult

RESULT_TYPE = "Kết quả nhiệm vụ KH&CN"
FIELD_DEPTH = 3  # field, parent, grandparent


def public_url(result: TaskResult) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("projects_public:result_detail", args=[result.public_id])


def _field_chain(node: ClassificationNode | None) -> list[ClassificationNode]:
    chain = []
    while node is not None and len(chain) < FIELD_DEPTH:
        chain.append(node)
        node = node.parent if node.parent_id else None
    return chain


def _unique(values) -> list:
    seen, out = set(), []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def _place_names(unit) -> list[str]:
    """A commune and its district (when its parent is a district, not the province)."""
    names = [unit.name]
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.pk != unit.province_id:
        names.append(parent.name)
    return names


class ResultSource(RecordSource):
    prefix = "result"
    set_name = RESULT_TYPE
    datestamp_field = "updated_at"
    identifier_field = "public_id"
    select_related = (
        "department",
        "field__parent__parent",
        "task__host",
        "task__principal_investigator",
        "registration",
    )
    prefetch_related = ("task__places__parent", "applications__place__parent")

    def queryset(self):
        return selectors.public_results()

    def sets(self, obj):
        specs = [f"field:{node.code}" for node in _field_chain(obj.field)]
        return [*specs, f"year:{obj.year}"]

    def set_filter(self, spec):
        kind, _sep, value = spec.partition(":")
        if kind == "field":
            if not value:
                return Q(field__isnull=False)
            # To-one joins only (field, its parent, grandparent): no row is repeated.
            return Q(field__code=value) | Q(field__parent__code=value) | Q(field__parent__parent__code=value)
        if kind == "year":
            if not value:
                return Q()
            return Q(year=int(value)) if value.isdigit() and len(value) == 4 else None
        return None

    def list_sets(self):
        public = self.queryset()
        used = ClassificationNode.objects.filter(pk__in=public.values("field_id")).select_related("parent__parent")
        nodes = {n.code: n.name for node in used for n in _field_chain(node)}
        years = sorted(set(public.order_by().values_list("year", flat=True)), reverse=True)
        return (
            [("field", "Lĩnh vực khoa học và công nghệ")]
            + [(f"field:{code}", name) for code, name in sorted(nodes.items())]
            + [("year", "Năm")]
            + [(f"year:{year}", f"Năm {year}") for year in years]
        )

    def dublin_core(self, obj):
        task = obj.task
        registration = getattr(obj, "registration", None)
        places = [*task.places.all(), *(a.place for a in obj.applications.all() if a.place_id)]
        keywords = [k.strip() for k in obj.keywords.replace(",", ";").split(";")]
        dates = [str(obj.year)]
        if registration is not None:
            dates.append((registration.certificate_issued_on or registration.received_on).isoformat())
        return {
            "title": [(obj.title, "vi")],
            "creator": [task.principal_investigator.full_name] if task.principal_investigator_id else [],
            "subject": _unique([*(n.name for n in _field_chain(obj.field)), *keywords]),
            "description": [(obj.abstract, "vi")],
            "publisher": [obj.department.name],
            "contributor": [task.host.name] if task.host_id else [],
            "date": dates,
            "type": [RESULT_TYPE, obj.get_result_type_display()],
            "identifier": [public_url(obj)],
            "language": ["vi"],
            "coverage": _unique(name for unit in places for name in _place_names(unit)),
        }
