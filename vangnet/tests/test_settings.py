from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from vangnet.lib import env

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {
        **keep,
        "VANGNET_ENV": "production",
        "VANGNET_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "VANGNET_MASTER_KEYS": "prod1:" + base64.b64encode(os.urandom(32)).decode(),
        "VANGNET_BLIND_INDEX_KEY": os.urandom(32).hex(),
        "VANGNET_ALLOWED_HOSTS": "vangnet.example.be",
        "VANGNET_SITE_URL": "https://vangnet.example.be",
        "DATABASE_URL": "postgres://vangnet@127.0.0.1:5432/vangnet",
        "VANGNET_VAR_DIR": str(tmp_path),
        **extra,
    }


def manage(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_check_deploy_in_production(tmp_path):
    result = manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_it_refuses_to_start_production_without_a_secret_key(tmp_path):
    environ = production_env(tmp_path)
    del environ["VANGNET_SECRET_KEY"]
    result = manage(["check"], environ)
    assert result.returncode != 0
    assert "VANGNET_SECRET_KEY" in result.stderr


def test_it_refuses_to_start_production_without_master_keys(tmp_path):
    environ = production_env(tmp_path)
    del environ["VANGNET_MASTER_KEYS"]
    result = manage(["check"], environ)
    assert result.returncode != 0
    assert "VANGNET_MASTER_KEYS" in result.stderr


def test_it_refuses_sqlite_in_production(tmp_path):
    result = manage(["check"], production_env(tmp_path, DATABASE_URL="sqlite:///x.sqlite3"))
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_it_refuses_a_console_mail_backend_in_production(tmp_path):
    console = "django.core.mail.backends.console.EmailBackend"
    result = manage(["check"], production_env(tmp_path, VANGNET_EMAIL_BACKEND=console))
    assert result.returncode != 0
    assert "VANGNET_EMAIL_BACKEND" in result.stderr


def test_it_refuses_a_bad_boolean(tmp_path):
    result = manage(["check"], production_env(tmp_path, VANGNET_DEBUG="maybe"))
    assert result.returncode != 0
    assert "VANGNET_DEBUG" in result.stderr


def test_it_runs_with_zero_variables(tmp_path):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = manage(["check"], {**keep, "VANGNET_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dev-secret-key").exists()
    assert (tmp_path / "dev-master-keys").stat().st_mode & 0o077 == 0


class TestEnvHelpers:
    def test_it_parses_booleans_strictly(self, monkeypatch):
        monkeypatch.setenv("X_BOOL", "yes")
        assert env.env_bool("X_BOOL", default=False) is True
        monkeypatch.setenv("X_BOOL", "ja")
        with pytest.raises(ImproperlyConfigured):
            env.env_bool("X_BOOL", default=False)

    def test_it_parses_integers_with_a_minimum(self, monkeypatch):
        monkeypatch.setenv("X_INT", "12")
        assert env.env_int("X_INT", 1) == 12
        monkeypatch.setenv("X_INT", "twelve")
        with pytest.raises(ImproperlyConfigured):
            env.env_int("X_INT", 1)
        monkeypatch.setenv("X_INT", "0")
        with pytest.raises(ImproperlyConfigured):
            env.env_int("X_INT", 1, minimum=1)

    def test_it_reads_secrets_from_a_file(self, monkeypatch, tmp_path):
        secret = tmp_path / "secret"
        secret.write_text("s3cret\n")
        monkeypatch.delenv("X_SECRET", raising=False)
        monkeypatch.setenv("X_SECRET_FILE", str(secret))
        assert env.env_secret("X_SECRET") == "s3cret"
        monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
        with pytest.raises(ImproperlyConfigured):
            env.env_secret("X_SECRET")
        monkeypatch.setenv("X_SECRET", "both")
        with pytest.raises(ImproperlyConfigured):
            env.env_secret("X_SECRET")

    def test_it_restricts_choices(self, monkeypatch):
        monkeypatch.setenv("X_CHOICE", "staging")
        with pytest.raises(ImproperlyConfigured):
            env.env_choice("X_CHOICE", "development", ("development", "production"))
