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


# A stack each setting can be tried in: the shape, and the keys its section needs to exist.
_STACK_FOR = {
    "": {"capacityType": "serverless"},
    "serverless": {"capacityType": "serverless"},
    "network": {"capacityType": "serverless"},
    "provisioned": {"capacityType": "provisioned"},
    "restoreFrom": {"capacityType": "provisioned"},
    "appUser": {"capacityType": "serverless", "appUser": {"endpoint": "127.0.0.1:3307"}},
    "disasterRecovery": {"capacityType": "provisioned", "disasterRecovery": {"region": "us-west-2"}},
}


def refusal(key: str, value: Any, **context: str) -> str | None:
    """The line that refuses `value` for the setting `key` (`serverless.minCapacity`) in a stack that
    is otherwise fine, or None when the setting takes it: what a user reads, through the loader."""
    section, _, name = key.rpartition(".")
    raw = {key: dict(value) if isinstance(value, dict) else value for key, value in _STACK_FOR[section].items()}
    if section:
        raw[section] = {**raw.get(section, {}), name: value}
    else:
        raw[name] = value
    try:
        load(raw, **context)
        return None
    except ConfigError as error:
        about = [
            line for line in error.problems if line.startswith((f"aurora:{key} is ", f"aurora:{key} has ", f"aurora:{key}."))
        ]
    assert len(about) <= 1, about
    return about[0] if about else None


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
    """One refusal (`refusal`): about `aurora:<key>`, with each fragment."""
    assert message is not None, f"aurora:{key} was accepted"
    return problem_about([message], key, *fragments)


def only_problem(found: list[str], key: str, *fragments: str) -> str:
    """`problem_about` where the problem is the only one: a refusal causes no follow-on problem."""
    assert len(found) == 1, f"one problem expected, found {found}"
    return problem_about(found, key, *fragments)
