"""Daily jobs declared on AppConfigs run once per call, each isolated from the others' failures."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.management import call_command

from opendost.common import periodic


def test_every_declared_job_is_found_and_importable():
    declared = {d for c in apps.get_app_configs() for d in getattr(c, "daily_jobs", ())}
    assert "opendost.dossiers.services.dossier_reminders_send" in declared
    assert {name for name, _job in periodic.daily_jobs()} == declared


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch):
    calls = []

    def good(*, today):
        calls.append(today)
        return 3

    def broken(*, today):
        raise RuntimeError("boom")

    monkeypatch.setattr(periodic, "daily_jobs", lambda: [("good", good), ("broken", broken), ("good2", good)])

    report = periodic.daily_jobs_run(today=dt.date(2026, 12, 7))

    assert report == {"good": 3, "broken": "failed: RuntimeError", "good2": 3}
    assert calls == [dt.date(2026, 12, 7)] * 2


@pytest.mark.django_db
def test_the_command_runs_the_jobs_once_without_loop(capsys):
    call_command("daily_jobs")
    out = capsys.readouterr().out
    assert "opendost.dossiers.services.dossier_reminders_send: 0" in out
