"""Write the platform's public OpenAPI document (what the gateway serves at ``/openapi.json``),
built in process from every service's routes, so no server has to run.

    uv run --frozen python scripts/export_openapi.py --write   # web/openapi/openapi.json
    uv run --frozen python scripts/export_openapi.py --check   # exit 1 when it is stale
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from ticketing_gateway.adapters.openapi_merge import merged
from ticketing_gateway.entrypoints.main import build_service as build_gateway
from ticketing_gateway.settings import BACKENDS

DOCUMENT = Path(__file__).resolve().parent.parent / "web" / "openapi" / "openapi.json"


def document() -> dict[str, Any]:
    gateway = build_gateway().http
    own = gateway.openapi()
    services: dict[str, dict[str, Any]] = {}
    for name in BACKENDS:
        main = importlib.import_module(f"ticketing_{name}.entrypoints.main")
        services[name] = main.build_service().http.openapi()
    return merged(own, services)


def rendered() -> str:
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {DOCUMENT}")
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args()
    text = rendered()
    if args.write:
        DOCUMENT.write_text(text)
    elif args.check:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            sys.exit(f"{DOCUMENT} is stale: run scripts/export_openapi.py --write")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
