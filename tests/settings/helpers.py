"""A stack's raw `aurora:*` values through `load_settings` (pure, no engine), and how the tests read
its refusals: by the setting each names and the fragments that carry the reason."""

from __future__ import annotations

from typing import Any

import pytest

from plan.engine import stack_config
from settings.loading import ConfigError, load_settings
from settings.model import StackConfig


def raw_from_file(stack: str) -> dict[str, Any]:
    """The `aurora:*` values of Pulumi.<stack>.yaml, without the namespace, as `load` takes them."""
    return {key.split(":", 1)[1]: value for key, value in stack_config(stack).items() if key.startswith("aurora:")}


def load(raw: dict[str, Any], *, project: str = "aurora", stack: str = "dev", region: str = "us-east-1") -> StackConfig:
    return load_settings(raw, project, stack, region)


def problems(raw: dict[str, Any], **context: str) -> list[str]:
    """Every refusal of `raw`, in order (`context`: project, stack and region as `load` takes them)."""
    with pytest.raises(ConfigError) as caught:
        load(raw, **context)
    return caught.value.problems


def problem_keys(found: list[str]) -> list[str]:
    """The setting each problem starts with, in order: `aurora:serverless.minCapacity` and so on."""
    return [problem.split(" ", 1)[0] for problem in found]


def problem_about(found: list[str], key: str, *fragments: str) -> str:
    """The one problem in `found` that starts with `aurora:<key>` and holds each fragment: the value as
    shown and the words that carry the reason. The rest of the sentence is the code's to word."""
    about = [problem for problem in found if problem.startswith(f"aurora:{key} ")]
    matching = [problem for problem in about if all(fragment in problem for fragment in fragments)]
    assert len(matching) == 1, f"one problem about aurora:{key} with {fragments} expected in {about or found}"
    return matching[0]


def refusal_reads(message: str | None, key: str, *fragments: str) -> str:
    """One rule's refusal (a `check_*` of settings/checks.py): about `aurora:<key>`, with each fragment."""
    assert message is not None, f"aurora:{key} was accepted"
    return problem_about([message], key, *fragments)


def only_problem(found: list[str], key: str, *fragments: str) -> str:
    """`problem_about` where the problem is the only one: a refusal causes no follow-on problem."""
    assert len(found) == 1, f"one problem expected, found {found}"
    return problem_about(found, key, *fragments)
