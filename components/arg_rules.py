"""A bad arg value is refused as a bad setting is: by the value's own rule (settings/checks.py,
the one definition), in one line naming the arg, the value and what is allowed, before the component
declares anything. The program's args come from validated settings and pass; a user of the package
(docs/package.md) gets the same judgement for the same value.

A value still unknown (a `pulumi.Output`: another resource's attribute) cannot be judged while the
program runs; AWS judges it.
"""

from collections.abc import Callable, Mapping
from typing import Any

import pulumi

from settings.checks import check_tag_key, check_tag_value, show

Rule = Callable[[Any], str | None]


class ArgError(pulumi.RunError):
    """A component was given an arg value its rule refuses."""


def arg_name(key: str) -> str:
    """The arg as the package's schema names it (Pulumi's analyzer: camelCase of the Python name)."""
    first, *rest = key.split("_")
    return first + "".join(word.title() for word in rest)


def each(rule: Rule) -> Rule:
    """A rule for every item of a list: the first refused item says what is allowed."""
    return lambda values: next((f"{show(v)} is refused: {allowed}" for v in values if (allowed := rule(v))), None)


def check_tags(tags: Mapping[str, str]) -> str | None:
    for key, value in tags.items():
        if allowed := check_tag_key(key):
            return f"key {show(key)}: {allowed}"
        if allowed := check_tag_value(value):
            return f"value of {show(key)}: {allowed}"
    return None


def refuse_bad_args(component: str, args: Mapping[str, Any], rules: Mapping[str, Rule]) -> None:
    """Raises ArgError naming every arg whose known value its rule refuses."""
    problems = [
        f"{component} arg {arg_name(key)} is {show(value)}: {allowed}"
        for key, rule in rules.items()
        if (value := args.get(key)) is not None and not isinstance(value, pulumi.Output) and (allowed := rule(value))
    ]
    if problems:
        raise ArgError("\n".join(problems))
