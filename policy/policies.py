"""The guardrails this project promises, as Pulumi policies that any stack's preview and update run.

Mandatory: what would leak data, expose the database or lose data if it slipped through review
(encryption, public access, world-open ingress, the master password, deletion protection and
backups, audit logs in production, TLS, Enhanced Monitoring and AZ spread in production).
Advisory: production backtrack, because an Aurora Global Database legitimately turns it off; and
a password in a MySQL provider (the opt-in `appUser`), which keeps the master password, encrypted,
in state: a documented trade-off the user chose, reported on every preview.

A stack counts as production when its name is `prod` or `production`, or when the resource is
tagged `Environment: prod` (or `production`). Props are the engine's camelCase input names.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

CLUSTER = "aws:rds/cluster:Cluster"
CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
DB_INSTANCE = "aws:rds/instance:Instance"
CLUSTER_PARAMETER_GROUP = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
EC2_INSTANCE = "aws:ec2/instance:Instance"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

PRODUCTION_NAMES = ("prod", "production")
MIN_PRODUCTION_BACKUP_DAYS = 7
SERVERLESS_CLASS = "db.serverless"


def stack_name(urn: str) -> str:
    """`urn:pulumi:<stack>::<project>::...` -> `<stack>`."""
    parts = urn.split(":")
    return parts[2] if len(parts) > 2 else ""


def is_production(urn: str, props: Mapping[str, Any]) -> bool:
    tags = props.get("tags") or {}
    return stack_name(urn) in PRODUCTION_NAMES or str(tags.get("Environment", "")).lower() in PRODUCTION_NAMES


def is_serverless_cluster(props: Mapping[str, Any]) -> bool:
    return bool(props.get("serverlessv2ScalingConfiguration"))


def is_global_secondary(props: Mapping[str, Any]) -> bool:
    """A Global Database secondary: joins a global cluster and has no master user of its own."""
    return bool(props.get("globalClusterIdentifier")) and not props.get("masterUsername")


def _resource_policy(
    name: str,
    description: str,
    level: EnforcementLevel,
    types: tuple[str, ...],
    check: Callable[[ResourceValidationArgs], str | None],
) -> ResourceValidationPolicy:
    """A policy applying `check` to resources of `types`; `check` returns the violation, if any."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type in types:
            message = check(args)
            if message:
                report_violation(message, args.urn)

    return ResourceValidationPolicy(name=name, description=description, enforcement_level=level, validate=validate)


# Storage and access -------------------------------------------------------------------------------


def check_storage_encrypted(args: ResourceValidationArgs) -> str | None:
    if args.resource_type == CLUSTER and args.props.get("storageEncrypted") is not True:
        return f"{args.name}: storageEncrypted must be true (an unencrypted cluster cannot be encrypted later)"
    if args.resource_type == EC2_INSTANCE:
        root = args.props.get("rootBlockDevice") or {}
        if root.get("encrypted") is not True:
            return f"{args.name}: rootBlockDevice.encrypted must be true"
    return None


def check_not_public(args: ResourceValidationArgs) -> str | None:
    if args.props.get("publiclyAccessible") is not False:
        return f"{args.name}: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
    return None


def _world_open(cidr: Any) -> bool:
    try:
        return ipaddress.ip_network(str(cidr), strict=False).prefixlen == 0
    except ValueError:
        return False


def check_no_world_open_ingress(args: ResourceValidationArgs) -> str | None:
    props = args.props
    if args.resource_type == INGRESS_RULE:
        ranges = [props.get("cidrIpv4"), props.get("cidrIpv6")]
    elif args.resource_type == SECURITY_GROUP_RULE and props.get("type") == "ingress":
        ranges = list(props.get("cidrBlocks") or []) + list(props.get("ipv6CidrBlocks") or [])
    elif args.resource_type == SECURITY_GROUP:
        ranges = [
            cidr
            for rule in props.get("ingress") or []
            for cidr in list(rule.get("cidrBlocks") or []) + list(rule.get("ipv6CidrBlocks") or [])
        ]
    else:
        return None
    open_ranges = [cidr for cidr in ranges if cidr and _world_open(cidr)]
    if open_ranges:
        return f"{args.name}: ingress from {', '.join(open_ranges)} is open to the world; admit named security groups or private ranges"
    return None


def check_master_password_not_in_state(args: ResourceValidationArgs) -> str | None:
    props = args.props
    if props.get("masterPassword") or props.get("masterPasswordWo"):
        return f"{args.name}: masterPassword would be kept in Pulumi state; use manageMasterUserPassword (Secrets Manager)"
    if not is_global_secondary(props) and props.get("manageMasterUserPassword") is not True:
        return f"{args.name}: manageMasterUserPassword must be true so the master password lives only in Secrets Manager"
    return None


def check_tls_required(args: ResourceValidationArgs) -> str | None:
    parameters = {p.get("name"): str(p.get("value", "")).upper() for p in args.props.get("parameters") or []}
    if parameters.get("require_secure_transport") not in ("ON", "1"):
        return f"{args.name}: require_secure_transport must be ON so clients cannot connect without TLS"
    return None


# Keeping data ---------------------------------------------------------------------------------------


def check_provisioned_cluster_is_kept(args: ResourceValidationArgs) -> str | None:
    props = args.props
    if is_serverless_cluster(props):
        return None
    problems = []
    if props.get("deletionProtection") is not True:
        problems.append("deletionProtection must be true")
    retention = props.get("backupRetentionPeriod")
    if not isinstance(retention, (int, float)) or retention < MIN_PRODUCTION_BACKUP_DAYS:
        problems.append(f"backupRetentionPeriod must be at least {MIN_PRODUCTION_BACKUP_DAYS} days (is {retention!r})")
    if props.get("skipFinalSnapshot") is True:
        problems.append("skipFinalSnapshot must be false")
    return f"{args.name}: " + "; ".join(problems) if problems else None


def check_production_audit_logs(args: ResourceValidationArgs) -> str | None:
    if not is_production(args.urn, args.props):
        return None
    if "audit" not in (args.props.get("enabledCloudwatchLogsExports") or []):
        return f"{args.name}: production clusters export the audit log (enabledCloudwatchLogsExports must include audit)"
    return None


def check_production_backtrack(args: ResourceValidationArgs) -> str | None:
    props = args.props
    if not is_production(args.urn, props) or is_serverless_cluster(props) or is_global_secondary(props):
        return None
    if not props.get("backtrackWindow"):
        return (
            f"{args.name}: production clusters keep a backtrack window (backtrackWindow > 0), unless they are "
            "part of a Global Database, which AWS does not allow to backtrack"
        )
    return None


def check_enhanced_monitoring(args: ResourceValidationArgs) -> str | None:
    props = args.props
    if not is_production(args.urn, props) or props.get("instanceClass") == SERVERLESS_CLASS:
        return None
    if not props.get("monitoringInterval") or not props.get("monitoringRoleArn"):
        return f"{args.name}: production instances turn on Enhanced Monitoring (monitoringInterval > 0 and a monitoringRoleArn)"
    return None


def check_instances_spread_over_zones(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Production clusters (other than Global Database secondaries) have instances in two or more AZs."""
    clusters = {r.urn: r for r in args.resources if r.resource_type == CLUSTER}
    zones_by_cluster: dict[str, list[str | None]] = defaultdict(list)
    for resource in args.resources:
        if resource.resource_type != CLUSTER_INSTANCE:
            continue
        for source in resource.property_dependencies.get("clusterIdentifier", []):
            zones_by_cluster[source.urn].append(resource.props.get("availabilityZone"))
    for urn, cluster in clusters.items():
        if not is_production(urn, cluster.props) or is_global_secondary(cluster.props):
            continue
        zones = zones_by_cluster.get(urn, [])
        pinned = [zone for zone in zones if zone is not None]
        if len(pinned) < len(zones):
            continue  # RDS places an unpinned instance; nothing to judge before it exists.
        if len(set(pinned)) < 2:
            report_violation(
                f"{cluster.name}: production clusters need instances in at least two Availability Zones "
                f"(found {len(zones)} instance(s) in {sorted(set(pinned)) or 'none'}); add a reader in another zone",
                urn,
            )


def check_provider_password(args: ResourceValidationArgs) -> str | None:
    if args.props.get("password"):
        return (
            f"{args.name}: the MySQL provider signs in with a password, which Pulumi keeps (encrypted) in the "
            "stack state; remove aurora:appUser when the application user exists"
        )
    return None


MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY

POLICIES = [
    _resource_policy(
        "aurora-storage-encrypted",
        "Database and client host storage is encrypted.",
        MANDATORY,
        (CLUSTER, EC2_INSTANCE),
        check_storage_encrypted,
    ),
    _resource_policy(
        "aurora-no-public-access",
        "Database instances are never publicly accessible.",
        MANDATORY,
        (CLUSTER_INSTANCE, DB_INSTANCE),
        check_not_public,
    ),
    _resource_policy(
        "aurora-no-world-open-ingress",
        "No security group admits traffic from 0.0.0.0/0 or ::/0.",
        MANDATORY,
        (INGRESS_RULE, SECURITY_GROUP_RULE, SECURITY_GROUP),
        check_no_world_open_ingress,
    ),
    _resource_policy(
        "aurora-master-password-not-in-state",
        "The master password is managed by Secrets Manager.",
        MANDATORY,
        (CLUSTER,),
        check_master_password_not_in_state,
    ),
    _resource_policy(
        "aurora-tls-required", "Cluster parameter groups require TLS.", MANDATORY, (CLUSTER_PARAMETER_GROUP,), check_tls_required
    ),
    _resource_policy(
        "aurora-provisioned-cluster-kept",
        "Provisioned clusters have deletion protection, a week of backups and a final snapshot.",
        MANDATORY,
        (CLUSTER,),
        check_provisioned_cluster_is_kept,
    ),
    _resource_policy(
        "aurora-production-audit-logs",
        "Production clusters export the audit log.",
        MANDATORY,
        (CLUSTER,),
        check_production_audit_logs,
    ),
    _resource_policy(
        "aurora-production-enhanced-monitoring",
        "Production instances have Enhanced Monitoring.",
        MANDATORY,
        (CLUSTER_INSTANCE,),
        check_enhanced_monitoring,
    ),
    _resource_policy(
        "aurora-provider-password",
        "Database providers do not keep a password in state.",
        ADVISORY,
        ("pulumi:providers:mysql",),
        check_provider_password,
    ),
    _resource_policy(
        "aurora-production-backtrack",
        "Production clusters keep a backtrack window.",
        ADVISORY,
        (CLUSTER,),
        check_production_backtrack,
    ),
    StackValidationPolicy(
        name="aurora-production-multi-az",
        description="Production clusters have instances in at least two Availability Zones.",
        enforcement_level=MANDATORY,
        validate=check_instances_spread_over_zones,
    ),
]
