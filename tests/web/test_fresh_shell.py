"""What README and ``make up`` tell a new user to type works in a fresh shell, where uv's
``~/.local/bin`` is not on PATH (``uv run ticketing-gateway mint-staff-token`` was not)."""

from __future__ import annotations

import os
import subprocess

import httpx
import pytest

from tests.support.platform import ROOT

pytestmark = pytest.mark.infra


def fresh_shell_env() -> dict[str, str]:
    path = [p for p in os.environ["PATH"].split(os.pathsep) if ".local/bin" not in p]
    return {"HOME": os.environ["HOME"], "PATH": os.pathsep.join(path), "LANG": "C.UTF-8"}


def test_make_staff_token_prints_a_token_the_platform_accepts(platform: str) -> None:
    env = fresh_shell_env()
    assert subprocess.run(["bash", "-c", "command -v uv"], env=env, check=False).returncode != 0
    made = subprocess.run(
        ["make", "-s", "staff-token", "ROLE=scanner", "NAME=door-7"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    token = made.stdout.strip()
    assert token.count(".") == 2, made.stdout  # one JWT, nothing else on stdout
    me = httpx.get(f"{platform}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200, me.text
    assert (me.json()["subject"], me.json()["roles"]) == ("staff:door-7", ["scanner"])
