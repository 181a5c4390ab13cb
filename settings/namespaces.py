"""Which stack keys something reads: the program's own `aurora:*`, the providers' and the engine's.

A key nobody reads is refused rather than ignored (`unread_key_problems`), and a key written without
a namespace belongs to the project, as the Pulumi CLI reads it (`namespaced`).
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .model import StackConfig

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
    elif name in setting_keys():
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


def setting_keys() -> list[str]:
    """The program's own top-level keys."""
    return [field.alias or name for name, field in StackConfig.model_fields.items()]
