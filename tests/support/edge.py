"""The edge's nginx config, rendered from its template the way the official nginx image does."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from tests.support.platform import ROOT

TEMPLATE = ROOT / "deploy" / "edge" / "templates" / "default.conf.template"
_VARIABLE = re.compile(r"\$\{(TICKETING_[A-Z0-9_]+)\}")


def template_variables() -> set[str]:
    return set(_VARIABLE.findall(TEMPLATE.read_text()))


def render(env: Mapping[str, str]) -> str:
    """envsubst of the defined variables only: an undefined one is left as it is."""
    return _VARIABLE.sub(lambda m: env.get(m.group(1), m.group(0)), TEMPLATE.read_text())


def nginx_check(site_config: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` of ``site_config`` included in an http {} block like the official image's."""
    (folder / "conf.d").mkdir(parents=True, exist_ok=True)
    (folder / "conf.d" / "default.conf").write_text(site_config)
    (folder / "nginx.conf").write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {folder};\n"
        f"  proxy_temp_path {folder};\n  include {folder}/conf.d/*.conf;\n}}\n"
    )
    return subprocess.run(
        ["nginx", "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        capture_output=True,
        text=True,
    )
