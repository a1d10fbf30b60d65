"""Council pages: officers form and run councils; members declare conflicts and score.

Officer pages need `councils.view_council` and answer 404 for another jurisdiction's council. Member
pages ("My councils") are reached through the user's own seat: a council they do not sit on, or an
item not assigned to them, is a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendost.accounts.models import User
from opendost.common.pagination import paginate
from opendost.councils import selectors, services
from opendost.councils.enums import CouncilStatus
from opendost.councils.forms import (
    AssignmentForm,
    ConflictForm,
    CouncilFilterForm,
    CouncilForm,
    CriterionForm,
    ItemForm,
    MemberForm,
    ScoreSheetForm,
)
from opendost.councils.permissions import can, can_manage_council, can_record_for
from opendost.subjects.selectors import person_choices_for
from opendost.workflow.selectors import available_transitions


def _add_errors(form, exc: ValidationError) -> None:
    """Service errors go next to their field; errors about fields not on the form go on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _flash(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# OFFICERS -------------------------------------------------------------------------------------------
def _council_or_404(request: HttpRequest, public_id):
    if not request.user.has_perm("councils.view_council"):
        raise Http404
    return selectors.council_get_for(request.user, public_id)


def _managed_or_404(request: HttpRequest, public_id):
    council = _council_or_404(request, public_id)
    if not can_manage_council(request.user, council):
        raise PermissionDenied
    return council


@require_GET
@permission_required("councils.view_council", raise_exception=True)
def council_list(request: HttpRequest) -> HttpResponse:
    filters = CouncilFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = paginate(
        selectors.council_list_for(request.user, cleaned), request.GET.get("page"), settings.OPENDOST_PAGE_SIZE
    )
    context = {
        "filter_form": filters,
        "page": page,
        "can_add": can(request.user, "councils.add_council", request.user.department_id),
    }
    return render(request, "councils/council_list.html", context)


@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest) -> HttpResponse:
    department = request.user.department
    if department is None or not can(request.user, "councils.add_council", department.pk):
        raise PermissionDenied
    form = CouncilForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            council = services.council_create(actor=request.user, department=department, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Council formed. Add its members and items."))
            return redirect(council)
    return render(request, "councils/council_form.html", {"form": form, "council": None})


@require_http_methods(["GET", "POST"])
def council_edit(request: HttpRequest, public_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    form = CouncilForm(request.POST or None, instance=council)
    form.fields["purpose"].disabled = True
    if form.is_bound and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        changes["rules_version"] = changes.get("rules_version") or council.rules_version
        try:
            council = services.council_update(actor=request.user, council=council, **changes)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Council saved."))
            return redirect(council)
    return render(request, "councils/council_form.html", {"form": form, "council": council})


def _member_form(request: HttpRequest, council, data=None) -> MemberForm:
    people = (
        person_choices_for(request.user)
        .filter(is_expert=True, department_id__in=council.department.jurisdiction_ids())
        .select_related("organization")
    )
    users = User.objects.visible_to(request.user).filter(is_active=True).order_by("full_name", "username")
    return MemberForm(data, people=people, users=users, prefix="member")


def _render_detail(request: HttpRequest, council, *, member_form=None, item_form=None, criterion_form=None):
    tally = selectors.council_tally(council)
    can_manage = can_manage_council(request.user, council)
    forming = council.status == CouncilStatus.FORMING
    context = {
        "council": council,
        "rule_set": tally.rule_set,
        "members": tally.members,
        "items": tally.items,
        "criteria": selectors.criteria_of(council),
        "matrix": selectors.sheet_matrix(tally),
        "missing": tally.missing,
        "quorum": selectors.council_quorum(council, tally.members),
        "outcome": selectors.council_outcome(council, tally),
        "transitions": available_transitions(council, request.user),
        "can_manage": can_manage,
        "can_attend": (can_manage or can(request.user, "councils.record_scores", council))
        and council.status in (CouncilStatus.CONVENED, CouncilStatus.SCORING),
        "can_issue_minutes": can(request.user, "councils.issue_minutes", council)
        and council.status == CouncilStatus.CLOSED
        and council.minutes_document_id is None,
        "forming": forming,
        "items_open": council.status in (CouncilStatus.FORMING, CouncilStatus.CONVENED),
    }
    if can_manage and forming:
        context["member_form"] = member_form or _member_form(request, council)
        context["criterion_form"] = criterion_form or CriterionForm(prefix="criterion")
    if can_manage and context["items_open"]:
        context["item_form"] = item_form or ItemForm(prefix="item")
    status = 200 if not any(f is not None and f.errors for f in (member_form, item_form, criterion_form)) else 422
    return render(request, "councils/council_detail.html", context, status=status)


@require_GET
def council_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, _council_or_404(request, public_id))


@require_POST
def council_transition(request: HttpRequest, public_id) -> HttpResponse:
    council = _council_or_404(request, public_id)
    name = request.POST.get("transition", "")
    try:
        services.council_transition(actor=request.user, council=council, name=name, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Council status changed."))
    return redirect(council)


@require_POST
def member_add(request: HttpRequest, public_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    form = _member_form(request, council, data=request.POST)
    if form.is_valid():
        try:
            services.member_add(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect(council)
    return _render_detail(request, council, member_form=form)


@require_POST
def member_remove(request: HttpRequest, public_id, member_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    member = selectors.member_get(council, member_id)
    try:
        services.member_remove(actor=request.user, member=member)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Member removed."))
    return redirect(council)


@require_POST
def member_attendance(request: HttpRequest, public_id, member_id) -> HttpResponse:
    council = _council_or_404(request, public_id)
    member = selectors.member_get(council, member_id)
    try:
        services.member_attendance_set(
            actor=request.user, member=member, is_present=request.POST.get("is_present") == "yes"
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect(council)


@require_http_methods(["GET", "POST"])
def member_assign(request: HttpRequest, public_id, member_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    member = selectors.member_get(council, member_id)
    items = council.items.order_by("position", "pk")
    initial = {"items": list(member.assignments.values_list("item_id", flat=True))}
    form = AssignmentForm(request.POST or None, items=items, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.assign(actor=request.user, member=member, items=form.cleaned_data["items"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Assignments saved."))
            return redirect(council)
    return render(request, "councils/member_assign.html", {"council": council, "member": member, "form": form})


@require_POST
def item_add(request: HttpRequest, public_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    form = ItemForm(request.POST, prefix="item")
    if form.is_valid():
        try:
            services.item_add(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Item added."))
            return redirect(council)
    return _render_detail(request, council, item_form=form)


@require_POST
def item_remove(request: HttpRequest, public_id, item_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    item = selectors.item_get(council, item_id)
    try:
        services.item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Item removed."))
    return redirect(council)


@require_POST
def criterion_add(request: HttpRequest, public_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    form = CriterionForm(request.POST, prefix="criterion")
    if form.is_valid():
        try:
            services.criterion_add(actor=request.user, council=council, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Criterion added."))
            return redirect(council)
    return _render_detail(request, council, criterion_form=form)


@require_POST
def criterion_remove(request: HttpRequest, public_id, code: str) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    criterion = council.criteria.filter(code=code).first()
    if criterion is None:
        raise Http404
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("Criterion removed."))
    return redirect(council)


@require_POST
def criteria_template(request: HttpRequest, public_id) -> HttpResponse:
    council = _managed_or_404(request, public_id)
    try:
        added = services.criteria_apply_template(actor=request.user, council=council)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("%(count)s template criteria added.") % {"count": added})
    return redirect(council)


@require_POST
def minutes_issue(request: HttpRequest, public_id) -> HttpResponse:
    council = _council_or_404(request, public_id)
    try:
        document = services.minutes_issue(actor=request.user, council=council)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect(council)
    messages.success(request, _("Minutes issued as %(number)s.") % {"number": document.number_symbol})
    return redirect(council)


# COUNCIL MEMBERS ------------------------------------------------------------------------------------
@require_GET
def my_council_list(request: HttpRequest) -> HttpResponse:
    seats = list(selectors.my_seats(request.user)[:200])
    return render(request, "councils/my_council_list.html", {"seats": seats})


@require_GET
def my_council(request: HttpRequest, public_id) -> HttpResponse:
    seat = selectors.my_seat_get(request.user, public_id)
    context = {"seat": seat, "council": seat.council, "rows": selectors.my_items(seat)}
    return render(request, "councils/my_council.html", context)


def _sheet_form(seat, data=None, sheet=None) -> ScoreSheetForm:
    rule_set = seat.council.rule_set
    initial = {}
    if sheet is not None:
        initial = {f"score_{s.criterion.code}": s.value for s in sheet.scores.all()}
        initial.update(vote=sheet.vote, comment=sheet.comment)
    return ScoreSheetForm(
        data,
        criteria=selectors.criteria_of(seat.council),
        vote_choices=rule_set.vote_choices,
        initial=initial,
        prefix="sheet",
    )


def _render_my_item(request, seat, item, *, conflict_form=None, sheet_form=None, status=200) -> HttpResponse:
    conflict = selectors.my_conflict(seat, item)
    sheet = selectors.my_sheet(seat, item)
    council = seat.council
    open_states = (CouncilStatus.FORMING, CouncilStatus.CONVENED, CouncilStatus.SCORING)
    initial = {
        "has_conflict": "yes" if conflict and conflict.has_conflict else "no",
        "note": conflict.note if conflict else "",
    }
    context = {
        "seat": seat,
        "council": council,
        "item": item,
        "conflict": conflict,
        "sheet": sheet,
        "can_declare": council.status in open_states and can_record_for(request.user, seat),
        "can_score": council.status == CouncilStatus.SCORING
        and seat.is_present
        and not (conflict and conflict.has_conflict),
        "conflict_form": conflict_form or ConflictForm(initial=initial, prefix="conflict"),
        "sheet_form": sheet_form or _sheet_form(seat, sheet=sheet),
    }
    return render(request, "councils/my_item.html", context, status=status)


@require_GET
def my_item(request: HttpRequest, public_id, item_id) -> HttpResponse:
    seat = selectors.my_seat_get(request.user, public_id)
    item = selectors.my_item_get(seat, item_id)
    return _render_my_item(request, seat, item)


@require_POST
def my_conflict(request: HttpRequest, public_id, item_id) -> HttpResponse:
    seat = selectors.my_seat_get(request.user, public_id)
    item = selectors.my_item_get(seat, item_id)
    form = ConflictForm(request.POST, prefix="conflict")
    if form.is_valid():
        try:
            services.conflict_declare(actor=request.user, member=seat, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Declaration recorded."))
            return redirect("councils:my_item", public_id=seat.council.public_id, item_id=item.public_id)
    return _render_my_item(request, seat, item, conflict_form=form, status=422)


@require_POST
def my_sheet(request: HttpRequest, public_id, item_id) -> HttpResponse:
    seat = selectors.my_seat_get(request.user, public_id)
    item = selectors.my_item_get(seat, item_id)
    form = _sheet_form(seat, data=request.POST)
    if form.is_valid():
        try:
            services.score_submit(
                actor=request.user,
                member=seat,
                item=item,
                scores=form.scores(),
                vote=form.cleaned_data.get("vote", ""),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Score sheet submitted."))
            return redirect("councils:my_item", public_id=seat.council.public_id, item_id=item.public_id)
    return _render_my_item(request, seat, item, sheet_form=form, status=422)
