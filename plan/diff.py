"""Compare two snapshots of a stack and mark the changes that would replace or delete stateful resources.

The properties that force replacement are `awsfacts.replacement.REPLACING_PROPERTIES` (the AWS
provider's `ForceNew` attributes, which pulumi-aws bridges unchanged), for the types this project declares.
A property listed in a resource's `ignore_changes` is never a change.

Changes are written in `pulumi preview`'s vocabulary: its step symbols and `Resources:` summary
(pulumi/pulumi `pkg/resource/deploy/step.go` `RawPrefix` and `StepOps`,
`pkg/backend/display/diff.go` `renderSummaryEvent`), short type tokens, and `old => new` values
with secrets as `[secret]` (`pkg/backend/display/object_diff.go`). A cluster moving to another
engine major is marked IRREVERSIBLE: it is the one change no later `pulumi up` undoes.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import dill

from awsfacts.engine_versions import engine_major
from awsfacts.replacement import REPLACING_PROPERTIES

from .aliases import previous_urns
from .snapshot import Resource, Snapshot
from .text import MAX_WIDTH, around_first_difference, fitted, shown, truncated

DYNAMIC_TYPE = "pulumi-python:dynamic:Resource"
DYNAMIC_PROVIDER_KEY = "__provider"

# Values whose removal from the inputs plans nothing, by type and property: the provider's
# DiffSuppressFunc hides it (rds/cluster.go: `snapshot_identifier` "allow ... to be removed without
# forcing re-creation", any value; `engine_mode` only from "provisioned").
UNSET_PLANS_NOTHING: dict[str, dict[str, frozenset[str] | None]] = {
    "aws:rds/cluster:Cluster": {"snapshotIdentifier": None, "engineMode": frozenset({"provisioned"})}
}
# Changes the provider's CustomizeDiff plans as nothing, by type and property: (state, program).
# rds/cluster.go: on an existing cluster, `storage_type` "aurora" against a state of "" (AWS does not
# report Aurora Standard) is set back to "": the two mean the same storage.
EQUIVALENT_VALUES: dict[str, dict[str, frozenset[tuple[Any, Any]]]] = {
    "aws:rds/cluster:Cluster": {"storageType": frozenset({("", "aurora"), (None, "aurora")})}
}
# What a reviewer must know about a change beyond its values, by type and property.
STORAGE_SWITCH_NOTE = (
    "NOTE: storage configuration change; AWS allows a switch to aurora-iopt1 (I/O-Optimized) once "
    "every 30 days (DescribeDBClusters IOOptimizedNextAllowedModificationTime), back to aurora at any time"
)
CHANGE_NOTES: dict[str, dict[str, str]] = {"aws:rds/cluster:Cluster": {"storageType": STORAGE_SWITCH_NOTE}}
# Replacing or deleting one of these loses data (or the key to it).
STATEFUL_TYPES = frozenset(
    {
        "aws:rds/cluster:Cluster",
        "aws:rds/globalCluster:GlobalCluster",
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "aws:backup/vault:Vault",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        # The generated master password of a Global Database lives only there.
        "aws:secretsmanager/secret:Secret",
    }
)

SYMBOLS = {"create": "+ ", "update": "~ ", "delete": "- ", "replace": "+-"}
"""Pulumi's two-character step symbols, by step."""
SUMMARY_ORDER = ("create", "update", "delete", "replace")
"""The order of the steps in Pulumi's `Resources:` summary."""
DETAIL_INDENT = "     "
FORCES_REPLACEMENT = " [forces replacement]"


def major_change(resource_type: str, properties: list[str], old: dict, new: dict) -> str | None:
    """Why a planned change of a cluster cannot be undone, when it cannot: its engine moves to another
    major. RDS upgrades in place and has no downgrade (ModifyDBCluster EngineVersion,
    AllowMajorVersionUpgrade: botocore rds model); going back means restoring a snapshot taken
    before into a new cluster."""
    if resource_type not in ENGINE_VERSIONED_TYPES or "engineVersion" not in properties:
        return None
    before, after = old.get("engineVersion"), new.get("engineVersion")
    old_major = engine_major(before) if isinstance(before, str) else None
    new_major = engine_major(after) if isinstance(after, str) else None
    if old_major is None or new_major is None or old_major == new_major:
        return None
    return (
        f"engine major {old_major} => {new_major} cannot be undone "
        "(RDS has no downgrade; going back is a restore of an earlier snapshot)"
    )


ENGINE_VERSIONED_TYPES = frozenset({"aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster"})
"""The resource types whose `engineVersion` the plan judges."""


def option_values(resource: Resource) -> dict[str, Any]:
    """The resource options that keep data safe (they change no cloud resource, but a reviewer must see them)."""
    return {
        "protect": resource.protect,
        "retainOnDelete": resource.retain_on_delete,
        "ignoreChanges": sorted(resource.ignore_changes),
    }


@dataclass
class Change:
    kind: str
    """`create`, `delete`, `update` or `replace`."""
    resource: Resource
    """As it would be; as it was, for a deletion."""
    before: Resource | None = None
    """As it was, for an update or a replacement."""
    properties: list[str] = field(default_factory=list)
    replacing: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)

    @property
    def stateful(self) -> bool:
        return self.resource.type in STATEFUL_TYPES

    @property
    def loses_data(self) -> bool:
        return self.stateful and self.kind in ("delete", "replace")

    def title(self) -> str:
        return f"{SYMBOLS[self.kind]} {self.resource.display_type} {self.resource.name}"

    def consequence(self) -> str:
        """What a stateful replacement or deletion would lose, and whether anything stops it."""
        text = "data would be deleted" if self.kind == "delete" else "a new, empty resource would replace it"
        if self.resource.protect:
            text += "; it is protected, so pulumi up would refuse"
        elif self.resource.retain_on_delete:
            text += "; the old one is kept in AWS (retain on delete)"
        return text

    def lines(self) -> list[str]:
        """The change as `pulumi preview --diff` would list it: symbol, type, name and step, then
        each changed property or option with its old and new value."""
        lines = [f"{self.title()}  {self.kind}"]
        if self.before is not None:
            for key in self.properties:
                lines += value_lines(key, self.before.inputs, self.resource.inputs, key in self.replacing)
            old_options, new_options = option_values(self.before), option_values(self.resource)
            for key in self.options:
                lines += value_lines(key, old_options, new_options, False)
            irreversible = major_change(self.resource.type, self.properties, self.before.inputs, self.resource.inputs)
            if irreversible:
                lines += fitted([f"{DETAIL_INDENT}IRREVERSIBLE: {irreversible}"])
            notes = CHANGE_NOTES.get(self.resource.type, {})
            lines += fitted([f"{DETAIL_INDENT}{notes[key]}" for key in self.properties if key in notes])
        if self.loses_data:
            lines += fitted([f"{DETAIL_INDENT}STATEFUL: {self.consequence()}"])
        return lines


def value_lines(key: str, old: dict[str, Any], new: dict[str, Any], replaces: bool) -> list[str]:
    """`~ key: old => new` (`+ key: new` when added, `- key: old` when removed), on one line when it
    fits in the plan's width, else with the old and new values on lines of their own, cut around
    the place where they start to differ."""
    suffix = FORCES_REPLACEMENT if replaces else ""
    if key not in old or key not in new:
        symbol, value = ("+", new[key]) if key not in old else ("-", old[key])
        start = f"{DETAIL_INDENT}{symbol} {key}: "
        return [start + truncated(shown(value), MAX_WIDTH - len(start) - len(suffix)) + suffix]
    before, after = shown(old[key]), shown(new[key])
    line = f"{DETAIL_INDENT}~ {key}: {before} => {after}{suffix}"
    if len(line) <= MAX_WIDTH:
        return [line]
    value_indent = DETAIL_INDENT + "     "
    before, after = around_first_difference(before, after, MAX_WIDTH - len(value_indent))
    return [f"{DETAIL_INDENT}~ {key}:{suffix}", value_indent + before, value_indent[:-3] + "=> " + after]


def changed_properties(old: dict[str, Any], new: dict[str, Any], ignored: list[str], type_: str) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [
        key
        for key in keys
        if key not in ignored
        and old.get(key) != new.get(key)
        and not _unset_plans_nothing(type_, key, old, new)
        and not _equivalent(type_, key, old, new)
    ]


def _equivalent(type_: str, key: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    pairs = EQUIVALENT_VALUES.get(type_, {}).get(key)
    return pairs is not None and (old.get(key), new.get(key)) in pairs


def _unset_plans_nothing(type_: str, key: str, old: dict[str, Any], new: dict[str, Any]) -> bool:
    suppressed = UNSET_PLANS_NOTHING.get(type_, {})
    if key not in suppressed or new.get(key) is not None:
        return False
    values = suppressed[key]
    return values is None or old.get(key) in values


def dynamic_provider_sees_a_change(old: Resource, new: Resource) -> bool:
    """A dynamic resource's own provider decides whether it changes, not a comparison of inputs: the
    engine's dynamic-provider host loads the provider from the new inputs' `__provider` (a base64 dill
    pickle) and asks its `diff`; `changes=None` leaves the decision to the engine's comparison of the
    inputs (pulumi `sdk/python/lib/pulumi/dynamic/__main__.py`, `get_provider` and `Diff`). The
    restore completion's one-shot diff is why an input it gains later plans nothing."""
    serialized = new.inputs[DYNAMIC_PROVIDER_KEY]
    if isinstance(serialized, dict):  # kept secret: the mock engine records the wrapped value
        serialized = serialized["value"]
    provider = dill.loads(base64.b64decode(serialized))
    return provider.diff(new.name, old.inputs, new.inputs).changes is not False


def changed_options(old: Resource, new: Resource) -> list[str]:
    before, after = option_values(old), option_values(new)
    return [name for name in before if before[name] != after[name]]


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Each resource of `new` against the old one it continues (by URN or alias, `plan.aliases`)."""
    before = {r.urn: r for r in old.resources}
    continued = previous_urns(new.resources, before)
    changes: list[Change] = []
    for resource in new.resources:
        previous = before.get(continued.get(resource.urn, ""))
        if previous is None:
            changes.append(Change("create", resource))
            continue
        properties = changed_properties(previous.inputs, resource.inputs, resource.ignore_changes, resource.type)
        if properties and resource.type == DYNAMIC_TYPE and not dynamic_provider_sees_a_change(previous, resource):
            properties = []
        options = changed_options(previous, resource)
        if not properties and not options:
            continue
        replacing = [p for p in properties if p in REPLACING_PROPERTIES.get(resource.type, frozenset())]
        kind = "replace" if replacing else "update"
        changes.append(Change(kind, resource, previous, properties, replacing, options))
    kept = set(continued.values())
    changes += [Change("delete", resource) for urn, resource in before.items() if urn not in kept]
    order = {"replace": 0, "delete": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.loses_data, order[c.kind], c.resource.type, c.resource.name))


def unchanged_count(old: Snapshot, new: Snapshot, changes: list[Change]) -> int:
    kept = previous_urns(new.resources, (r.urn for r in old.resources))
    return len(kept) - sum(1 for change in changes if change.kind in ("update", "replace"))


def summary(changes: list[Change], unchanged: int) -> str:
    """Pulumi's `Resources:` summary on one line: `Resources: + 3 to create, ~ 1 to update, 4 changes, 20 unchanged`
    (the total only when there are two kinds of change or more, as Pulumi prints it)."""
    counts = Counter(change.kind for change in changes)
    pieces = [f"{SYMBOLS[kind]}{counts[kind]} to {kind}" for kind in SUMMARY_ORDER if counts[kind]]
    if len(pieces) >= 2:
        pieces.append(f"{len(changes)} changes")
    if unchanged:
        pieces.append(f"{unchanged} unchanged")
    return "Resources: " + ", ".join(pieces)


def render(changes: list[Change], unchanged: int, old_label: str, stack: str) -> list[str]:
    """Summary first, then the data-loss warnings, then each change with its old and new values."""
    lines = [f"Changes to {stack} since {old_label}:", summary(changes, unchanged)]
    losing = [change for change in changes if change.loses_data]
    if losing:
        lines.append(f"WARNING: {len(losing)} of these changes would replace or delete a stateful resource:")
        lines += fitted([f"  {change.title()}: {change.consequence()}" for change in losing])
    irreversible = [
        (change, major_change(change.resource.type, change.properties, change.before.inputs, change.resource.inputs))
        for change in changes
        if change.before is not None
    ]
    undone = [f"  {change.title()}: {why}" for change, why in irreversible if why]
    if undone:
        lines.append(f"WARNING: {len(undone)} of these changes cannot be undone:")
        lines += fitted(undone)
    if changes:
        lines.append("")
        lines += [line for change in changes for line in change.lines()]
    return lines
