"""The edge's template, rendered with the settings compose and each Kubernetes overlay give it,
is a config nginx accepts (`nginx -t`, the nginx that scripts/infra installs; no server): a bad
rate, size or timeout in those settings would otherwise show only when the edge fails to start
in a cluster. The upstream host names (compose services, Kubernetes Services) do not resolve
here and are replaced by 127.0.0.1: nginx -t resolves them."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.deploy.manifests import OVERLAYS, REPO, build, by_kind
from tests.deploy.test_manifests import edge_environment
from tests.support.edge import nginx_check, render


def compose_environment() -> dict[str, str]:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return {k: str(v) for k, v in compose["services"]["edge"]["environment"].items()}


def overlay_environment(overlay: Path) -> Callable[[], dict[str, str]]:
    return lambda: edge_environment(build(overlay))


SETTINGS: dict[str, Callable[[], dict[str, str]]] = {
    "compose": compose_environment,
    **{f"k8s-{o.name}": overlay_environment(o) for o in OVERLAYS},
}


def check(environment: dict[str, str], folder: Path) -> subprocess.CompletedProcess[str]:
    local = {
        k: "127.0.0.1:" + v.rsplit(":", 1)[1] if k.endswith("_UPSTREAM") else v
        for k, v in environment.items()
    }
    return nginx_check(render(local), folder)


@pytest.mark.parametrize("source", SETTINGS)
def test_nginx_accepts_the_rendered_config(source: str, tmp_path: Path) -> None:
    result = check(SETTINGS[source](), tmp_path)
    assert result.returncode == 0, result.stderr


def test_nginx_refuses_a_bad_setting(tmp_path: Path) -> None:
    environment = compose_environment() | {"TICKETING_EDGE_SESSION_RATE": "20 per second"}
    result = check(environment, tmp_path)
    assert result.returncode != 0
    assert "limit_req_zone" in result.stderr


def test_the_settings_cover_every_overlay() -> None:
    assert len(SETTINGS) == 1 + len(OVERLAYS)
    assert all(by_kind(build(o), "Deployment").get("edge") for o in OVERLAYS)
