"""pytest plugin for the mutation run (`.ci/mutation` loads it with `-p tests.mutation_selection`): which tests
each mutant is run against.

`MUTATION_SCOPE=pure` (the default) keeps the fast tests that call the code directly and deselects
the ones marked `engine` (they run the program under the mock engine); `MUTATION_SCOPE=program`
keeps those too, for mutating a component. Tests marked `mariadb` or `subprocess` are always
deselected: a child would run mutmut's instrumented copy outside mutmut, and MariaDB is for the
SQL, not the rules. The markers are held true by tests/conftest.py, which fails a test whose
activity needs a marker it lacks.
"""

from __future__ import annotations

import os

import pytest

SCOPES = {"pure": ("engine", "mariadb", "subprocess"), "program": ("mariadb", "subprocess")}


# Last, so the markers tests/conftest.py adds from fixtures are already there.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    scope = os.environ.get("MUTATION_SCOPE", "pure")
    if scope not in SCOPES:
        raise pytest.UsageError(f"MUTATION_SCOPE is {scope!r}: allowed values are {', '.join(SCOPES)}")
    left_out = SCOPES[scope]
    kept = [item for item in items if not any(item.get_closest_marker(marker) for marker in left_out)]
    dropped = [item for item in items if item not in kept]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
