"""``ladder user add``, ``ladder token create`` and the refusals of ``ladder serve``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ladder.app import accounts
from ladder.cli.app import app as cli
from ladder.store import Workspace


def test_user_add_and_token_create(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    Workspace.init(root).close()
    runner = CliRunner()
    monkeypatch.setenv("LADDER_PASSWORD", "a long enough password")
    added = runner.invoke(
        cli, ["user", "add", str(root), "Ana@X.nhs.uk", "--role", "analyst", "--org", "r1h"]
    )
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "Added ana@x.nhs.uk: analyst of R1H"
    again = runner.invoke(
        cli, ["user", "add", str(root), "ana@x.nhs.uk", "--role", "viewer", "--org", "R1H"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    no_org = runner.invoke(cli, ["user", "add", str(root), "v@x.nhs.uk", "--role", "viewer"])
    assert no_org.exit_code != 0 and "give --org CODE" in no_org.output
    made = runner.invoke(cli, ["token", "create", str(root), "ana@x.nhs.uk"])
    assert made.exit_code == 0
    token = made.stdout.strip()
    assert token.startswith("ldr_")
    with Workspace.open(root) as ws:
        user = accounts.token_user(ws, token)
    assert user is not None and user.email == "ana@x.nhs.uk"


def test_password_prompt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "ws"
    Workspace.init(root).close()
    monkeypatch.delenv("LADDER_PASSWORD", raising=False)
    secret = "typed at the prompt ok"
    result = CliRunner().invoke(
        cli,
        ["user", "add", str(root), "adm@x.nhs.uk", "--role", "admin"],
        input=f"{secret}\n{secret}\n",
    )
    assert result.exit_code == 0, result.output
    with Workspace.open(root) as ws:
        assert accounts.sign_in(ws, "adm@x.nhs.uk", secret, "127.0.0.1") is not None


def test_serve_refuses_insecure_dev_off_localhost_and_a_missing_workspace(tmp_path: Path) -> None:
    runner = CliRunner()
    off = runner.invoke(
        cli, ["serve", "--workspace", str(tmp_path), "--host", "0.0.0.0", "--insecure-dev"]
    )
    assert off.exit_code == 2 and "only for 127.0.0.1" in off.output
    missing = runner.invoke(cli, ["serve", "--workspace", str(tmp_path / "none")])
    assert missing.exit_code != 0 and "is not a Ladder workspace" in missing.output
