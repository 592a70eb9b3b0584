"""The shape of payments, documents and notifications: use cases in ``service_layer/``, rules in
``domain/``, neither knowing HTTP or the broker (no FastAPI, FastStream, Starlette or
``Problem``, directly or through the service's own modules); entrypoints only translate."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "services"
SERVICES = ("payments", "documents", "notifications")
FORBIDDEN_PACKAGES = ("fastapi", "faststream", "starlette")
FORBIDDEN_MODULES = ("ticketing_runtime.problems", "ticketing_runtime.refusals")
# what an entrypoint module may be: routes, message handlers, the process, the problem table
ENTRYPOINTS = ("main", "handlers", "problems", "dependencies", "http_")


def package_dir(service: str) -> Path:
    return ROOT / service / "src" / f"ticketing_{service}"


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, and ``module.name`` for each name it imports from one."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def module_file(service: str, module: str) -> Path | None:
    """The file of ``module`` if it is one of the service's own modules."""
    prefix = f"ticketing_{service}"
    if module != prefix and not module.startswith(prefix + "."):
        return None
    base = package_dir(service).joinpath(*module.split(".")[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def reachable_imports(service: str, start: Path) -> dict[str, Path]:
    """What ``start`` imports, following the service's own modules (libraries not followed);
    each import with the file that makes it."""
    seen_files: set[Path] = set()
    found: dict[str, Path] = {}
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen_files:
            continue
        seen_files.add(path)
        for module in imports_of(path):
            found.setdefault(module, path)
            own = module_file(service, module)
            if own is not None:
                todo.append(own)
    return found


def layer_modules(service: str) -> list[Path]:
    root = package_dir(service)
    return sorted([*(root / "service_layer").glob("*.py"), *(root / "domain").glob("*.py")])


def forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return (
        top in FORBIDDEN_PACKAGES
        or module.startswith(FORBIDDEN_MODULES)
        or module.endswith(".Problem")
    )


@pytest.mark.parametrize("service", SERVICES)
def test_service_layer_and_domain_know_neither_http_nor_the_broker(service: str) -> None:
    modules = layer_modules(service)
    assert any(p.parent.name == "service_layer" for p in modules), "no service_layer/"
    offences = [
        f"{path.relative_to(ROOT)} reaches {module} (imported in {by.relative_to(ROOT)})"
        for path in modules
        for module, by in reachable_imports(service, path).items()
        if forbidden(module)
    ]
    assert offences == []


@pytest.mark.parametrize("service", SERVICES)
def test_entrypoints_hold_no_use_case(service: str) -> None:
    entrypoints = package_dir(service) / "entrypoints"
    names = [p.stem for p in entrypoints.glob("*.py") if p.stem != "__init__"]
    assert [n for n in names if not n.startswith(ENTRYPOINTS)] == []
    repositories = [
        f"{path.name} imports {module}"
        for path in entrypoints.glob("*.py")
        for module in imports_of(path)
        if module.startswith(f"ticketing_{service}.adapters") and "repository" in module
    ]
    assert repositories == [], "entrypoints go through the service layer"


def test_the_walk_sees_an_import_through_the_services_own_modules() -> None:
    """The checker itself: an import reached through another module of the service counts."""
    layer = package_dir("payments") / "service_layer" / "webhooks.py"
    reached = reachable_imports("payments", layer)
    assert "stripe" in reached
    assert "sqlalchemy.ext.asyncio.AsyncSession" in reached  # through the repositories
    assert forbidden("fastapi.APIRouter")
    assert forbidden("ticketing_runtime.problems.Problem")
    assert not forbidden("ticketing_runtime.database.UnitOfWork")
