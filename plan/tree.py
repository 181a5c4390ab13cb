"""The resource tree of a snapshot: component, type and name, with the settings a reviewer checks."""

from __future__ import annotations

from .snapshot import Resource, Snapshot
from .text import CONTINUATION, packed, shown

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


def describe(resource: Resource, indent: str) -> list[str]:
    """`type name  key=value ... [protect] [retain on delete] [ignores ...]`, the type as `pulumi preview`
    prints it, wrapped under `indent` to the plan's line width."""
    settings = [
        f"{key}={shown(resource.inputs[key], quoted=False)}"
        for key in REVIEW_KEYS.get(resource.type, ())
        if key in resource.inputs
    ]
    flags = []
    if resource.protect:
        flags.append("[protect]")
    if resource.retain_on_delete:
        flags.append("[retain on delete]")
    if resource.ignore_changes:
        flags.append(f"[ignores {', '.join(resource.ignore_changes)}]")
    return packed(f"{indent}{resource.display_type} {resource.name}", settings + flags, indent + CONTINUATION)


def failure_lines(message: str) -> list[str]:
    """A failure's first line, then one bullet per problem it lists (a refused configuration names
    every problem, each as `  - ...`)."""
    first, *problems = [line.strip() for line in message.splitlines() if line.strip()]
    return [first, *(f"  - {problem.removeprefix('- ')}" for problem in problems)]


def render(snapshot: Snapshot) -> list[str]:
    if snapshot.error:
        return failure_lines(f"Stack {snapshot.stack}: {snapshot.error}")
    by_parent: dict[str, list[Resource]] = {}
    urns = {r.urn for r in snapshot.resources}
    for resource in snapshot.resources:
        parent = resource.parent if resource.parent in urns else ""
        by_parent.setdefault(parent, []).append(resource)
    lines = [f"Stack {snapshot.stack} ({snapshot.region or 'region unset'}): {len(snapshot.resources)} resources"]

    def walk(parent: str, depth: int) -> None:
        # Sorted, so the same program always prints the same tree.
        for resource in sorted(by_parent.get(parent, []), key=lambda r: (r.type.startswith("aws:"), r.type, r.name)):
            lines.extend(describe(resource, "  " * depth))
            walk(resource.urn, depth + 1)

    walk("", 1)
    return lines
