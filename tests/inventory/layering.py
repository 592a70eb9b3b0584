"""Which modules a service's layer imports, read from the source (nothing is imported)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

FORBIDDEN = ("fastapi", "starlette", "faststream", "ticketing_runtime.problems")


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None, package
    assert spec.submodule_search_locations, package
    return Path(next(iter(spec.submodule_search_locations)))


def modules_under(package: str, layer: str) -> dict[str, Path]:
    root = _package_dir(package)
    found: dict[str, Path] = {}
    for path in sorted((root / layer).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join((package, *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    """(module, names imported from it) of every import statement of the file."""
    found: list[tuple[str, set[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, {alias.name for alias in node.names}))
    return found


def _is_forbidden(module: str, names: set[str]) -> bool:
    if "Problem" in names:
        return True
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN)


def forbidden_imports(package: str, layer: str) -> list[str]:
    """``"<module> imports <what>"`` for every forbidden import of the layer's modules and of
    the modules of ``package`` they reach."""
    every = modules_under(package, "")
    waiting = list(modules_under(package, layer))
    seen: set[str] = set()
    problems: list[str] = []
    while waiting:
        name = waiting.pop()
        if name in seen or name not in every:
            continue
        seen.add(name)
        for module, names in _imports(every[name]):
            if _is_forbidden(module, names):
                problems.append(f"{name} imports {module} {sorted(names)}")
            candidates = [module, *(f"{module}.{n}" for n in names)]
            waiting += [c for c in candidates if c.startswith(package + ".")]
    return sorted(problems)
