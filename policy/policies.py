"""The guardrails this project promises, as Pulumi policies that any stack's preview and update run.

Mandatory: what would leak data, expose the database or lose data if it slipped through review
(encryption of every volume, public access, ingress from outside private address space, the master
password and secret values in state, deletion protection and backups, TLS, audit logs, Enhanced
Monitoring and AZ spread in production).
Advisory: production backtrack, because an Aurora Global Database legitimately turns it off; and
a password in a MySQL provider (the opt-in `appUser`), which keeps the master password, encrypted,
in state: a documented trade-off the user chose, reported on every preview.

A stack counts as production when `prod` or `production` is a word of its name (any case,
words separated by `-`, `_` or `.`: `Prod`, `prod-eu`, `eu_production`; not `product-demo` or
`preprod`), or when the resource's `Environment` tag is such a name. Props are the engine's
camelCase input names.
"""

from __future__ import annotations

import ipaddress
import re
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
EBS_VOLUME = "aws:ebs/volume:Volume"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
DEFAULT_SECURITY_GROUP = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion"
DB_PROXY = "aws:rds/proxy:Proxy"

PRODUCTION_WORDS = frozenset({"prod", "production"})
MIN_PRODUCTION_BACKUP_DAYS = 7
SERVERLESS_CLASS = "db.serverless"
# AWS's own parameter groups (`default.aurora-mysql8.0`, ...) cannot be modified and leave
# require_secure_transport OFF.
DEFAULT_PARAMETER_GROUP_PREFIX = "default."
# Address space the internet does not route to, so the only sources ingress may name besides
# security groups: RFC 1918 private-use, RFC 6598 shared address space (carrier-grade NAT, also
# usable as a VPC range; settings/checks.py admits it too) and RFC 4193 IPv6 unique local
# addresses. Python's `ipaddress` calls more ranges private (loopback, link-local, benchmarking,
# reserved), none of which is a client network, and calls 100.64.0.0/10 neither private nor global.
PRIVATE_RANGES = tuple(
    ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


def stack_name(urn: str) -> str:
    """`urn:pulumi:<stack>::<project>::...` -> `<stack>`."""
    parts = urn.split(":")
    return parts[2] if len(parts) > 2 else ""


def is_production_name(name: str) -> bool:
    """`prod` or `production` as a word of `name`, in any case; words end at anything but a
    letter or digit (a stack name may hold `-`, `_` and `.` besides those)."""
    return any(word in PRODUCTION_WORDS for word in re.split(r"[^a-z0-9]+", name.lower()))


def is_production(urn: str, props: Mapping[str, Any]) -> bool:
    tags = props.get("tags") or {}
    return is_production_name(stack_name(urn)) or is_production_name(str(tags.get("Environment", "")))


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


def _unencrypted_volumes(resource_type: str, props: Mapping[str, Any]) -> list[str]:
    """The properties, as paths, that leave a volume of this resource unencrypted."""
    if resource_type in (CLUSTER, DB_INSTANCE):
        return [] if props.get("storageEncrypted") is True else ["storageEncrypted"]
    if resource_type == EBS_VOLUME:
        return [] if props.get("encrypted") is True else ["encrypted"]
    if resource_type == EC2_INSTANCE:
        root = props.get("rootBlockDevice") or {}
        paths = [] if root.get("encrypted") is True else ["rootBlockDevice.encrypted"]
        for index, device in enumerate(props.get("ebsBlockDevices") or []):
            if device.get("encrypted") is not True:
                paths.append(f"ebsBlockDevices[{index}].encrypted")
        return paths
    if resource_type == LAUNCH_TEMPLATE:
        mappings = props.get("blockDeviceMappings") or []
        if not mappings:
            # Without mappings the AMI's own (often unencrypted) volumes are used.
            return ["blockDeviceMappings"]
        # The launch template's schema types `encrypted` as a string ("true"/"false").
        return [
            f"blockDeviceMappings[{index}].ebs.encrypted"
            for index, mapping in enumerate(mappings)
            if mapping.get("ebs") is not None and str(mapping["ebs"].get("encrypted", "")).lower() != "true"
        ]
    return []


def check_storage_encrypted(args: ResourceValidationArgs) -> str | None:
    paths = _unencrypted_volumes(args.resource_type, args.props)
    if paths:
        return f"{args.name}: {', '.join(paths)} must declare encrypted storage (a volume created unencrypted stays unencrypted)"
    return None


def check_not_public(args: ResourceValidationArgs) -> str | None:
    if args.props.get("publiclyAccessible") is not False:
        return f"{args.name}: publiclyAccessible must be set to false (AWS's default depends on the subnet)"
    return None


def is_private_range(cidr: Any) -> bool:
    """Whether every address of `cidr` lies in one of the PRIVATE_RANGES; a malformed range is not."""
    try:
        network = ipaddress.ip_network(str(cidr), strict=False)
    except ValueError:
        return False
    # First and last address inside one range: the whole range is (an address of another IP
    # version is in no network of this one).
    return any(network.network_address in private and network.broadcast_address in private for private in PRIVATE_RANGES)


def _inline_ingress_ranges(props: Mapping[str, Any]) -> list[Any]:
    return [
        cidr
        for rule in props.get("ingress") or []
        for cidr in list(rule.get("cidrBlocks") or []) + list(rule.get("ipv6CidrBlocks") or [])
    ]


def ingress_ranges(resource_type: str, props: Mapping[str, Any]) -> list[Any]:
    """The address ranges an ingress rule of any of the four shapes AWS resources take admits."""
    if resource_type == INGRESS_RULE:
        return [cidr for cidr in (props.get("cidrIpv4"), props.get("cidrIpv6")) if cidr]
    if resource_type == SECURITY_GROUP_RULE and props.get("type") == "ingress":
        return list(props.get("cidrBlocks") or []) + list(props.get("ipv6CidrBlocks") or [])
    if resource_type in (SECURITY_GROUP, DEFAULT_SECURITY_GROUP):
        return _inline_ingress_ranges(props)
    return []


def check_no_public_ingress(args: ResourceValidationArgs) -> str | None:
    """Whatever the port: nothing in this project is meant to be reached from the internet (the
    client host is reached through SSM). A public range is world-open however it is split
    (`0.0.0.0/1` + `128.0.0.0/1` is all of IPv4)."""
    public = [str(cidr) for cidr in ingress_ranges(args.resource_type, args.props) if not is_private_range(cidr)]
    if public:
        return (
            f"{args.name}: ingress from {', '.join(public)} reaches beyond private address space (RFC 1918, "
            "RFC 6598 100.64.0.0/10, RFC 4193 fc00::/7); admit named security groups or private ranges"
        )
    return None


def check_master_password_not_in_state(args: ResourceValidationArgs) -> str | None:
    """Two accepted shapes: a password that Secrets Manager manages (manageMasterUserPassword), or,
    where AWS does not support that (Global Database members), the write-only masterPasswordWo
    with its masterPasswordWoVersion. The provider never reads a write-only value back; the SDK
    marks it secret, so until pulumi-terraform-bridge #3201 it sits in state inputs encrypted, never
    in clear."""
    props = args.props
    if props.get("masterPassword"):
        return (
            f"{args.name}: masterPassword is kept in Pulumi state; use manageMasterUserPassword (Secrets Manager) "
            "or the write-only masterPasswordWo with masterPasswordWoVersion"
        )
    if props.get("masterPasswordWo"):
        if not props.get("masterPasswordWoVersion"):
            return (
                f"{args.name}: masterPasswordWo needs masterPasswordWoVersion (the provider sends a new password "
                "only when the version changes)"
            )
        return None
    if not is_global_secondary(props) and props.get("manageMasterUserPassword") is not True:
        return (
            f"{args.name}: manageMasterUserPassword must be true (or, for a Global Database member, masterPasswordWo "
            "with masterPasswordWoVersion) so the master password never sits in Pulumi state in clear"
        )
    return None


def check_secret_value_write_only(args: ResourceValidationArgs) -> str | None:
    """A secret version's value goes in the write-only secretStringWo: the provider reads
    secretString and secretBinary back from Secrets Manager (GetSecretValue) into the resource's
    state, and never a write-only value (which, marked secret, stays in state inputs encrypted only
    until pulumi-terraform-bridge #3201). Every value is refused, not only passwords: whether a
    value holds a password cannot be seen while it is still unknown at preview, and a Secrets
    Manager value is a credential by purpose."""
    props = args.props
    for key in ("secretString", "secretBinary"):
        if props.get(key):
            return (
                f"{args.name}: {key} is read back into Pulumi state; put the value in secretStringWo with secretStringWoVersion"
            )
    if props.get("secretStringWo") and not props.get("secretStringWoVersion"):
        return (
            f"{args.name}: secretStringWo needs secretStringWoVersion (the provider writes a new value only when "
            "the version changes)"
        )
    return None


def check_tls_required(args: ResourceValidationArgs) -> str | None:
    """A parameter group must set require_secure_transport=ON; a cluster must name a group of its
    own, because without one (or with AWS's default group) the parameter stays OFF."""
    if args.resource_type == CLUSTER:
        group = args.props.get("dbClusterParameterGroupName")
        if not group or str(group).startswith(DEFAULT_PARAMETER_GROUP_PREFIX):
            return (
                f"{args.name}: dbClusterParameterGroupName is {group or 'unset'}: name a cluster parameter group with "
                "require_secure_transport=ON (AWS's default groups leave it OFF)"
            )
        return None
    parameters = {p.get("name"): str(p.get("value", "")).upper() for p in args.props.get("parameters") or []}
    if parameters.get("require_secure_transport") not in ("ON", "1"):
        return f"{args.name}: require_secure_transport must be ON so clients cannot connect without TLS"
    return None


def check_proxy_tls_and_iam(args: ResourceValidationArgs) -> str | None:
    """An RDS Proxy requires TLS, and every client signs in with IAM: each auth entry has
    `iamAuth: REQUIRED`, or, with no entry, the proxy uses end-to-end IAM (`defaultAuthScheme:
    IAM_AUTH`). Values: botocore rds model, CreateDBProxy RequireTLS, UserAuthConfig IAMAuth."""
    props = args.props
    if props.get("requireTls") is not True:
        return f"{args.name}: requireTls is {props.get('requireTls')!r}: a proxy must refuse connections without TLS"
    auths = props.get("auths") or []
    if not auths and props.get("defaultAuthScheme") != "IAM_AUTH":
        return f"{args.name}: no auth entry and defaultAuthScheme is not IAM_AUTH: clients must sign in with IAM"
    lax = [str(auth.get("iamAuth", "unset")) for auth in auths if auth.get("iamAuth") != "REQUIRED"]
    if lax:
        return f"{args.name}: auths have iamAuth {', '.join(lax)}: every entry must have iamAuth REQUIRED"
    return None


# Keeping data ---------------------------------------------------------------------------------------


def check_cluster_is_kept(args: ResourceValidationArgs) -> str | None:
    """Provisioned clusters, and production clusters of any shape, keep their data."""
    props = args.props
    if is_serverless_cluster(props) and not is_production(args.urn, props):
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


def _spread_problem(zones: list[str | None]) -> str | None:
    """Why instances placed in `zones` (None: unpinned, RDS chooses) may share one zone, if they may.

    A single instance (or none) lives in one zone at most. When no instance is pinned, the spread
    is RDS's placement, which the policy cannot judge before it exists: no violation. When some are
    pinned, the pinned ones must name two zones or more: next to a single pinned zone, an unpinned
    instance may land in that same zone."""
    pinned = sorted({zone for zone in zones if zone is not None})
    unpinned = sum(1 for zone in zones if zone is None)
    if len(zones) < 2:
        return f"found {len(zones)} instance(s)" + (f" in {pinned}" if pinned else "")
    if not pinned or len(pinned) >= 2:
        return None
    if unpinned:
        return (
            f"found {len(zones)} instance(s): {len(zones) - unpinned} pinned to {pinned[0]}, {unpinned} unpinned, "
            "which RDS may place in that zone too"
        )
    return f"found {len(zones)} instance(s) in {pinned}"


def check_instances_spread_over_zones(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Production clusters (other than Global Database secondaries) have instances in two or more AZs."""
    clusters = {r.urn: r for r in args.resources if r.resource_type == CLUSTER}
    zones_by_cluster: dict[str, list[str | None]] = defaultdict(list)
    for resource in args.resources:
        if resource.resource_type != CLUSTER_INSTANCE:
            continue
        for source in resource.property_dependencies.get("clusterIdentifier", []):
            zones_by_cluster[source.urn].append(resource.props.get("availabilityZone") or None)
    for urn, cluster in clusters.items():
        if not is_production(urn, cluster.props) or is_global_secondary(cluster.props):
            continue
        problem = _spread_problem(zones_by_cluster.get(urn, []))
        if problem:
            report_violation(
                f"{cluster.name}: production clusters need instances in at least two Availability Zones "
                f"({problem}); add a reader in another zone",
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
        "Database storage and EC2 volumes (instances, EBS volumes, launch templates) are encrypted.",
        MANDATORY,
        (CLUSTER, DB_INSTANCE, EC2_INSTANCE, EBS_VOLUME, LAUNCH_TEMPLATE),
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
        "No security group admits traffic from outside private address space (RFC 1918, RFC 6598, RFC 4193).",
        MANDATORY,
        (INGRESS_RULE, SECURITY_GROUP_RULE, SECURITY_GROUP, DEFAULT_SECURITY_GROUP),
        check_no_public_ingress,
    ),
    _resource_policy(
        "aurora-master-password-not-in-state",
        "The master password is managed by Secrets Manager, or write-only where AWS cannot manage it.",
        MANDATORY,
        (CLUSTER,),
        check_master_password_not_in_state,
    ),
    _resource_policy(
        "aurora-secret-value-write-only",
        "Secrets Manager values are set write-only (secretStringWo), never read back into state.",
        MANDATORY,
        (SECRET_VERSION,),
        check_secret_value_write_only,
    ),
    _resource_policy(
        "aurora-tls-required",
        "Clusters use a cluster parameter group that requires TLS.",
        MANDATORY,
        (CLUSTER_PARAMETER_GROUP, CLUSTER),
        check_tls_required,
    ),
    _resource_policy(
        "aurora-proxy-tls-and-iam",
        "RDS Proxies require TLS and IAM authentication from every client.",
        MANDATORY,
        (DB_PROXY,),
        check_proxy_tls_and_iam,
    ),
    _resource_policy(
        "aurora-provisioned-cluster-kept",
        "Provisioned and production clusters have deletion protection, a week of backups and a final snapshot.",
        MANDATORY,
        (CLUSTER,),
        check_cluster_is_kept,
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
        description=(
            "Production clusters have instances in at least two Availability Zones: one instance, or instances "
            "pinned to one zone (with or without unpinned ones) are refused; when no instance is pinned, RDS "
            "places them and the spread cannot be judged."
        ),
        enforcement_level=MANDATORY,
        validate=check_instances_spread_over_zones,
    ),
]
