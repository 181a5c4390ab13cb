"""The packages are layers: each imports only the layers below it, and no two modules import each
other, directly or round a longer circle. Read from the source (ast), so a lazy import counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from plan.engine import PROJECT_ROOT

# What each package may import of the project's own: the layers below it.
MAY_IMPORT = {
    "awsfacts": set(),
    "awscalls": {"awsfacts"},
    "settings": {"awsfacts"},
    "components": {"awsfacts", "awscalls", "settings"},
    "ops": {"awsfacts", "awscalls"},
    "plan": {"awsfacts", "settings"},
    # The component package (issue #31): it hosts the components.
    "package": {"awsfacts", "awscalls", "settings", "components"},
    "policy": set(),
}
PACKAGES = (*MAY_IMPORT, "__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The project modules `path` imports, as absolute names (relative imports resolved)."""
    package = _module_name(path).rpartition(".")[0] if path.name != "__init__.py" else _module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    return {name for name in found if name.partition(".")[0] in PACKAGES}


def _sources() -> dict[str, Path]:
    paths = [PROJECT_ROOT / "__main__.py", *(path for package in MAY_IMPORT for path in (PROJECT_ROOT / package).rglob("*.py"))]
    return {_module_name(path): path for path in paths}


def _defining_module(name: str, known: dict[str, Path]) -> str | None:
    """The module an imported name lives in: `settings.model.StackConfig` -> `settings.model`."""
    parts = name.split(".")
    return next((".".join(parts[:end]) for end in range(len(parts), 0, -1) if ".".join(parts[:end]) in known), None)


def _import_graph() -> dict[str, set[str]]:
    known = _sources()
    return {
        module: {found for name in _imports(path) if (found := _defining_module(name, known)) not in (None, module)}
        for module, path in known.items()
    }


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle of the graph, or None (depth-first search: a module met again on the path)."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        found = next((circle for imported in sorted(graph.get(module, ())) if (circle := visit(imported, [*path, module]))), None)
        done.add(module)
        return found

    return next((circle for module in sorted(graph) if (circle := visit(module, []))), None)


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_package_imports_only_the_layers_below_it(package):
    found = {
        (module, imported.partition(".")[0])
        for module, path in _sources().items()
        if module.partition(".")[0] == package
        for imported in _imports(path)
        if imported.partition(".")[0] not in (package, *MAY_IMPORT[package])
    }
    assert found == set()


def test_no_module_imports_a_module_that_imports_it_back():
    assert _circle(_import_graph()) is None


def test_the_circle_search_finds_a_circle_round_three_modules():
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
