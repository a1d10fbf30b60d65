import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opendost.calendars import selectors, services
from opendost.calendars.forms import CalendarOverrideForm
from opendost.calendars.models import CalendarOverride

VIEW_PERMISSION = "calendars.view_calendaroverride"
TEMPLATE = "calendars/calendar_year.html"


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise Http404


def _require_change(request: HttpRequest) -> None:
    _require_view(request)
    if not services.can_change_calendar(request.user):
        raise PermissionDenied


def _checked_year(year: int) -> int:
    if not selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR:
        raise Http404
    return year


def _render(request: HttpRequest, *, year: int, form: CalendarOverrideForm | None) -> HttpResponse:
    can_change = services.can_change_calendar(request.user)
    if can_change and form is None:
        form = CalendarOverrideForm()
    context = {
        "year": year,
        "days": selectors.calendar_year_days(year=year),
        "summary": selectors.calendar_year_summary(year=year),
        "can_change": can_change,
        "form": form,
    }
    template = f"{TEMPLATE}#calendar-panel" if request.htmx else TEMPLATE
    return render(request, template, context)


def calendar_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    _require_view(request)
    year = _checked_year(year or timezone.localdate().year)
    return _render(request, year=year, form=None)


@require_POST
def override_set(request: HttpRequest) -> HttpResponse:
    _require_change(request)
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.calendar_override_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            day = form.cleaned_data["date"]
            messages.success(request, _("The calendar of %(date)s was saved.") % {"date": f"{day:%d/%m/%Y}"})
            if request.htmx:
                return _render(request, year=day.year, form=None)
            return redirect("calendars:year", year=day.year)
    try:
        year = _checked_year(int(request.POST.get("year", "")))
    except (ValueError, Http404):
        year = timezone.localdate().year
    return _render(request, year=year, form=form)


@require_POST
def override_remove(request: HttpRequest, day: str) -> HttpResponse:
    _require_change(request)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    override = get_object_or_404(CalendarOverride, date=date)
    services.calendar_override_remove(actor=request.user, date=override.date)
    messages.success(request, _("The override of %(date)s was removed.") % {"date": f"{date:%d/%m/%Y}"})
    if request.htmx:
        return _render(request, year=date.year, form=None)
    return redirect("calendars:year", year=date.year)
