"""`.ci/mutation --changed REV`: which functions' mutants run, by comparing each with its source at REV."""

from __future__ import annotations

import os
import runpy
import subprocess

import pytest

from plan.engine import PROJECT_ROOT

# Under mutmut these would read its rewritten copy of the modules, not the project's.
pytestmark = pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="reads the sources mutmut has rewritten")


@pytest.fixture(scope="module")
def mutation() -> dict:
    return runpy.run_path(str(PROJECT_ROOT / ".ci" / "mutation"), run_name="mutation")


@pytest.fixture
def module(mutation, tmp_path, monkeypatch):
    """A one-module repository the script reads instead of this one."""
    monkeypatch.setitem(mutation["function_sources"].__globals__, "ROOT", tmp_path)
    monkeypatch.setitem(mutation["function_sources"].__globals__, "mutated_modules", lambda: ["m.py"])
    return tmp_path / "m.py"


def test_mutmut_names_functions_and_methods_as_the_script_keys_them(mutation):
    sources = mutation["function_sources"]()
    assert "settings.checks.x_check_region" in sources
    assert "settings.model.x\u01c1StackConfig\u01c1_stack_context" in sources
    assert mutation["function_of"]("settings.checks.x_check_region__mutmut_12") == "settings.checks.x_check_region"


def test_comments_do_not_change_a_function_but_code_does(mutation, module):
    module.write_text("LIMIT = 1\n\ndef f(x):\n    return x + LIMIT\n")
    first = mutation["function_sources"]()
    module.write_text("LIMIT = 1\n\ndef f(x):\n    # why\n    return x + LIMIT\n")
    assert mutation["function_sources"]() == first
    module.write_text("LIMIT = 2\n\ndef f(x):\n    return x + LIMIT\n")
    assert mutation["function_sources"]() != first


@pytest.mark.subprocess
def test_a_function_is_compared_with_its_source_at_the_revision(mutation, module):
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=module.parent, check=True, capture_output=True)

    git("init", "-q")
    module.write_text("def kept(x):\n    return x\n\ndef changed(x):\n    return x + 1\n")
    git("add", "m.py")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first")
    module.write_text("def kept(x):\n    return x\n\ndef changed(x):\n    return x + 2\n\ndef new(x):\n    return -x\n")
    before, now = mutation["function_sources"]("HEAD"), mutation["function_sources"]()
    assert sorted(f for f, source in now.items() if before.get(f) != source) == ["m.x_changed", "m.x_new"]
    assert mutation["source_at"]("HEAD", "absent.py") == ""
