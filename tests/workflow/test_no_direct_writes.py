"""No code outside opendost/workflow writes a workflow state field (house style 3.3)."""

import textwrap

from django.conf import settings

from opendost.workflow import engine
from tests.workflow.scanner import Spec, scan_source, scan_tree, specs_from_registry

DEMO = Spec(
    model="Dossier", package="opendost.dossiers", field="status", initial_value="received", initial_member="RECEIVED"
)


def test_the_codebase_writes_workflow_states_only_through_transition_apply():
    specs = [s for s in specs_from_registry(engine.registered()) if not s.package.startswith("tests")]
    # Until the first domain workflow is registered, check the field name every dossier-like model will
    # use, so the scan is exercised on the real tree either way.
    specs = specs or [DEMO]

    files, violations = scan_tree(settings.BASE_DIR / "opendost", settings.BASE_DIR, specs)

    assert files > 100  # the whole package was read
    assert violations == [], "\n".join(map(str, violations))


PLANTED = textwrap.dedent(
    """
    from opendost.dossiers.models import Dossier
    from opendost.dossiers.enums import DossierStatus

    def sneaky(dossier, qs, pk):
        dossier.status = DossierStatus.APPROVED                                   # 6: violation
        setattr(dossier, "status", "approved")                                    # 7: violation
        Dossier.objects.filter(pk=pk).update(status="approved")                   # 8: violation
        qs.update(status="approved")                                              # 9: violation
        Dossier.objects.create(title="x", status=DossierStatus.APPROVED)          # 10: violation
        Dossier(status="approved")                                                # 11: violation
        Dossier.objects.update_or_create(pk=pk, defaults={"status": "received"})  # 12: violation
        Dossier.objects.bulk_update([dossier], ["status"])                        # 13: violation
        dossier.status += "x"                                                     # 14: violation

    def fine(dossier, message, pk):
        Dossier.objects.create(title="x", status=DossierStatus.RECEIVED)          # 17: the initial state
        Dossier.objects.create(title="x", status="received")                      # 18: the initial state
        Message.objects.filter(pk=pk).update(status="sent")                       # 19: another model
        dossier.title = "renamed"                                                 # 20: not the state
        Dossier.objects.filter(pk=pk).update(title="t")                           # 21: not the state
        current = dossier.status                                                  # 22: a read
    """
)


def test_scanner_catches_every_planted_violation(tmp_path):
    path = tmp_path / "planted.py"
    path.write_text(PLANTED, encoding="utf-8")

    violations = scan_source(path.read_text(encoding="utf-8"), str(path), "opendost.reports.planted", [DEMO])

    assert sorted({v.line for v in violations}) == [6, 7, 8, 9, 10, 11, 12, 13, 14]


def test_scanner_finds_planted_files_when_walking_a_tree(tmp_path):
    package = tmp_path / "opendost" / "reports"
    package.mkdir(parents=True)
    (package / "views.py").write_text(PLANTED, encoding="utf-8")
    (package / "migrations").mkdir()
    (package / "migrations" / "0002_fix.py").write_text(PLANTED, encoding="utf-8")  # migrations are exempt
    engine_dir = tmp_path / "opendost" / "workflow"
    engine_dir.mkdir()
    (engine_dir / "services.py").write_text(PLANTED, encoding="utf-8")  # the engine is exempt

    files, violations = scan_tree(tmp_path / "opendost", tmp_path, [DEMO])

    assert files == 1
    assert {v.path for v in violations} == {"opendost/reports/views.py"}


def test_scanner_ignores_modules_unrelated_to_the_model():
    source = "def f(msg):\n    msg.status = 'sent'\n    qs.update(status='x')\n"
    assert scan_source(source, "x.py", "opendost.notifications.services", [DEMO]) == []
    # ... but inside the model's own app package every such write counts.
    assert len(scan_source(source, "x.py", "opendost.dossiers.services", [DEMO])) == 2
