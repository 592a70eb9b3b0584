"""The edge's template, rendered with the settings compose and each Kubernetes overlay give it,
is a config nginx accepts (`nginx -t`): a bad rate, size or timeout in those settings would
otherwise show only when the edge fails to start in a cluster.

Needs the nginx binary (an OS package scripts/infra installs), so it runs with the `infra`
tests; it starts no server. The upstream host names (compose services, Kubernetes Services)
do not resolve here and are replaced by 127.0.0.1: nginx -t resolves them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.deploy.manifests import EDGE_TEMPLATE, OVERLAYS, REPO, build, by_kind, render
from tests.deploy.test_manifests import edge_environment

pytestmark = pytest.mark.infra


def compose_environment() -> dict[str, str]:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return {k: str(v) for k, v in compose["services"]["edge"]["environment"].items()}


def overlay_environment(overlay: Path) -> Callable[[], dict[str, str]]:
    return lambda: edge_environment(build(overlay))


SETTINGS: dict[str, Callable[[], dict[str, str]]] = {
    "compose": compose_environment,
    **{f"k8s-{o.name}": overlay_environment(o) for o in OVERLAYS},
}


def nginx_check(environment: dict[str, str], directory: Path) -> subprocess.CompletedProcess[str]:
    local = {
        k: "127.0.0.1:" + v.rsplit(":", 1)[1] if k.endswith("_UPSTREAM") else v
        for k, v in environment.items()
    }
    (directory / "default.conf").write_text(render(EDGE_TEMPLATE.read_text(), local))
    (directory / "nginx.conf").write_text(
        f"pid {directory}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {directory}/default.conf; }}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-t", "-q", "-p", str(directory), "-c", str(directory / "nginx.conf")]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.parametrize("source", SETTINGS)
def test_nginx_accepts_the_rendered_config(source: str, tmp_path: Path) -> None:
    result = nginx_check(SETTINGS[source](), tmp_path)
    assert result.returncode == 0, result.stderr


def test_nginx_refuses_a_bad_setting(tmp_path: Path) -> None:
    environment = compose_environment() | {"TICKETING_EDGE_SESSION_RATE": "20 per second"}
    result = nginx_check(environment, tmp_path)
    assert result.returncode != 0
    assert "limit_req_zone" in result.stderr


def test_the_settings_cover_every_overlay() -> None:
    assert len(SETTINGS) == 1 + len(OVERLAYS)
    assert all(by_kind(build(o), "Deployment").get("edge") for o in OVERLAYS)
