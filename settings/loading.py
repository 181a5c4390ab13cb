"""Reads the stack's `aurora:*` configuration and turns it into the validated `StackConfig`.

The settings themselves are declared in `settings/model.py`. `read_stack_config` is the only
function here that touches Pulumi; `load_settings` is pure: it validates the raw values against
the models, turns every pydantic error into one line naming the setting, the value and what is
allowed, and raises them all together before any resource is declared.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pulumi.errors import RunError
from pydantic import ValidationError

from . import checks as v
from . import rules
from .messages import problems
from .model import StackConfig
from .namespaces import NAMESPACE, unread_key_problems


def _is_text(annotation: Any) -> bool:
    """A type whose values are text: `str`, a Literal of texts, or either `| None`."""
    if annotation is str:
        return True
    members = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is Literal:
        return all(isinstance(member, str) for member in members)
    if get_origin(annotation) is Annotated:
        return _is_text(members[0])
    return get_origin(annotation) in (Union, UnionType) and len(members) == 1 and _is_text(members[0])


# Keys whose value is taken as typed: a text setting is never JSON-decoded ("8.0" stays text).
STRING_KEYS = frozenset(field.alias or name for name, field in StackConfig.model_fields.items() if _is_text(field.annotation))


class ConfigError(RunError):
    """The stack's configuration is invalid; `problems` lists every message.

    A `pulumi.RunError`: Pulumi's Python language host logs its text alone, where any other exception
    is shown as "Program failed with an unhandled exception" with a traceback (pulumi/pulumi
    sdk/python/cmd/pulumi-language-python-exec, `except pulumi.RunError as e: pulumi.log.error(str(e))`)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the stack configuration is invalid; nothing was created or changed:\n  - " + "\n  - ".join(problems))


def stack_keys() -> set[str]:
    """Every `namespace:key` the running stack sets."""
    from pulumi.runtime import config as runtime_config

    # Private API, kept on purpose: pulumi.Config reads a key it is given but has no public way to
    # list the keys a stack sets (pulumi 3.x), and an unknown or misspelt key must be refused, not
    # ignored. `get_config_env` is the same store as PULUMI_CONFIG sets it.
    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())


def read_stack_config() -> tuple[dict[str, Any], str]:
    """The raw `aurora:*` values (JSON-decoded where the key expects JSON) and the AWS region."""
    import pulumi

    config = pulumi.Config(NAMESPACE)
    raw: dict[str, Any] = {}
    for full_key in sorted(k for k in stack_keys() if k.startswith(f"{NAMESPACE}:")):
        key = full_key.split(":", 1)[1]
        text = config.require(key)  # listed by the same store it is read from
        raw[key] = text if key in STRING_KEYS else _decode(text)
    region = pulumi.Config("aws").get("region") or ""
    return raw, region


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def load_settings(raw: Mapping[str, Any], project: str, stack: str, region: str) -> StackConfig:
    """Validate raw configuration and resolve every default. Raises ConfigError listing all problems.

    The stack's `aws:region` comes first; pydantic checks each setting; the rules that join
    settings (`rules.RULES`) run once, when every setting is valid, so a refused value never
    yields a second message about it."""
    context = {"project": project, "stack": stack, "region": region}
    region_problem = v.check_stack_region(region)
    found = [region_problem] if region_problem else []
    try:
        settings = StackConfig.model_validate(dict(raw), context=context)
    except ValidationError as error:
        raise ConfigError(found + problems(error)) from None
    found += rules.problems(settings)
    if found:
        raise ConfigError(found)
    return settings


def load_stack_settings() -> StackConfig:
    """Settings of the stack Pulumi is running, validated before any resource is declared."""
    import pulumi

    raw, region = read_stack_config()
    unread = unread_key_problems(stack_keys())
    try:
        settings = load_settings(raw, pulumi.get_project(), pulumi.get_stack(), region)
    except ConfigError as error:
        raise ConfigError(unread + error.problems) from None
    if unread:
        raise ConfigError(unread)
    return settings
