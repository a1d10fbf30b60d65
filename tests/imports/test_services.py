import os
import signal
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from python_calamine import CalamineWorkbook

from opendost.accounts.roles import Role
from opendost.departments.models import Unit
from opendost.imports import services
from opendost.imports.enums import ImportStatus
from opendost.imports.models import ImportRun
from tests.factories import DepartmentFactory, UserFactory
from tests.imports.fixtures import zip_bomb_xlsx
from tests.imports.helpers import UNITS, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(role=Role.OFFICER)


def run(user, path, **kwargs):
    return services.import_file(
        actor=user, spec=UNITS, file=path, file_name=path.name, department=user.department, **kwargs
    )


def units(department):
    return dict(Unit.objects.filter(department=department).values_list("code", "name"))


def test_a_good_file_is_imported_and_recorded_in_the_ledger(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Phòng Một"], ["p2", "Phòng Hai"]])
    result = run(user, path)
    assert result.status == ImportStatus.SUCCEEDED
    assert (result.rows_total, result.created, result.updated, result.unchanged, result.errors) == (2, 2, 0, 0, 0)
    assert result.created_by == user and result.file_name == "data.xlsx" and len(result.sha256) == 64
    assert result.finished_at is not None and not result.error_report
    assert units(user.department) == {"p1": "Phòng Một", "p2": "Phòng Hai"}


def test_the_same_file_twice_is_refused_and_points_to_the_first_run(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Phòng Một"]])
    first = run(user, path)
    with pytest.raises(services.AlreadyImported) as caught:
        run(user, path)
    assert caught.value.run == first
    again = run(user, path, allow_repeat=True)
    assert (again.status, again.created, again.updated, again.unchanged) == (ImportStatus.SUCCEEDED, 0, 0, 1)


def test_edited_rows_are_updated_and_row_order_does_not_matter(user, tmp_path):
    run(user, xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"], ["p2", "Hai"], ["p3", "Ba"]]))
    second = run(
        user, xlsx(tmp_path, [["Mã", "Tên"], ["p3", "Ba"], ["p1", "Một (mới)"], ["p2", "Hai"]], name="b.xlsx")
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 2)
    assert units(user.department)["p1"] == "Một (mới)"


def test_one_bad_row_imports_nothing_and_gives_an_error_report(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"], ["p2", ""], ["p3", "Ba"]])
    result = run(user, path)
    assert result.status == ImportStatus.INVALID and result.errors == 1
    assert result.error_sample[0]["row"] == 3 and result.error_sample[0]["column"] == "Tên"
    assert units(user.department) == {}
    with result.error_report.open("rb") as handle:
        data = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(0).to_python()
    assert data[0] == ["Mã", "Tên", "Lỗi"] and data[2][:2] == ["p2", ""] and data[2][2]


def test_a_row_the_handler_refuses_rolls_back_the_rows_already_written(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"], ["p2", "boom"], ["p3", "Ba"], ["p4", "boom"]])
    result = run(user, path)
    assert result.status == ImportStatus.INVALID
    assert result.errors == 2 and (result.created, result.updated) == (0, 0)
    assert [e["row"] for e in result.error_sample] == [3, 5]
    assert units(user.department) == {}


def test_check_only_counts_but_writes_nothing(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"]])
    result = run(user, path, dry_run=True)
    assert (result.status, result.created) == (ImportStatus.CHECKED, 1)
    assert units(user.department) == {}
    assert run(user, path).status == ImportStatus.SUCCEEDED  # a check does not count as imported


def test_unsafe_file_is_rejected_and_nothing_is_kept(user, tmp_path, settings):
    result = run(user, zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=5))
    assert result.status == ImportStatus.REJECTED and "zip bomb" in result.message
    assert not any(settings.MEDIA_ROOT.rglob("*")) if settings.MEDIA_ROOT.exists() else True


def test_missing_headers_and_empty_files_are_invalid(user, tmp_path):
    assert "Tên" in run(user, xlsx(tmp_path, [["Mã"], ["p1"]])).message
    assert run(user, xlsx(tmp_path, [["Mã", "Tên"]], name="e.xlsx")).status == ImportStatus.INVALID


def test_another_departments_register_is_refused(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"]])
    with pytest.raises(PermissionDenied):
        services.import_file(actor=user, spec=UNITS, file=path, file_name="x.xlsx", department=DepartmentFactory())
    assert not ImportRun.objects.exists()


def test_an_uploaded_file_object_works_too(user, tmp_path):
    path = xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"]])
    with open(path, "rb") as handle:
        result = services.import_file(
            actor=user, spec=UNITS, file=handle, file_name="a.xlsx", department=user.department
        )
    assert result.status == ImportStatus.SUCCEEDED


def test_runs_of_dead_processes_are_marked_failed(user):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    import socket

    from django.utils import timezone

    dead = ImportRun.objects.create(
        spec="x",
        created_by=user,
        started_at=timezone.now(),
        file_name="f",
        sha256="0" * 64,
        worker=f"{socket.gethostname()}:{child.pid}",
    )
    alive = ImportRun.objects.create(
        spec="x",
        created_by=user,
        started_at=timezone.now(),
        file_name="f",
        sha256="0" * 64,
        worker=f"{socket.gethostname()}:{os.getpid()}",
    )
    assert services.import_runs_fail_abandoned() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and alive.status == ImportStatus.RUNNING


def test_runs_are_visible_to_their_department_only(user, tmp_path):
    result = run(user, xlsx(tmp_path, [["Mã", "Tên"], ["p1", "Một"]]))
    assert list(ImportRun.objects.visible_to(user)) == [result]
    assert not ImportRun.objects.visible_to(UserFactory(role=Role.OFFICER)).exists()
