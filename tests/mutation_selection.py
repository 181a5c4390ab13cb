"""pytest plugin for the mutation run (`.ci/mutation` loads it with `-p mutation_selection`): which tests
each mutant is run against.

`MUTATION_SCOPE=pure` (the default) keeps the fast tests that call the code directly and deselects
the ones that run the program under the mock engine; `MUTATION_SCOPE=program` keeps those too, for
mutating a component. Tests that need MariaDB or start a child process are always deselected: the
child would run mutmut's instrumented copy outside mutmut, and MariaDB is for the SQL, not the rules.
A test is recognised by its own source and its fixtures' sources, so new tests sort themselves; for a
child process, also by the helpers of its own module it calls (a helper may be what starts it).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator

import pytest

ENGINE_MARKS = ("run_program", "take(")
EXTERNAL_MARKS = ("subprocess", "mariadb")


def _module_helpers(function: object) -> list[object]:
    """The functions of `function`'s own module that it names (one level deep)."""
    code = getattr(function, "__code__", None)
    module_globals = getattr(function, "__globals__", {})
    module = getattr(function, "__module__", None)
    named = (module_globals.get(name) for name in (code.co_names if code else ()))
    return [value for value in named if inspect.isfunction(value) and value.__module__ == module]


def _sources(item: pytest.Item, with_helpers: bool = False) -> Iterator[str]:
    function = getattr(item, "function", None)
    fixture_info = getattr(item, "_fixtureinfo", None)
    functions = [function] if function else []
    if fixture_info is not None:
        functions += [definition.func for definitions in fixture_info.name2fixturedefs.values() for definition in definitions]
    if with_helpers:
        functions += [helper for function in list(functions) for helper in _module_helpers(function)]
    for code in functions:
        try:
            yield inspect.getsource(code)
        except (OSError, TypeError):
            continue


def _wanted(item: pytest.Item, scope: str) -> bool:
    if any(mark in "\n".join(_sources(item, with_helpers=True)) for mark in EXTERNAL_MARKS):
        return False
    text = "\n".join(_sources(item))
    return scope == "program" or not any(mark in text for mark in ENGINE_MARKS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scope = os.environ.get("MUTATION_SCOPE", "pure")
    if scope not in ("pure", "program"):
        raise pytest.UsageError(f"MUTATION_SCOPE is {scope!r}: allowed values are pure, program")
    kept = [item for item in items if _wanted(item, scope)]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
