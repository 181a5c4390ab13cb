"""Compare two snapshots of a stack and mark the changes that would replace or delete stateful resources.

The properties that force replacement come from the AWS provider's schema (Terraform AWS provider,
`ForceNew` attributes, which pulumi-aws bridges unchanged), for the types this project declares.
A property listed in a resource's `ignore_changes` is never a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .snapshot import Resource, Snapshot

REPLACING_PROPERTIES: dict[str, frozenset[str]] = {
    "aws:rds/cluster:Cluster": frozenset(
        {
            "clusterIdentifier",
            "availabilityZones",
            "databaseName",
            "dbSubnetGroupName",
            "engine",
            "engineMode",
            "kmsKeyId",
            "masterUsername",
            "snapshotIdentifier",
            "sourceRegion",
            "storageEncrypted",
            "restoreToPointInTime",
            "s3Import",
            "region",
        }
    ),
    "aws:rds/clusterInstance:ClusterInstance": frozenset(
        {
            "identifier",
            "clusterIdentifier",
            "engine",
            "availabilityZone",
            "dbSubnetGroupName",
            "region",
        }
    ),
    "aws:rds/globalCluster:GlobalCluster": frozenset(
        {
            "globalClusterIdentifier",
            "sourceDbClusterIdentifier",
            "engine",
            "databaseName",
            "storageEncrypted",
            "region",
        }
    ),
    "aws:rds/clusterSnapshot:ClusterSnapshot": frozenset({"dbClusterIdentifier", "dbClusterSnapshotIdentifier", "region"}),
    "aws:kms/key:Key": frozenset({"region", "keyUsage", "customerMasterKeySpec", "multiRegion"}),
    "aws:backup/vault:Vault": frozenset({"name", "kmsKeyArn", "region"}),
    "aws:cloudwatch/logGroup:LogGroup": frozenset({"name", "region"}),
    "aws:rds/subnetGroup:SubnetGroup": frozenset({"name", "region"}),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": frozenset({"name", "family", "region"}),
    "aws:ec2/securityGroup:SecurityGroup": frozenset({"name", "vpcId", "description", "region"}),
    "aws:ec2/instance:Instance": frozenset({"ami", "subnetId", "availabilityZone", "region"}),
    "aws:cloudwatch/metricAlarm:MetricAlarm": frozenset({"name", "region"}),
    "aws:cloudwatch/dashboard:Dashboard": frozenset({"dashboardName", "region"}),
}
# Replacing or deleting one of these loses data (or the key to it).
STATEFUL_TYPES = frozenset(
    {
        "aws:rds/cluster:Cluster",
        "aws:rds/globalCluster:GlobalCluster",
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "aws:backup/vault:Vault",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
    }
)


@dataclass
class Change:
    kind: str
    """`create`, `delete`, `update` or `replace`."""
    resource: Resource
    properties: list[str] = field(default_factory=list)
    replacing: list[str] = field(default_factory=list)

    @property
    def stateful(self) -> bool:
        return self.resource.type in STATEFUL_TYPES

    @property
    def loses_data(self) -> bool:
        return self.stateful and self.kind in ("delete", "replace")

    def line(self) -> str:
        marks = {"create": "+", "delete": "-", "update": "~", "replace": "!"}
        text = f"{marks[self.kind]} {self.kind:<7} {self.resource.type} {self.resource.name}"
        if self.properties:
            text += "  changed: " + ", ".join(f"{p} (forces replacement)" if p in self.replacing else p for p in self.properties)
        if self.loses_data:
            text += "  << STATEFUL: " + (
                "data would be deleted" if self.kind == "delete" else "a new, empty resource would replace it"
            )
            if self.resource.protect:
                text += "; it is protected, so pulumi up would refuse"
            elif self.resource.retain_on_delete:
                text += "; the old one is kept in AWS (retain on delete)"
            text += " >>"
        return text


def changed_properties(old: dict[str, Any], new: dict[str, Any], ignored: list[str]) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [key for key in keys if key not in ignored and old.get(key) != new.get(key)]


def changed_options(old: Resource, new: Resource) -> list[str]:
    """Resource options that keep data safe, as `option old -> new` (they change no cloud resource)."""
    options = {
        "protect": (old.protect, new.protect),
        "retainOnDelete": (old.retain_on_delete, new.retain_on_delete),
        "ignoreChanges": (sorted(old.ignore_changes), sorted(new.ignore_changes)),
    }
    return [f"[{name}: {before} -> {after}]" for name, (before, after) in options.items() if before != after]


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    before = {r.urn: r for r in old.resources}
    after = {r.urn: r for r in new.resources}
    changes: list[Change] = []
    for urn, resource in after.items():
        if urn not in before:
            changes.append(Change("create", resource))
            continue
        properties = changed_properties(before[urn].inputs, resource.inputs, resource.ignore_changes)
        properties += changed_options(before[urn], resource)
        if not properties:
            continue
        replacing = [p for p in properties if p in REPLACING_PROPERTIES.get(resource.type, frozenset())]
        changes.append(Change("replace" if replacing else "update", resource, properties, replacing))
    for urn, resource in before.items():
        if urn not in after:
            changes.append(Change("delete", resource))
    order = {"replace": 0, "delete": 1, "update": 2, "create": 3}
    return sorted(changes, key=lambda c: (not c.loses_data, order[c.kind], c.resource.type, c.resource.name))


def render(changes: list[Change], old_label: str, stack: str) -> list[str]:
    if not changes:
        return [f"Changes to {stack} since {old_label}: none"]
    losing = [c for c in changes if c.loses_data]
    lines = [f"Changes to {stack} since {old_label}: {len(changes)}"]
    if losing:
        lines.append(f"WARNING: {len(losing)} change(s) would replace or delete a stateful resource")
    lines.extend("  " + change.line() for change in changes)
    return lines
