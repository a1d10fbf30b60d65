"""Staff pages over administrative units: dependent <option> lists for address forms, and a browser."""

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from opendost.geography import selectors
from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit

BROWSE_PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def unit_options(request: HttpRequest) -> HttpResponse:
    """<option> elements for a dependent select (htmx).

    `level` is the level wanted; the parent is `parent=<id>`, or the value of the select that fired
    the request (`district=<id>` or `province=<id>`, as sent by `hx-include`). Without a parent only
    provinces can be listed, of `code_set` (default: the current set). `selected=<id>` preselects.
    """
    level = request.GET.get("level", "")
    if level not in AdminLevel.values:
        return HttpResponseBadRequest(_("Unknown level of administrative unit."), content_type="text/plain")
    parent_id = next(
        (v for v in (_int_or_none(request.GET.get(k)) for k in ("parent", "district", "province")) if v is not None),
        None,
    )
    if parent_id is not None:
        parent = AdminUnit.objects.filter(pk=parent_id).only("code_set").first()
        units = (
            selectors.units_for_select(code_set=parent.code_set, level=level, parent=parent_id)
            if parent is not None
            else AdminUnit.objects.none()
        )
    elif level == AdminLevel.PROVINCE:
        code_set = request.GET.get("code_set") or CodeSet.CURRENT
        if code_set not in CodeSet.values:
            return HttpResponseBadRequest(_("Unknown code set."), content_type="text/plain")
        units = selectors.units_for_select(code_set=code_set, level=level)
    else:
        units = AdminUnit.objects.none()
    context = {
        "units": units.only("pk", "name"),
        "selected": _int_or_none(request.GET.get("selected")),
        "level": AdminLevel(level),
    }
    return render(request, "geography/unit_options.html", context)


def unit_list(request: HttpRequest) -> HttpResponse:
    code_set = request.GET.get("code_set", "")
    level = request.GET.get("level", "")
    q = request.GET.get("q", "")
    units = selectors.unit_list(
        code_set=code_set if code_set in CodeSet.values else None,
        level=level if level in AdminLevel.values else None,
        parent_id=_int_or_none(request.GET.get("parent")),
        q=q,
    ).select_related("province")
    offset = max(_int_or_none(request.GET.get("offset")) or 0, 0)
    page = list(units[offset : offset + BROWSE_PAGE_SIZE + 1])
    query = request.GET.copy()
    query.pop("offset", None)
    context = {
        "units": page[:BROWSE_PAGE_SIZE],
        "has_next": len(page) > BROWSE_PAGE_SIZE,
        "next_offset": offset + BROWSE_PAGE_SIZE,
        "prev_offset": max(offset - BROWSE_PAGE_SIZE, 0) if offset else None,
        "query": query.urlencode(),
        "code_sets": CodeSet.choices,
        "levels": AdminLevel.choices,
        "filters": {"code_set": code_set, "level": level, "q": q},
    }
    return render(request, "geography/unit_list.html", context)


def unit_detail(request: HttpRequest, code_set: str, level: str, code: str) -> HttpResponse:
    unit = get_object_or_404(
        AdminUnit.objects.select_related("parent", "province"), code_set=code_set, level=level, code=code
    )
    context = {
        "unit": unit,
        "successions": selectors.successions_of(unit),
        "predecessions": selectors.predecessions_of(unit),
        "current_units": selectors.current_units_for(unit) if not unit.is_current else None,
        "children_count": unit.children.count(),
    }
    return render(request, "geography/unit_detail.html", context)
