"""The only writer of the import ledger, and the one entry point that imports a file.

`import_file` follows these steps (docs/adr/0015-excel-import.md):
1. permission: every permission the spec names, on the target department;
2. hash the file (SHA-256); a file already imported successfully into the same register is refused
   with a pointer to that run, unless `allow_repeat` (importing it again would change nothing
   anyway, unless someone edited the records since);
3. write the ledger row (RUNNING) in its own transaction, with this process's host:pid;
4. safety checks before unpacking (reader.inspect_file) -> REJECTED;
5. parse and validate every row -> INVALID with an error report, nothing written;
6. one transaction: the row handlers write, and the run becomes SUCCEEDED in the same commit; any
   row problem rolls everything back (INVALID); a check-only run always rolls back (CHECKED).
A crash leaves the run RUNNING with no rows written; `import_runs_fail_abandoned` marks it FAILED.
"""

import hashlib
import logging
import os
import socket
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.imports import reader
from opendost.imports.enums import ImportStatus
from opendost.imports.kit import (
    HeaderProblem,
    ImportContext,
    ImportSpec,
    RowIssue,
    apply_rows,
    count_issues_by_row,
    parse_rows,
    write_error_report,
)
from opendost.imports.models import ImportRun

logger = logging.getLogger(__name__)
ERROR_SAMPLE_SIZE = 100
ABANDONED_AFTER = timedelta(hours=6)


class AlreadyImported(Exception):
    def __init__(self, run: ImportRun):
        super().__init__(run)
        self.run = run


class _Rollback(Exception):
    pass


def can_import(user, spec: ImportSpec, department) -> bool:
    from opendost.subjects.permissions import in_jurisdiction

    return (
        user.is_authenticated
        and all(user.has_perm(perm) for perm in spec.permissions)
        and (department is None or in_jurisdiction(user, department))
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    *,
    actor,
    spec: ImportSpec,
    file: str | Path | IO[bytes],
    file_name: str,
    department=None,
    dry_run: bool = False,
    allow_repeat: bool = False,
    bulk: bool = False,
    options: dict | None = None,
) -> ImportRun:
    """Import `file` (a path, an uploaded file or a binary file object) through `spec`."""
    if not can_import(actor, spec, department):
        raise PermissionDenied
    with _on_disk(file) as path:
        sha256 = file_sha256(path)
        if not dry_run and not allow_repeat:
            previous = (
                ImportRun.objects.filter(
                    spec=spec.name, department=department, sha256=sha256, status=ImportStatus.SUCCEEDED
                )
                .order_by("-started_at")
                .first()
            )
            if previous is not None:
                raise AlreadyImported(previous)
        import_runs_fail_abandoned()
        run = ImportRun.objects.create(
            spec=spec.name,
            department=department,
            created_by=actor,
            started_at=timezone.now(),
            file_name=os.path.basename(file_name)[:255],
            file_size=path.stat().st_size,
            sha256=sha256,
            is_dry_run=dry_run,
            worker=_worker(),
        )
        context = ImportContext(actor=actor, department=department, dry_run=dry_run, options=options or {})
        try:
            _run(run, spec, path, context, bulk=bulk)
        except Exception:
            logger.exception("Import %s failed", run.public_id)
            _finish(run, ImportStatus.FAILED, message=_("The import failed unexpectedly; nothing was imported."))
            raise
    return run


def _run(run: ImportRun, spec: ImportSpec, path: Path, context: ImportContext, *, bulk: bool) -> None:
    try:
        file_format = reader.inspect_file(path, run.file_name)
        parsed = parse_rows(spec, reader.read_rows(path, file_format), context)
    except reader.UnsafeFile as exc:
        _finish(run, ImportStatus.REJECTED, message=exc.message)
        return
    except HeaderProblem as exc:
        _finish(run, ImportStatus.INVALID, message=exc.message)
        return
    run.rows_total = len(parsed.rows)
    if parsed.issues:
        _finish_invalid(run, parsed, parsed.issues)
        return
    if not parsed.rows:
        _finish(run, ImportStatus.INVALID, message=_("The file has a header row but no data rows."))
        return
    issues: list[RowIssue] = []
    try:
        with transaction.atomic():
            counts, issues = apply_rows(spec, parsed, context, bulk=bulk)
            run.created, run.updated, run.unchanged = counts.created, counts.updated, counts.unchanged
            if issues or context.dry_run:
                raise _Rollback
            if bulk and (counts.created or counts.updated):
                _audit_bulk(run, context)
            _finish(run, ImportStatus.SUCCEEDED)
    except _Rollback:
        pass
    if issues:
        run.created = run.updated = run.unchanged = 0
        _finish_invalid(run, parsed, issues)
    elif context.dry_run:
        _finish(run, ImportStatus.CHECKED)


def _audit_bulk(run: ImportRun, context: ImportContext) -> None:
    """The bulk path bypasses the per-record services, so the audit log gets one event for the run."""
    from opendost.audit.enums import AuditAction
    from opendost.audit.services import audit_record

    audit_record(
        actor=context.actor,
        action=AuditAction.UPDATE if not run.created else AuditAction.CREATE,
        obj=run,
        note=f"import {run.spec} {run.file_name} sha256={run.sha256}: created {run.created}, updated {run.updated}",
        department_id=context.department.pk if context.department is not None else None,
    )


def _finish_invalid(run: ImportRun, parsed, issues: list[RowIssue]) -> None:
    run.errors = count_issues_by_row(issues)
    run.error_sample = [issue.as_dict() for issue in issues[:ERROR_SAMPLE_SIZE]]
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        write_error_report(handle, parsed, issues)
        handle.seek(0)
        run.error_report.save("errors.xlsx", File(handle), save=False)
    _finish(
        run,
        ImportStatus.INVALID,
        message=_(
            "%(rows)s rows have errors; nothing was imported. Download the error report, fix them and upload again."
        )
        % {"rows": run.errors},
    )


def _finish(run: ImportRun, status: str, *, message: str = "") -> None:
    run.status = status
    run.message = message
    run.finished_at = timezone.now()
    run.save()


def import_runs_fail_abandoned() -> int:
    """Mark FAILED the runs left RUNNING by a process that died (kill -9, OOM, a restart): on this
    host when the process is gone, anywhere when they are older than ABANDONED_AFTER."""
    host = socket.gethostname()
    dead = []
    for run in ImportRun.objects.filter(status=ImportStatus.RUNNING).only("pk", "worker", "started_at"):
        run_host, _sep, pid = run.worker.rpartition(":")
        if run.started_at < timezone.now() - ABANDONED_AFTER or (run_host == host and not _alive(pid)):
            dead.append(run.pk)
    if not dead:
        return 0
    return ImportRun.objects.filter(pk__in=dead, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        message=_("The import stopped before it finished; nothing was imported."),
    )


def _worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _on_disk:
    """The upload as a path: a temporary upload or a path is used as it is; anything else is copied
    to a temporary file (calamine and zipfile need a real file to seek in)."""

    def __init__(self, file):
        self.file = file
        self.temporary: Path | None = None

    def __enter__(self) -> Path:
        if isinstance(self.file, str | Path):
            return Path(self.file)
        if hasattr(self.file, "temporary_file_path"):
            return Path(self.file.temporary_file_path())
        handle, name = tempfile.mkstemp(suffix=".upload")
        with os.fdopen(handle, "wb") as target:
            if hasattr(self.file, "chunks"):
                for chunk in self.file.chunks():
                    target.write(chunk)
            else:
                self.file.seek(0)
                while chunk := self.file.read(1024 * 1024):
                    target.write(chunk)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, *exc_info) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


__all__ = ["AlreadyImported", "can_import", "import_file", "import_runs_fail_abandoned"]
