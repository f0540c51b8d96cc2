"""`make run`: every command it runs sees the same site address, the one it serves on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_venv(tmp_path):
    """A virtualenv whose programs only write down how they were called."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    for program in ("flask", "python", "pybabel"):
        path = venv / "bin" / program
        path.write_text(f'#!/bin/sh\necho "{program} $* SITE_URL=$ETALASE_SITE_URL" >> {log}\n')
        path.chmod(0o755)
    (venv / ".stamp-base").touch()  # newer than pyproject.toml: no install
    return venv, log


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_gives_every_command_the_address_it_serves_on(fake_venv):
    venv, log = fake_venv
    environment = {k: v for k, v in os.environ.items() if k != "ETALASE_SITE_URL"}
    subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", "PORT=5123"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    calls = [line for line in log.read_text().splitlines() if line.startswith("flask")]
    assert [call.split(" SITE_URL=")[0] for call in calls] == [
        "flask db upgrade",
        "flask seed-demo --if-empty",
        "flask search rebuild --if-needed",
        "flask run --host 127.0.0.1 --port 5123 --reload",
    ]
    # The demo's emails and notifications link to the site that is running, not port 5000.
    assert all(call.endswith("SITE_URL=http://127.0.0.1:5123") for call in calls)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_keeps_a_site_address_given_to_it(fake_venv):
    venv, log = fake_venv
    environment = os.environ | {"ETALASE_SITE_URL": "https://etalase.example"}
    subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    calls = [line for line in log.read_text().splitlines() if line.startswith("flask")]
    assert len(calls) == 4
    assert all(call.endswith("SITE_URL=https://etalase.example") for call in calls)
