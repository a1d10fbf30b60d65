"""Staff pages: upload a file for one import, see the result, download the template or the error report.

Permissions: the spec's permissions on the user's own department (403 without them); a run of
another department is a 404.
"""

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opendost.common.excel import XLSX_CONTENT_TYPE
from opendost.imports import services
from opendost.imports.forms import ImportForm
from opendost.imports.kit import ImportSpec
from opendost.imports.models import ImportRun
from opendost.imports.registry import get_spec
from opendost.imports.template_file import write_template

RECENT_RUNS = 10


def _spec_for(request: HttpRequest, spec_name: str) -> ImportSpec:
    spec = get_spec(spec_name)
    if spec is None:
        raise Http404
    if request.user.department_id is None or not services.can_import(request.user, spec, request.user.department):
        raise PermissionDenied
    return spec


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, spec_name: str) -> HttpResponse:
    spec = _spec_for(request, spec_name)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_file(
                actor=request.user,
                spec=spec,
                file=upload,
                file_name=upload.name,
                department=request.user.department,
                dry_run=form.cleaned_data["check_only"],
                allow_repeat=form.cleaned_data["import_again"],
            )
        except services.AlreadyImported as exc:
            form.add_error(
                "file",
                _("This file was already imported on %(date)s by %(user)s. Tick “Import again” to import it anyway.")
                % {"date": f"{exc.run.started_at:%d/%m/%Y %H:%M}", "user": exc.run.created_by},
            )
        else:
            return redirect("imports:run_detail", public_id=run.public_id)
    runs = ImportRun.objects.visible_to(request.user).filter(spec=spec.name).select_related("created_by")
    context = {"spec": spec, "form": form, "runs": runs[:RECENT_RUNS]}
    return render(request, "imports/import_start.html", context)


@require_GET
def import_template(request: HttpRequest, spec_name: str) -> HttpResponse:
    spec = _spec_for(request, spec_name)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_template(handle, spec)
    handle.seek(0)
    filename = _("template") + f"-{spec.title}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=filename.replace(" ", "-").lower(), content_type=XLSX_CONTENT_TYPE
    )


def _run_for(request: HttpRequest, public_id) -> ImportRun:
    run = get_object_or_404(
        ImportRun.objects.visible_to(request.user).select_related("created_by"), public_id=public_id
    )
    spec = get_spec(run.spec)
    if spec is None or not all(request.user.has_perm(perm) for perm in spec.permissions):
        raise Http404
    run.spec_object = spec
    return run


@require_GET
def run_detail(request: HttpRequest, public_id) -> HttpResponse:
    run = _run_for(request, public_id)
    return render(request, "imports/run_detail.html", {"run": run, "spec": run.spec_object})


@require_GET
def run_error_report(request: HttpRequest, public_id) -> HttpResponse:
    run = _run_for(request, public_id)
    if not run.error_report:
        raise Http404
    name = _("errors") + "-" + run.file_name.rsplit(".", 1)[0] + ".xlsx"
    return FileResponse(run.error_report.open("rb"), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
