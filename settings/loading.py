"""Reads the stack's `aurora:*` configuration and turns it into the validated `StackConfig`.

The settings themselves are declared in `settings/model.py`. `read_stack_config` is the only
function here that touches Pulumi; `load_settings` is pure: it validates the raw values against
the models, turns every pydantic error into one line naming the setting, the value and what is
allowed, and raises them all together before any resource is declared.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pulumi.errors import RunError
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import checks as v
from . import rules
from .model import RULE_ERROR, StackConfig, section_model

NAMESPACE = "aurora"
"""The project's name in Pulumi.yaml: the namespace of the program's own keys."""

# The namespaces something reads: the program's own, the Pulumi engine's (`pulumi:` keys such as
# disable-default-providers) and those of the providers the program uses (pyproject.toml: pulumi-aws,
# pulumi-mysql, pulumi-random). A key in any other namespace reaches no one, so it is refused rather
# than silently ignored: `auror:deletionProtection` would leave deletion protection at its default.
READ_NAMESPACES = (NAMESPACE, "aws", "mysql", "pulumi", "random")


def _provider_config_keys(package: str) -> frozenset[str]:
    """The keys a provider's generated SDK reads: its `config/vars.py` has one `__config__.get...('<key>')`
    for each configuration variable of the provider's schema. Read as text: importing the module on its
    own trips the SDK's lazy imports."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None, f"{package} is in uv.lock"
    source = (Path(spec.origin).parent / "config" / "vars.py").read_text()
    return frozenset(re.findall(r"__config__\.get\w*\('(\w+)'\)", source))


@functools.cache
def provider_keys() -> dict[str, frozenset[str]]:
    """The configuration keys of each provider the program uses, read once, when a key is judged.

    A provider refuses, at `pulumi preview`, a key of its namespace that its schema lacks
    (pulumi-terraform-bridge `CheckConfig`: "`aws:regoin` is not a valid configuration key for the aws
    provider"); pulumi-random has no configuration. Checked here too, so the offline plan says what
    preview would. The `pulumi:` namespace is the engine's own and open."""
    return {"aws": _provider_config_keys("pulumi_aws"), "mysql": _provider_config_keys("pulumi_mysql"), "random": frozenset()}


# Keys whose value is taken as typed: a string setting is never JSON-decoded ("8.0" stays text).
STRING_KEYS = frozenset(
    field.alias or name for name, field in StackConfig.model_fields.items() if field.annotation in (str, str | None)
)


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


def unread_key_problems(keys: Iterable[str]) -> list[str]:
    """One line for each stack key nothing reads: in a namespace no one reads (READ_NAMESPACES), or
    not a key of the provider that reads its namespace (`provider_keys`)."""
    found = []
    for key in sorted(keys):
        namespace, _, name = key.partition(":")
        if namespace not in READ_NAMESPACES:
            found.append(_unread_namespace(key, namespace, name))
        elif name not in provider_keys().get(namespace, {name}):
            found.append(_unknown_provider_key(key, namespace, name))
    return found


def _unread_namespace(key: str, namespace: str, name: str) -> str:
    close = difflib.get_close_matches(namespace, READ_NAMESPACES, n=1)
    hint = f"; did you mean {close[0]}:{name}?" if close else ""
    return (
        f"{key} is set but nothing reads the {namespace!r} namespace: this program reads {NAMESPACE}:* (a key "
        f"written without a namespace in Pulumi.<stack>.yaml is {NAMESPACE}:<key>) and its providers read "
        f"{', '.join(n + ':*' for n in READ_NAMESPACES if n != NAMESPACE)}{hint}"
    )


def _unknown_provider_key(key: str, namespace: str, name: str) -> str:
    close = difflib.get_close_matches(name, provider_keys()[namespace], n=1)
    if close:
        hint = f"; did you mean {namespace}:{close[0]}?"
    elif name in _keys(StackConfig):
        hint = f"; did you mean {NAMESPACE}:{name}?"
    else:
        hint = ""
    return f"{key} is not a configuration key of the {namespace} provider, which refuses it at `pulumi preview`{hint}"


def namespaced(config: Mapping[str, Any], project: str) -> dict[str, Any]:
    """A stack file's `config:` map as the Pulumi CLI hands it to the program: a key without a
    namespace belongs to the project (`deletionProtection` is `aurora:deletionProtection`).

    Source: pulumi/pulumi sdk/go/common/workspace/loaders.go, `LoadProjectStackBytes` calls
    `stackConfigNamespacedWithProject`, which prefixes every key without a `:` with the project
    name; `config.ParseKey` (sdk/go/common/resource/config/key.go) then needs `<namespace>:<name>`.
    The CLI writes both forms into one Go map, so a setting given both ways keeps either value: that
    is refused (ValueError, one line) instead of guessed."""
    result: dict[str, Any] = {}
    for key, value in config.items():
        full_key = str(key) if ":" in str(key) else f"{project}:{key}"
        if full_key in result:
            raise ValueError(
                f"{full_key} is set twice, with and without its namespace (the Pulumi CLI reads a key without one "
                f"as {project}:<key> and keeps either value): keep one"
            )
        result[full_key] = value
    return result


def problems(error: ValidationError) -> list[str]:
    """One line per problem in a pydantic error; a Serverless v1 configuration gets one."""
    # A default that follows capacityType is not computed when capacityType (or a field before it) is
    # refused: that refusal is the problem, not the defaults it left open.
    details = [detail for detail in error.errors(include_url=False) if detail["type"] != "default_factory_not_called"]
    v1 = [detail for detail in details if _is_serverless_v1(detail)]
    if v1:
        # What v1 also brought (its other keys, its engine version, no capacityType) follows from it.
        details = v1[:1] + [detail for detail in details if not _brought_by_v1(detail)]
    messages: list[str] = []
    for detail in details:
        for message in _messages(detail):
            if message not in messages:
                messages.append(message)
    return messages


def _is_serverless_v1(detail: ErrorDetails) -> bool:
    """A Serverless v1 key (engineMode, scalingConfiguration) or capacityType."""
    if detail["type"] == "extra_forbidden":  # always located: pydantic names the key it refuses
        return str(detail["loc"][-1]) in v.SERVERLESS_V1_KEYS
    return detail["loc"] == ("capacityType",) and v.is_serverless_v1_capacity(detail["input"])


def _brought_by_v1(detail: ErrorDetails) -> bool:
    if _is_serverless_v1(detail):
        return True
    if detail["loc"] == ("capacityType",):
        return detail["type"] == "missing"
    return detail["loc"] == ("engineVersion",) and v.is_aurora_mysql_1(detail["input"])


def _messages(detail: ErrorDetails) -> list[str]:
    path = [str(part) for part in detail["loc"] if isinstance(part, str)]
    name = ".".join(path)
    context = detail.get("ctx") or {}
    kind = detail["type"]
    if kind == RULE_ERROR:
        found = [context["write"](name)]
    elif kind == "extra_forbidden":
        found = [_unknown_key(path)]
    elif kind == "missing":
        found = [f"{v.setting(name)} is required: {_field(path).description}"]
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        keys = ", ".join(_keys(_model(path)))
        found = [f"{v.setting(name)} is {v.show(detail['input'])}: expected an object with keys {keys}"]
    else:
        found = [f"{v.setting(name)} is {v.show(detail['input'])}: {detail['msg'].lower()}"]
    return found


def _model(path: list[str]) -> type[BaseModel]:
    model: type[BaseModel] = StackConfig
    for key in path:
        section = section_model(_field_of(model, key).annotation)
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
        # A provider's key written without its namespace reads as the program's (`region` is aurora:region).
        owner = next((namespace for namespace, keys in provider_keys().items() if key in keys), None)
        if not hint and owner is not None:
            hint = f"; did you mean {owner}:{key}?"
        return f"{name} is not a known setting{hint}"
    return f"{name} is not a known setting{hint or ':'} allowed keys are {', '.join(allowed)}"


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
