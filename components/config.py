"""Reads the stack's `aurora:*` configuration and turns it into the validated `StackConfig`.

The settings themselves are declared in `config_models.py`. `read_stack_config` is the only
function here that touches Pulumi; `load_settings` is pure: it validates the raw values against
the models, turns every pydantic error into one line naming the setting, the value and what is
allowed, and raises them all together before any resource is declared.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import validation as v
from .config_models import HERE, RULE_ERROR, RULES_ERROR, StackConfig

NAMESPACE = "aurora"

# Keys whose value is taken as typed: a string setting is never JSON-decoded ("8.0" stays text).
STRING_KEYS = frozenset(
    field.alias or name for name, field in StackConfig.model_fields.items() if field.annotation in (str, str | None)
)


class ConfigError(Exception):
    """The stack's configuration is invalid; `problems` lists every message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the stack configuration is invalid; nothing was created or changed:\n  - " + "\n  - ".join(problems))


def read_stack_config() -> tuple[dict[str, Any], str]:
    """The raw `aurora:*` values (JSON-decoded where the key expects JSON) and the AWS region."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    config = pulumi.Config(NAMESPACE)
    present = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    raw: dict[str, Any] = {}
    for full_key in sorted(k for k in present if k.startswith(f"{NAMESPACE}:")):
        key = full_key.split(":", 1)[1]
        text = config.get(key)
        if text is None:
            continue
        raw[key] = text if key in STRING_KEYS else _decode(text)
    region = pulumi.Config("aws").get("region") or ""
    return raw, region


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def load_settings(raw: Mapping[str, Any], project: str, stack: str, region: str) -> StackConfig:
    """Validate raw configuration and resolve every default. Raises ConfigError listing all problems."""
    context = {"project": project, "stack": stack, "region": region}
    try:
        config = StackConfig.model_validate(dict(raw), context=context)
    except ValidationError as error:
        found = problems(error)
        # pydantic runs the rules that join settings only when every setting is valid. Run them
        # again with the refused settings left out (a refused section stays, as its defaults:
        # that it is set is known) and keep what does not depend on a refused value.
        refused = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        try:
            StackConfig.model_validate(_without(raw, refused), context=context)
        except ValidationError as rest:
            found += [m for m in problems(rest) if m not in found and not _depends_on(m, refused)]
        raise ConfigError(_one_v1_message(found)) from None
    return config


def _without(raw: Mapping[str, Any], refused: set[str]) -> dict[str, Any]:
    kept = {key: value for key, value in raw.items() if key not in refused}
    fields = {field.alias: field for field in StackConfig.model_fields.values()}
    for key in refused & set(raw) & set(fields):
        section = _section_model(fields[key].annotation)
        if section is not None:
            # Its required settings are absent (None): its own rules see them as unset.
            kept[key] = section.model_construct(
                **{name: None for name, field in section.model_fields.items() if field.is_required()}
            )
    return kept


def _depends_on(message: str, refused: set[str]) -> bool:
    """Whether a message names a refused setting, other than a refused section it only says is set."""
    for key in refused:
        message = message.removeprefix(f"{v.setting(key)} is set but ")
    return any(re.search(re.escape(v.setting(key)) + r"(?![A-Za-z])", message) for key in refused)


def problems(error: ValidationError) -> list[str]:
    """One line per problem in a pydantic error."""
    messages: list[str] = []
    for detail in error.errors(include_url=False):
        for message in _messages(detail):
            if message not in messages:
                messages.append(message)
    return messages


def _one_v1_message(messages: list[str]) -> list[str]:
    """A Serverless v1 configuration gets its end-of-life message once, alone."""
    if any(v.SERVERLESS_V1_END in m for m in messages):
        first = next(m for m in messages if v.SERVERLESS_V1_END in m)
        # Whatever v1 also brought (its engine version, its keys, no capacityType) follows from it.
        messages = [first] + [m for m in messages if not _follows_from_v1(m)]
    return messages


def _follows_from_v1(message: str) -> bool:
    return "Serverless v1" in message or message.startswith(v.setting("capacityType") + " is required")


def _messages(detail: ErrorDetails) -> list[str]:
    path = [str(part) for part in detail["loc"] if isinstance(part, str)]
    name = ".".join(path)
    here = v.setting(HERE)
    context = detail.get("ctx") or {}
    kind = detail["type"]
    if kind == RULES_ERROR:
        found = list(context["messages"])
    elif kind == RULE_ERROR:
        found = [str(context["message"])]
    elif kind == "extra_forbidden":
        found = [_unknown_key(path)]
    elif kind == "missing":
        found = [f"{v.setting(name)} is required: {_field(path).description}"]
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        keys = ", ".join(_keys(_model(path)))
        found = [f"{v.setting(name)} is {v.show(detail['input'])}: expected an object with keys {keys}"]
    else:
        found = [f"{v.setting(name)} is {v.show(detail['input'])}: {detail['msg'].lower()}"]
    return [m.replace(here, v.setting(name)) for m in found]


def _section_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a section's field (`ServerlessConfig | None`), None for a plain setting."""
    candidates = getattr(annotation, "__args__", (annotation,))
    return next((a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)), None)


def _model(path: list[str]) -> type[BaseModel]:
    model: type[BaseModel] = StackConfig
    for key in path:
        section = _section_model(_field_of(model, key).annotation)
        assert section is not None, path
        model = section
    return model


def _field_of(model: type[BaseModel], key: str) -> Any:
    return next(field for name, field in model.model_fields.items() if (field.alias or name) == key)


def _field(path: list[str]) -> Any:
    return _field_of(_model(path[:-1]), path[-1])


def _keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def _unknown_key(path: list[str]) -> str:
    *parents, key = path
    name = v.setting(".".join(path))
    if key in v.SERVERLESS_V1_KEYS:
        return f"{name} is a Serverless v1 setting: {v.SERVERLESS_V1_END}"
    allowed = _keys(_model(parents))
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean {v.setting('.'.join([*parents, close[0]]))}?" if close else ""
    if not parents:
        return f"{name} is not a known setting{hint}"
    return f"{name} is not a known setting{hint or ':'} allowed keys are {', '.join(allowed)}"


def load_stack_settings() -> StackConfig:
    """Settings of the stack Pulumi is running, validated before any resource is declared."""
    import pulumi

    raw, region = read_stack_config()
    return load_settings(raw, pulumi.get_project(), pulumi.get_stack(), region)
