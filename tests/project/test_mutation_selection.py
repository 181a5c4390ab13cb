"""The mutation run's test selection (tests/mutation_selection.py) goes by markers alone."""

from __future__ import annotations

import pytest

from tests import mutation_selection


class FakeItem:
    def __init__(self, *markers: str) -> None:
        self.markers = set(markers)

    def get_closest_marker(self, name: str):
        return name if name in self.markers else None


class FakeConfig:
    def __init__(self) -> None:
        self.deselected: list[FakeItem] = []
        self.hook = self

    def pytest_deselected(self, items):
        self.deselected.extend(items)


def select(scope: str, monkeypatch, *items: FakeItem) -> list[FakeItem]:
    monkeypatch.setenv("MUTATION_SCOPE", scope)
    kept = list(items)
    mutation_selection.pytest_collection_modifyitems(FakeConfig(), kept)  # type: ignore[arg-type]
    return kept


def test_the_pure_scope_keeps_only_unmarked_tests(monkeypatch):
    plain, engine, mariadb, child = FakeItem(), FakeItem("engine"), FakeItem("mariadb"), FakeItem("subprocess")
    assert select("pure", monkeypatch, plain, engine, mariadb, child) == [plain]


def test_the_program_scope_keeps_engine_tests_but_never_mariadb_or_child_processes(monkeypatch):
    plain, engine, mariadb, child = FakeItem(), FakeItem("engine"), FakeItem("mariadb"), FakeItem("subprocess")
    assert select("program", monkeypatch, plain, engine, mariadb, child) == [plain, engine]


def test_an_unknown_scope_is_a_usage_error_naming_the_allowed_ones(monkeypatch):
    with pytest.raises(pytest.UsageError, match="MUTATION_SCOPE is 'all': allowed values are pure, program"):
        select("all", monkeypatch, FakeItem())


def test_a_test_that_runs_the_engine_without_its_marker_fails(pytestconfig):
    from tests.conftest import _Activity, _check_activity

    unmarked = FakeItem()
    unmarked.nodeid = "tests/x.py::test_y"  # type: ignore[attr-defined]
    with pytest.raises(pytest.fail.Exception, match="needs the marker engine"):
        _check_activity(unmarked, (_Activity.engine_runs - 1, _Activity.child_processes), "call")  # type: ignore[arg-type]
    with pytest.raises(pytest.fail.Exception, match="needs the marker subprocess"):
        _check_activity(unmarked, (_Activity.engine_runs, _Activity.child_processes - 1), "call")  # type: ignore[arg-type]
    marked = FakeItem("engine", "subprocess")
    _check_activity(marked, (_Activity.engine_runs - 1, _Activity.child_processes - 1), "call")  # type: ignore[arg-type]
