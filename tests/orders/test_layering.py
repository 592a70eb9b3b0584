"""Orders' domain and service layer know nothing of HTTP or messaging: no module under
``domain/`` or ``service_layer/`` imports FastAPI, FastStream, Starlette or the runtime's
``Problem`` (read from each module's source, so a lazy import inside a function counts too)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import ticketing_orders

PACKAGE = Path(ticketing_orders.__file__).parent
INNER_LAYERS = ("domain", "service_layer")
FORBIDDEN_MODULES = ("fastapi", "faststream", "starlette", "ticketing_runtime.problems")
FORBIDDEN_NAMES = frozenset({"Problem"})


def _modules() -> list[Path]:
    return sorted(p for layer in INNER_LAYERS for p in (PACKAGE / layer).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) for every import in ``path``; name is None for ``import module``."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield from ((node.module, alias.name) for alias in node.names)


def _forbidden(module: str, name: str | None) -> bool:
    hits_module = any(module == m or module.startswith(f"{m}.") for m in FORBIDDEN_MODULES)
    return hits_module or name in FORBIDDEN_NAMES


def test_the_inner_layers_exist_and_hold_the_use_cases() -> None:
    names = {p.stem for p in (PACKAGE / "service_layer").glob("*.py")}
    wanted = {"placement", "settlement", "refunding", "cancellation", "coupons", "expiry"}
    assert wanted | {"box_office", "checkin", "container"} <= names
    assert not wanted & {p.stem for p in (PACKAGE / "entrypoints").glob("*.py")}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_http_or_messaging_import_in_domain_or_service_layer(path: Path) -> None:
    found = [f"{m}:{n}" for m, n in _imports(path) if _forbidden(m, n)]
    assert found == [], f"{path.relative_to(PACKAGE)} imports {found}"


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from fastapi import Depends\nfrom ticketing_runtime.problems import Problem\n"
    )
    assert [pair for pair in _imports(module) if _forbidden(*pair)] == [
        ("fastapi", "Depends"),
        ("ticketing_runtime.problems", "Problem"),
    ]
