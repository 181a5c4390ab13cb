"""The resource tree of a snapshot: component, type and name, with the settings a reviewer checks."""

from __future__ import annotations

from typing import Any

from .snapshot import Resource, Snapshot

# Per type, the inputs that decide security, data safety and cost.
REVIEW_KEYS: dict[str, tuple[str, ...]] = {
    "aws:rds/cluster:Cluster": (
        "clusterIdentifier",
        "region",
        "engineVersion",
        "serverlessv2ScalingConfiguration",
        "storageEncrypted",
        "deletionProtection",
        "backupRetentionPeriod",
        "backtrackWindow",
        "enableHttpEndpoint",
        "iamDatabaseAuthenticationEnabled",
        "databaseInsightsMode",
        "enabledCloudwatchLogsExports",
        "snapshotIdentifier",
        "globalClusterIdentifier",
        "skipFinalSnapshot",
    ),
    "aws:rds/clusterInstance:ClusterInstance": (
        "identifier",
        "region",
        "instanceClass",
        "availabilityZone",
        "promotionTier",
        "publiclyAccessible",
        "monitoringInterval",
    ),
    "aws:rds/globalCluster:GlobalCluster": ("globalClusterIdentifier", "deletionProtection"),
    "aws:rds/clusterSnapshot:ClusterSnapshot": ("dbClusterSnapshotIdentifier", "dbClusterIdentifier"),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": ("family", "region"),
    "aws:rds/subnetGroup:SubnetGroup": ("subnetIds", "region"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("fromPort", "cidrIpv4", "referencedSecurityGroupId", "region"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("fromPort", "cidrIpv4", "referencedSecurityGroupId"),
    "aws:ec2/instance:Instance": ("instanceType", "associatePublicIpAddress"),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "retentionInDays", "region"),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("metricName", "threshold"),
    "aws:kms/key:Key": ("region", "enableKeyRotation"),
    "aws:backup/vault:Vault": ("name", "region"),
    "aws:backup/plan:Plan": ("name",),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ("policyArn",),
}


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # the engine sends every number as a float
    return str(value)


def describe(resource: Resource) -> str:
    """`type name  key=value ... [protect] [retain] [ignores: ...]` on one line."""
    settings = [f"{key}={_show(resource.inputs[key])}" for key in REVIEW_KEYS.get(resource.type, ()) if key in resource.inputs]
    flags = []
    if resource.protect:
        flags.append("[protect]")
    if resource.retain_on_delete:
        flags.append("[retain on delete]")
    if resource.ignore_changes:
        flags.append(f"[ignores {', '.join(resource.ignore_changes)}]")
    return "  ".join([f"{resource.type} {resource.name}", *settings, *flags])


def render(snapshot: Snapshot) -> list[str]:
    if snapshot.error:
        return [f"Stack {snapshot.stack}: the program fails offline: {snapshot.error}"]
    by_parent: dict[str, list[Resource]] = {}
    urns = {r.urn for r in snapshot.resources}
    for resource in snapshot.resources:
        parent = resource.parent if resource.parent in urns else ""
        by_parent.setdefault(parent, []).append(resource)
    lines = [f"Stack {snapshot.stack} ({snapshot.region or 'region unset'}): {len(snapshot.resources)} resources"]

    def walk(parent: str, depth: int) -> None:
        # Sorted, so the same program always prints the same tree.
        for resource in sorted(by_parent.get(parent, []), key=lambda r: (r.type.startswith("aws:"), r.type, r.name)):
            lines.append("  " * depth + describe(resource))
            walk(resource.urn, depth + 1)

    walk("", 1)
    return lines
