"""The mutation record (.ci/mutation, tests/mutation-record.json): which mutants run again."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Under mutmut these would read its rewritten copy of the modules, not the project's.
pytestmark = pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="reads the sources mutmut has rewritten")


@pytest.fixture(scope="module")
def mutation() -> dict:
    return runpy.run_path(str(ROOT / ".ci" / "mutation"), run_name="mutation")


def a_record(mutation: dict, sources: dict[str, str], tests: list[str]) -> dict:
    functions = {
        function: {
            "source": source,
            "tests": tests,
            "testsKey": mutation["tests_key"](tests),
            "mutants": {f"{function}__mutmut_1": "killed"},
        }
        for function, source in sources.items()
    }
    return {"shared": mutation["shared_key"](), "functions": functions}


def test_mutmut_names_functions_and_methods_as_the_record_keys_them(mutation):
    sources = mutation["function_sources"]()
    assert "components.validation.x_check_choice" in sources
    assert "components.config_models.x\u01c1StackConfig\u01c1_settings_fit_together" in sources
    assert mutation["function_of"]("components.validation.x_check_choice__mutmut_12") == "components.validation.x_check_choice"


def test_an_unchanged_function_with_unchanged_tests_keeps_its_results(mutation):
    sources = mutation["function_sources"]()
    record = a_record(mutation, sources, ["tests/test_validation.py"])
    assert mutation["stale_functions"](record, sources) == set()


def test_a_changed_function_runs_again_and_only_it(mutation):
    sources = mutation["function_sources"]()
    record = a_record(mutation, sources, ["tests/test_validation.py"])
    changed = dict(sources, **{"components.validation.x_check_choice": "another source"})
    assert mutation["stale_functions"](record, changed) == {"components.validation.x_check_choice"}


def test_a_new_function_runs(mutation):
    sources = mutation["function_sources"]()
    record = a_record(mutation, sources, ["tests/test_validation.py"])
    assert mutation["stale_functions"](record, dict(sources, **{"plan.diff.x_new": "code"})) == {"plan.diff.x_new"}


def test_a_changed_test_file_reruns_the_functions_it_reaches(mutation):
    sources = mutation["function_sources"]()
    record = a_record(mutation, sources, ["tests/test_validation.py"])
    record["functions"]["components.validation.x_check_choice"]["testsKey"] = "an older file"
    assert mutation["stale_functions"](record, sources) == {"components.validation.x_check_choice"}


def test_a_change_to_what_every_mutant_depends_on_reruns_everything(mutation):
    sources = mutation["function_sources"]()
    record = dict(a_record(mutation, sources, ["tests/test_validation.py"]), shared="another conftest")
    assert mutation["stale_functions"](record, sources) == set(sources)


def test_comments_do_not_change_a_function_key_but_code_does(mutation, tmp_path, monkeypatch):
    module = tmp_path / "m.py"
    monkeypatch.setitem(mutation["function_sources"].__globals__, "ROOT", tmp_path)
    monkeypatch.setitem(mutation["function_sources"].__globals__, "mutated_modules", lambda: ["m.py"])
    module.write_text("LIMIT = 1\n\ndef f(x):\n    return x + LIMIT\n")
    first = mutation["function_sources"]()
    module.write_text("LIMIT = 1\n\ndef f(x):\n    # why\n    return x + LIMIT\n")
    assert mutation["function_sources"]() == first
    module.write_text("LIMIT = 2\n\ndef f(x):\n    return x + LIMIT\n")
    assert mutation["function_sources"]() != first


def test_the_committed_record_keys_every_mutant_by_its_own_function(mutation):
    record = mutation["load_record"]()
    assert record["functions"], "tests/mutation-record.json is missing or empty: run .venv/bin/python .ci/mutation --full"
    for function, entry in record["functions"].items():
        assert {mutation["function_of"](name) for name in entry["mutants"]} <= {function}
        assert set(entry["mutants"].values()) <= mutation["DETECTED"] | mutation["UNDETECTED"]


def test_the_committed_record_knows_every_mutated_function_so_an_unchanged_tree_runs_only_the_sample(mutation):
    record, sources = mutation["load_record"](), mutation["function_sources"]()
    assert set(record["functions"]) >= set(sources)
