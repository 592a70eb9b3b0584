"""The edge's one template (no servers): it renders into a config nginx accepts, for containers
as for local runs, and every variable it reads is documented."""

from __future__ import annotations

from pathlib import Path

from tests.support.edge import nginx_check, render, template_variables
from tests.support.platform import ROOT

CONTAINER_VALUES = {
    "TICKETING_EDGE_LISTEN": "8080",
    "TICKETING_EDGE_WEB_ROOT": "/usr/share/nginx/html",
    "TICKETING_EDGE_ACCESS_LOG": "/dev/stdout",
    "TICKETING_EDGE_MAX_BODY_BYTES": "8388608",
    "TICKETING_EDGE_MAX_JSON_BYTES": "1048576",
    "TICKETING_EDGE_UPSTREAM_TIMEOUT_S": "10",
    "TICKETING_CORS_ORIGINS": "https://shop.example.com, https://box.example.com",
    "TICKETING_EDGE_CORS_MAX_AGE_S": "600",
    "TICKETING_EDGE_SESSION_RATE": "2r/s",
    "TICKETING_EDGE_SESSION_BURST": "20",
    "TICKETING_EDGE_CHECKIN_RATE": "10r/s",
    "TICKETING_EDGE_CHECKIN_BURST": "20",
    "TICKETING_EDGE_CHECKIN_ADDRESS_RATE": "100r/s",
    "TICKETING_EDGE_CHECKIN_ADDRESS_BURST": "500",
    "TICKETING_EDGE_HOLD_RATE": "5r/s",
    "TICKETING_EDGE_HOLD_BURST": "20",
    "TICKETING_EDGE_HOLD_ADDRESS_RATE": "100r/s",
    "TICKETING_EDGE_HOLD_ADDRESS_BURST": "500",
    "TICKETING_EDGE_ORDER_LINKS_RATE": "10r/m",
    "TICKETING_EDGE_ORDER_LINKS_BURST": "10",
    "TICKETING_EDGE_ORDER_RATE": "1r/s",
    "TICKETING_EDGE_ORDER_BURST": "10",
    "TICKETING_EDGE_RETRY_AFTER_S": "1",
    # IP addresses: nginx -t resolves upstream names, and no cluster DNS is here
    "TICKETING_GATEWAY_UPSTREAM": "10.0.0.6:28086",
    "TICKETING_INVENTORY_UPSTREAM": "10.0.0.1:28081",
    "TICKETING_ORDERS_UPSTREAM": "10.0.0.2:28082",
    "TICKETING_PAYMENTS_UPSTREAM": "10.0.0.3:28083",
    "TICKETING_DOCUMENTS_UPSTREAM": "10.0.0.4:28084",
    "TICKETING_NOTIFICATIONS_UPSTREAM": "10.0.0.5:28085",
}


def test_container_values_render_a_config_nginx_accepts(tmp_path: Path) -> None:
    assert set(CONTAINER_VALUES) == template_variables()
    checked = nginx_check(render(CONTAINER_VALUES), tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_a_variable_left_unset_makes_nginx_refuse_the_config(tmp_path: Path) -> None:
    values = {k: v for k, v in CONTAINER_VALUES.items() if k != "TICKETING_CORS_ORIGINS"}
    checked = nginx_check(render(values), tmp_path)
    assert checked.returncode != 0
    assert "ticketing_cors_origins" in checked.stderr.lower()


def test_every_template_variable_is_documented() -> None:
    edge_readme = (ROOT / "deploy" / "edge" / "README.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for variable in template_variables():
        assert f"`{variable}`" in edge_readme, variable
        assert variable in readme, variable
