"""What AWS and the provider read back for what the program sent: the mock engine's second half.

The mock engine answers every resource with the inputs it was sent. AWS does not: it stores a
normalised value, drops what it cannot use, fills in defaults and upgrades engines on its own, and
the bridged provider's Read function puts that into the state. The next preview compares the
program's inputs with that state; a difference in a ForceNew attribute is a replacement.

`MODEL` says, for every attribute the program sends to every resource type, what comes back, one
entry per behaviour with its source (the provider's Read function in terraform-provider-aws, which
pulumi-aws bridges, or the AWS guide or botocore model). An attribute without an entry is an error
(`Unmodelled`), so a new attribute cannot be sent without someone writing down what AWS does with
it. `COMPUTED` lists what the provider fills in that the program does not send. `DEFERRED` says
which in-place changes AWS holds until the maintenance window with applyImmediately false and what
Read stores meanwhile; `APPLIED_AT_ONCE` and `NOT_MODIFIED_IN_PLACE` account for every other
attribute of a cluster or an instance, and `state_after_up` is the state such an `up` leaves.

`second_run(stack)` is the offline twin of the integration test's refreshed `preview
--expect-no-changes`: run the program in an empty fake account, read the result back through the
model, run it again in the account that now holds it, and compare with the project's own diff.
The state modelled is the refreshed one: right after a restore the provider records what
RestoreDBClusterFromSnapshot applied, before the restore completion switches on the Data API, IAM
authentication and Performance Insights (docs/promotion.md), so an unrefreshed second `up` of a
first promotion re-sends those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.runtime import MockCallArgs

from .diff import Change, compare
from .engine import PROJECT_ROOT, AccountState, RecordingMocks, run_program, stack_config
from .snapshot import Resource, Snapshot, placeholder_stack_outputs, snapshot_of

ABSENT = object()
"""What a Read function stores for an attribute AWS does not report: nothing."""


@dataclass(frozen=True)
class Account:
    """The fake account's facts a Read function depends on."""

    region: str
    subnet_zone_ids: dict[str, str] = field(default_factory=dict)
    """Zone id of each subnet the fake account has (`use1-az3`, ...)."""
    key_arns: dict[str, str] = field(default_factory=dict)
    """Key ARN behind each KMS alias or key id the account has."""


ReadFunction = Callable[[Any, dict[str, Any], Account], Any]


def as_sent(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    return value


@dataclass(frozen=True)
class Stored:
    """How the provider stores some attributes of one resource type."""

    type: str
    attributes: frozenset[str]
    source: str
    read: ReadFunction = as_sent
    """What is stored for the value sent: `as_sent`, a normalised value, or ABSENT."""
    unsent: str = ""
    """Why the program leaves these attributes unset (this behaviour would make them diff)."""


@dataclass(frozen=True)
class Computed:
    """An attribute the program does not send, which the provider fills in from AWS."""

    type: str
    attribute: str
    source: str
    value: Callable[[dict[str, Any], Account], Any]


def stored(type_: str, attributes: str, source: str, read: ReadFunction = as_sent, unsent: str = "") -> Stored:
    return Stored(type_, frozenset(attributes.split()), source, read, unsent)


# --- The behaviours that differ from "read back as sent" -------------------------------------------

# RDS Proxy does not run in every zone: "RDS Proxy isn't available in the use1-az3 Availability Zone
# of US East (N. Virginia)" (RDS User Guide, "Limitations for RDS Proxy"; terraform-provider-aws
# issues #17781, #23446, docs PR #40498). CreateDBProxy drops such a subnet silently.
PROXY_UNSUPPORTED_ZONE_IDS = frozenset({"use1-az3"})


def proxy_subnets(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    return [s for s in value if account.subnet_zone_ids.get(s) not in PROXY_UNSUPPORTED_ZONE_IDS]


SECRETS_MANAGER_DEFAULT_KEY = "alias/aws/secretsmanager"


def secret_key(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    """DescribeSecret's KmsKeyId: "If the secret is encrypted with the Amazon Web Services managed
    key aws/secretsmanager, this field is omitted" (botocore secretsmanager model)."""
    return ABSENT if value in (SECRETS_MANAGER_DEFAULT_KEY, None) else value


def key_arn(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    """RDS stores the key ARN whatever names the key: an alias, an alias ARN or a key id."""
    if not isinstance(value, str):
        return value
    if value in account.key_arns:
        return account.key_arns[value]
    if ":alias/" in value or value.startswith("alias/") or not value.startswith("arn:"):
        return f"arn:aws:kms:{account.region}:{ACCOUNT_ID}:key/{UNKNOWN_KEY_ID}"
    return value


def upgraded_engine(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    """AWS upgrades a minor version at the end of its standard support, even with automatic minor
    upgrades off (Aurora version policy; 3.04 LTS ended 2026-10-31); the provider's Read then stores
    the running version in `engine_version` (terraform-provider-aws internal/service/rds,
    `compareActualEngineVersion`: only a configured prefix such as "8.0" is kept). Modelled as the
    next patch of the version sent. terraform-provider-aws PR #49396 (2026-08) suppresses that diff in
    the provider; whether the bridged pulumi-aws carries it is not known here, and the program does
    not rely on it (settings/deployed.py)."""
    if not isinstance(value, str) or not value.rsplit(".", 1)[-1].isdigit():
        return value
    head, patch = value.rsplit(".", 1)
    return f"{head}.{int(patch) + 1}"


def lower_case(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    """RDS identifiers "are stored as a lowercase string" (botocore rds model, DBClusterIdentifier,
    DBInstanceIdentifier, DBClusterSnapshotIdentifier)."""
    return value.lower() if isinstance(value, str) else value


def standard_storage_unreported(value: Any, inputs: dict[str, Any], account: Account) -> Any:
    """Aurora Standard is not reported: "The storage type isn't returned when you set it to aurora"
    (botocore rds model, CreateDBCluster StorageType), and the provider's Read stores the missing
    StorageType as "" (rds/cluster.go: "The control plane will always return an empty string if a
    cluster is created with a storage_type of aurora"). I/O-Optimized comes back as sent."""
    return "" if value == "aurora" else value


def tag_map(inputs: dict[str, Any], account: Account) -> Any:
    """`tags_all`: the resource's tags merged with the provider's `default_tags` (none here)."""
    return dict(inputs.get("tags") or {})


ACCOUNT_ID = "123456789012"
UNKNOWN_KEY_ID = "00000000-0000-0000-0000-000000000000"

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
PROXY = "aws:rds/proxy:Proxy"
PROXY_ENDPOINT = "aws:rds/proxyEndpoint:ProxyEndpoint"
SECRET = "aws:secretsmanager/secret:Secret"
SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup"

RDS_CLUSTER_READ = "terraform-provider-aws internal/service/rds/cluster.go resourceClusterRead (DescribeDBClusters)"
KEPT_FROM_CONFIG = "not returned by AWS: the provider keeps the configured value in state"

MODEL: tuple[Stored, ...] = (
    # Aurora cluster (rds/cluster.go).
    stored(CLUSTER, "clusterIdentifier", RDS_CLUSTER_READ + "; botocore rds model", lower_case),
    stored(CLUSTER, "engineVersion", RDS_CLUSTER_READ, upgraded_engine),
    stored(CLUSTER, "storageType", RDS_CLUSTER_READ + " (StorageType); botocore rds model", standard_storage_unreported),
    stored(
        CLUSTER,
        "engineLifecycleSupport",
        RDS_CLUSTER_READ + " (EngineLifecycleSupport, as created or restored; botocore rds model DBCluster)",
    ),
    stored(CLUSTER, "kmsKeyId", RDS_CLUSTER_READ + " (KmsKeyId is the key ARN); provider issues #1477, #38780", key_arn),
    stored(
        CLUSTER,
        "backtrackWindow backupRetentionPeriod copyTagsToSnapshot databaseInsightsMode dbClusterParameterGroupName "
        "dbSubnetGroupName deletionProtection enableHttpEndpoint enabledCloudwatchLogsExports engine engineMode "
        "globalClusterIdentifier iamDatabaseAuthenticationEnabled masterUsername "
        "performanceInsightsEnabled performanceInsightsKmsKeyId performanceInsightsRetentionPeriod preferredBackupWindow "
        "preferredMaintenanceWindow serverlessv2ScalingConfiguration storageEncrypted tags vpcSecurityGroupIds region",
        RDS_CLUSTER_READ,
    ),
    stored(
        CLUSTER,
        "allowMajorVersionUpgrade applyImmediately deleteAutomatedBackups finalSnapshotIdentifier manageMasterUserPassword "
        "skipFinalSnapshot snapshotIdentifier",
        KEPT_FROM_CONFIG + " (rds/cluster.go: manage_master_user_password is a virtual attribute, not returned; "
        "DescribeDBClusters' DBCluster has no AllowMajorVersionUpgrade, botocore rds model)",
    ),
    stored(
        CLUSTER,
        "masterPasswordWo masterPasswordWoVersion",
        "write-only: never read; the bridge keeps the inputs (as secrets) and the provider sends the password "
        "only when the version changes (rds/cluster.go)",
    ),
    # Instances (rds/cluster_instance.go resourceClusterInstanceRead, DescribeDBInstances).
    stored(INSTANCE, "identifier", "rds/cluster_instance.go; botocore rds model", lower_case),
    stored(
        INSTANCE,
        "autoMinorVersionUpgrade availabilityZone caCertIdentifier clusterIdentifier copyTagsToSnapshot engine "
        "instanceClass monitoringInterval monitoringRoleArn promotionTier publiclyAccessible tags region",
        "terraform-provider-aws internal/service/rds/cluster_instance.go resourceClusterInstanceRead",
    ),
    stored(INSTANCE, "applyImmediately", KEPT_FROM_CONFIG + " (rds/cluster_instance.go)"),
    stored(
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        "description family parameters tags region",
        "rds/cluster_parameter_group.go resourceClusterParameterGroupRead (user-modified parameters only)",
    ),
    stored("aws:rds/subnetGroup:SubnetGroup", "description subnetIds tags region", "rds/subnet_group.go resourceSubnetGroupRead"),
    stored(
        "aws:rds/subnetGroup:SubnetGroup",
        "name",
        "rds/subnet_group.go resourceSubnetGroupRead (DBSubnetGroupName)",
        unsent="only an adopted cluster's subnet group is named (aurora:adopt.subnetGroup); the program auto-names its own",
    ),
    stored(
        "aws:rds/clusterSnapshot:ClusterSnapshot",
        "dbClusterIdentifier tags",
        "rds/cluster_snapshot.go resourceClusterSnapshotRead",
    ),
    stored("aws:rds/clusterSnapshot:ClusterSnapshot", "dbClusterSnapshotIdentifier", "rds/cluster_snapshot.go", lower_case),
    stored(
        "aws:rds/globalCluster:GlobalCluster",
        "deletionProtection globalClusterIdentifier sourceDbClusterIdentifier tags",
        "rds/global_cluster.go resourceGlobalClusterRead",
    ),
    stored("aws:rds/globalCluster:GlobalCluster", "forceDestroy", KEPT_FROM_CONFIG + " (rds/global_cluster.go)"),
    # RDS Proxy (rds/proxy.go, proxy_endpoint.go: vpc_subnet_ids read back from VpcSubnetIds).
    stored(PROXY, "vpcSubnetIds", "rds/proxy.go resourceProxyRead; RDS User Guide, RDS Proxy limitations", proxy_subnets),
    stored(
        PROXY,
        "auths debugLogging engineFamily name requireTls roleArn tags vpcSecurityGroupIds",
        "rds/proxy.go resourceProxyRead (DescribeDBProxies)",
    ),
    stored(PROXY_ENDPOINT, "vpcSubnetIds", "rds/proxy_endpoint.go resourceProxyEndpointRead", proxy_subnets),
    stored(
        PROXY_ENDPOINT,
        "dbProxyEndpointName dbProxyName tags targetRole vpcSecurityGroupIds",
        "rds/proxy_endpoint.go resourceProxyEndpointRead",
    ),
    stored(
        "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
        "dbProxyName",
        "rds/proxy_default_target_group.go resourceProxyDefaultTargetGroupRead",
    ),
    stored(
        "aws:rds/proxyTarget:ProxyTarget",
        "dbClusterIdentifier dbProxyName targetGroupName",
        "rds/proxy_target.go resourceProxyTargetRead",
    ),
    # Secrets Manager (secretsmanager/secret.go: kms_key_id Optional, not Computed).
    stored(
        SECRET,
        "kmsKeyId",
        "secretsmanager/secret.go resourceSecretRead; botocore secretsmanager DescribeSecret",
        secret_key,
        unsent="the generated master secret uses the default key by leaving kms_key_id unset (master_password.py)",
    ),
    stored(SECRET, "description replicas tags namePrefix", "secretsmanager/secret.go resourceSecretRead"),
    stored(SECRET, "recoveryWindowInDays", KEPT_FROM_CONFIG + " (secretsmanager/secret.go)"),
    stored(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "secretId secretStringWo secretStringWoVersion",
        "secretsmanager/secret_version.go: the write-only string is never read; the version is kept from config",
    ),
    # KMS, IAM: policies are stored as JSON documents, compared by equivalence (verify.PolicyToSet).
    stored(
        "aws:kms/key:Key",
        "description enableKeyRotation policy tags region",
        "kms/key.go resourceKeyRead (DescribeKey, GetKeyPolicy, GetKeyRotationStatus)",
    ),
    stored("aws:kms/key:Key", "deletionWindowInDays", KEPT_FROM_CONFIG + " (kms/key.go)"),
    stored("aws:iam/role:Role", "assumeRolePolicy description tags", "iam/role.go resourceRoleRead (URL-decoded policy)"),
    stored("aws:iam/rolePolicy:RolePolicy", "policy role", "iam/role_policy.go resourceRolePolicyRead"),
    stored("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn role", "iam/role_policy_attachment.go"),
    stored("aws:iam/policy:Policy", "description policy tags", "iam/policy.go resourcePolicyRead"),
    stored("aws:iam/instanceProfile:InstanceProfile", "role tags", "iam/instance_profile.go resourceInstanceProfileRead"),
    # Networking.
    stored(
        "aws:ec2/securityGroup:SecurityGroup",
        "description tags vpcId region",
        "ec2/vpc_security_group.go resourceSecurityGroupRead",
    ),
    stored(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "cidrIpv4 description fromPort ipProtocol referencedSecurityGroupId securityGroupId tags toPort region",
        "vpc/security_group_ingress_rule.go Read (DescribeSecurityGroupRules)",
    ),
    stored(
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "cidrIpv4 description fromPort ipProtocol referencedSecurityGroupId securityGroupId tags toPort",
        "vpc/security_group_egress_rule.go Read (DescribeSecurityGroupRules)",
    ),
    stored(
        "aws:ec2/instance:Instance",
        "ami associatePublicIpAddress iamInstanceProfile instanceType metadataOptions rootBlockDevice subnetId tags "
        "userData vpcSecurityGroupIds",
        "ec2/ec2_instance.go resourceInstanceRead (user_data compared by its hash)",
    ),
    # Logs, metrics, notifications.
    stored(
        "aws:cloudwatch/logGroup:LogGroup",
        "kmsKeyId name retentionInDays tags region",
        "logs/group.go resourceGroupRead",
    ),
    stored(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "actionsEnabled alarmActions alarmDescription comparisonOperator datapointsToAlarm dimensions evaluationPeriods "
        "insufficientDataActions metricName name namespace okActions period statistic tags threshold treatMissingData region",
        "cloudwatch/metric_alarm.go resourceMetricAlarmRead",
    ),
    stored(
        "aws:cloudwatch/dashboard:Dashboard",
        "dashboardBody dashboardName",
        "cloudwatch/dashboard.go resourceDashboardRead (body normalised as JSON on both sides)",
    ),
    stored("aws:sns/topic:Topic", "kmsMasterKeyId tags region", "sns/topic.go resourceTopicRead"),
    stored(
        "aws:sns/topicSubscription:TopicSubscription",
        "endpoint protocol topic",
        "sns/topic_subscription.go resourceTopicSubscriptionRead",
    ),
    # AWS Backup.
    stored("aws:backup/vault:Vault", "kmsKeyArn name tags region", "backup/vault.go resourceVaultRead"),
    stored("aws:backup/vault:Vault", "forceDestroy", KEPT_FROM_CONFIG + " (backup/vault.go)"),
    stored("aws:backup/plan:Plan", "name rules tags", "backup/plan.go resourcePlanRead"),
    stored("aws:backup/selection:Selection", "iamRoleArn name planId resources", "backup/selection.go resourceSelectionRead"),
    # pulumi-mysql (terraform-provider-mysql): users and grants read back from mysql.user and SHOW GRANTS.
    stored("mysql:index/user:User", "authPlugin host tlsOption user", "terraform-provider-mysql mysql/resource_user.go ReadUser"),
    stored(
        "mysql:index/grant:Grant", "database host privileges user", "terraform-provider-mysql mysql/resource_grant.go ReadGrant"
    ),
    # pulumi-random and the program's dynamic providers: the state is what create returned.
    stored("random:index/randomId:RandomId", "byteLength keepers", "pulumi-random: kept in state"),
    stored(
        "random:index/randomPassword:RandomPassword",
        "keepers length minLower minNumeric minUpper overrideSpecial special",
        "pulumi-random: kept in state",
    ),
    stored(
        "pulumi-python:dynamic:Resource",
        "__provider cluster_arn cluster_identifier cluster_resource_id data_api digest drop_on_delete files "
        "iam_authentication insights_kms_key_id insights_mode insights_retention_days managed_master_password "
        "performance_insights region secret_arn "
        "teardown_files",
        "dynamic providers (components/sample_data.py, restore_completion.py): outputs as create returned them",
    ),
)

TAGGED = (
    CLUSTER,
    INSTANCE,
    PROXY,
    PROXY_ENDPOINT,
    SECRET,
    "aws:kms/key:Key",
    "aws:iam/role:Role",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:sns/topic:Topic",
)

COMPUTED: tuple[Computed, ...] = (
    # Aurora spreads a cluster's storage over three zones and reports them all (aws-facts; rds/cluster.go
    # availability_zones Optional+Computed+ForceNew): a program that sent two would replace the cluster.
    Computed(CLUSTER, "availabilityZones", RDS_CLUSTER_READ, lambda inputs, account: [f"{account.region}{z}" for z in "abc"]),
    # A cluster created without these (the program before they were settings): AWS's defaults,
    # enrolled in Extended Support (CreateDBCluster EngineLifecycleSupport "Default:
    # open-source-rds-extended-support") and Standard storage, unreported (standard_storage_unreported).
    Computed(CLUSTER, "engineLifecycleSupport", RDS_CLUSTER_READ, lambda inputs, account: "open-source-rds-extended-support"),
    Computed(CLUSTER, "storageType", RDS_CLUSTER_READ, lambda inputs, account: ""),
    Computed(
        CLUSTER,
        "engineVersionActual",
        RDS_CLUSTER_READ,
        lambda inputs, account: upgraded_engine(inputs.get("engineVersion"), inputs, account),
    ),
    *(Computed(token, "tagsAll", "every tagged resource: tags_all = tags + provider default_tags", tag_map) for token in TAGGED),
    # kms_key_id is Optional+Computed+ForceNew (rds/cluster.go): unsent, an encrypted cluster reports
    # the key it has, the AWS managed aws/rds key's ARN when none was named (DBCluster KmsKeyId).
    Computed(
        CLUSTER,
        "kmsKeyId",
        RDS_CLUSTER_READ,
        lambda inputs, account: f"arn:aws:kms:{account.region}:{ACCOUNT_ID}:key/{UNKNOWN_KEY_ID}",
    ),
    # name is Optional+Computed+ForceNew (rds/subnet_group.go, Read stores DBSubnetGroupName) and
    # auto-named by pulumi-aws: unsent, the plan keeps the name the state holds (an adopted group's own);
    # the state of a group the program created keeps the mock engine's auto-name (ABSENT: none added).
    Computed(SUBNET_GROUP, "name", "rds/subnet_group.go resourceSubnetGroupRead", lambda inputs, account: ABSENT),
)


# --- Changes AWS defers to the maintenance window, and what Read stores meanwhile --------------------
#
# The provider sends every in-place change of a cluster or an instance in one ModifyDBCluster or
# ModifyDBInstance with ApplyImmediately = the resource's `applyImmediately` (terraform-provider-aws
# rds/cluster.go resourceClusterUpdate, rds/cluster_instance.go resourceClusterInstanceUpdate); prod
# sends false. What AWS can hold back is what its PendingModifiedValues can report (botocore rds
# model: `PendingModifiedValues` of DescribeDBInstances, `ClusterPendingModifiedValues` of
# DescribeDBClusters). For Aurora clusters the guides narrow that down: "only changes to the DB
# cluster identifier, IAM DB authentication, and New master password settings are affected by the
# Apply immediately setting. All other modifications are applied immediately" (Aurora User Guide,
# "Modifying an Amazon Aurora DB cluster", awsdocs/amazon-aurora-user-guide Aurora.Modifying.md;
# the RDS API Reference's ModifyDBCluster ApplyImmediately said the same of Aurora), and the engine
# version: "The change is applied during the next maintenance window unless ApplyImmediately is
# enabled" (botocore ModifyDBCluster EngineVersion). ClusterPendingModifiedValues' other members
# (PendingCloudwatchLogsExports, BackupRetentionPeriod, StorageType, AllocatedStorage, Iops) are
# shared with Multi-AZ DB clusters, which defer them; on Aurora they apply at once.


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


RUNNING = "the running value"
"""Read stores DescribeDB*'s current value: the pending one is not looked at."""
PENDING = "the value sent"
"""Read keeps the configured value while it is the pending one."""


@dataclass(frozen=True)
class Deferred:
    """An attribute the program sends that AWS holds until the maintenance window with
    ApplyImmediately false, and what the provider's Read stores until then."""

    type: str
    attribute: str
    setting: str
    """The stack setting that changes it."""
    read_meanwhile: str
    """RUNNING or PENDING."""
    source: str


DEFERRED: tuple[Deferred, ...] = (
    Deferred(
        INSTANCE,
        "instanceClass",
        "provisioned.instanceClass",
        RUNNING,
        'botocore ModifyDBInstance DBInstanceClass ("applied during the next maintenance window, unless you specify '
        'ApplyImmediately"), PendingModifiedValues.DBInstanceClass; rds/cluster_instance.go Read: '
        "d.Set(instance_class, db.DBInstanceClass)",
    ),
    Deferred(
        INSTANCE,
        "caCertIdentifier",
        "caCertificateIdentifier",
        RUNNING,
        "PendingModifiedValues.CACertificateIdentifier (botocore); rds/cluster_instance.go Update sends "
        "CACertificateIdentifier with ApplyImmediately from apply_immediately, Read: d.Set(ca_cert_identifier, "
        'db.CACertificateIdentifier); terraform-provider-aws issue #33546 and PR #40278 ("applying a cert change '
        'immediately when apply_immediate is false is beyond the scope"): the provider does not handle it',
    ),
    Deferred(
        CLUSTER,
        "iamDatabaseAuthenticationEnabled",
        "iamAuthentication",
        RUNNING,
        "Aurora User Guide, Aurora.Modifying (IAM DB authentication follows Apply immediately); "
        "ClusterPendingModifiedValues.IAMDatabaseAuthenticationEnabled; rds/cluster.go Read: "
        "d.Set(iam_database_authentication_enabled, dbc.IAMDatabaseAuthenticationEnabled)",
    ),
    Deferred(
        CLUSTER,
        "engineVersion",
        "engineVersion",
        PENDING,
        "botocore ModifyDBCluster EngineVersion; rds/cluster.go clusterSetResourceDataEngineVersionFromCluster passes "
        "PendingModifiedValues.EngineVersion to compareActualEngineVersion, which keeps engine_version while it is "
        "the pending one (engine_version_actual is the running one), and resourceClusterUpdate sends it again "
        "while the two differ",
    ),
)

APPLIED_AT_ONCE: dict[str, tuple[frozenset[str], str]] = {
    CLUSTER: (
        _names(
            "backtrackWindow backupRetentionPeriod copyTagsToSnapshot databaseInsightsMode dbClusterParameterGroupName "
            "deletionProtection enableHttpEndpoint enabledCloudwatchLogsExports manageMasterUserPassword "
            "masterPasswordWo masterPasswordWoVersion performanceInsightsEnabled performanceInsightsRetentionPeriod "
            "preferredBackupWindow preferredMaintenanceWindow serverlessv2ScalingConfiguration storageType tags "
            "vpcSecurityGroupIds"
        ),
        "Aurora.Modifying: all but the identifier, IAM DB authentication and the master password apply at once; "
        "botocore ModifyDBCluster ApplyImmediately: deletion protection and the master password apply immediately "
        "regardless; the Data API is switched by EnableHttpEndpoint (rds/cluster.go); the write-only password is "
        "never read back, so it cannot plan again either way",
    ),
    INSTANCE: (
        _names(
            "autoMinorVersionUpgrade copyTagsToSnapshot monitoringInterval monitoringRoleArn promotionTier "
            "publiclyAccessible tags"
        ),
        'botocore PendingModifiedValues has no member for them; ModifyDBInstance PubliclyAccessible "applied '
        'immediately regardless", AutoMinorVersionUpgrade "applies the change as soon as possible", '
        "CopyTagsToSnapshot has no effect on Aurora instances",
    ),
}
"""What ModifyDBCluster / ModifyDBInstance apply at once whatever ApplyImmediately says."""

NOT_MODIFIED_IN_PLACE: dict[str, tuple[frozenset[str], str]] = {
    CLUSTER: (
        _names(
            "allowMajorVersionUpgrade applyImmediately clusterIdentifier dbSubnetGroupName deleteAutomatedBackups "
            "engine engineLifecycleSupport engineMode finalSnapshotIdentifier globalClusterIdentifier kmsKeyId "
            "masterUsername performanceInsightsKmsKeyId region skipFinalSnapshot snapshotIdentifier "
            "storageEncrypted"
        ),
        "rds/cluster.go: ForceNew (clusterIdentifier dbSubnetGroupName engine engineMode kmsKeyId masterUsername "
        "snapshotIdentifier storageEncrypted), ignored after creation by the program (engineLifecycleSupport "
        "performanceInsightsKmsKeyId), joined through the global cluster calls (globalClusterIdentifier), or kept "
        "in state and never sent alone (allowMajorVersionUpgrade applyImmediately deleteAutomatedBackups "
        "finalSnapshotIdentifier skipFinalSnapshot); region selects the endpoint",
    ),
    INSTANCE: (
        _names("applyImmediately availabilityZone clusterIdentifier engine identifier region"),
        "rds/cluster_instance.go: ForceNew (availabilityZone, also ignored; clusterIdentifier engine identifier), "
        "or kept in state (applyImmediately); region selects the endpoint",
    ),
}


def deferred_entry(type_: str, attribute: str) -> Deferred | None:
    return next((d for d in DEFERRED if (d.type, d.attribute) == (type_, attribute)), None)


def state_after_up(
    state: Snapshot, sent: Snapshot, account: Account, apply_immediately: bool, model: Iterable[Stored] = MODEL
) -> Snapshot:
    """The refreshed state after an `up` from `state` that sent `sent`, before the maintenance
    window: a change AWS applies at once is stored as `model` reads it back; with applyImmediately
    false a DEFERRED one as Read reports it meanwhile. The rest, computed attributes included (the
    running engine version), is what `state` held; a new resource is read back as created."""
    entries = _entries(model)
    before = {r.urn: r for r in state.resources}
    resources = []
    for resource in sent.resources:
        old = before.get(resource.urn)
        if old is None:
            resources.append(Resource(**{**resource.__dict__, "inputs": read_back(resource, account, model)}))
            continue
        inputs = dict(old.inputs)
        for key, value in resource.inputs.items():
            if old.inputs.get(key) == value:
                continue
            deferred = deferred_entry(resource.type, key)
            if deferred is not None and not apply_immediately:
                inputs[key] = value if deferred.read_meanwhile == PENDING else old.inputs.get(key)
            elif deferred is not None and deferred.read_meanwhile == PENDING:
                inputs[key] = value  # applied now: the version sent is the version running
            else:
                inputs[key] = entries[(resource.type, key)].read(value, resource.inputs, account)
        resources.append(Resource(**{**old.__dict__, "inputs": inputs}))
    return Snapshot(state.stack, state.region, resources, sent.error)


class Unmodelled(Exception):
    """The program sends an attribute the read-back model says nothing about."""


def _entries(model: Iterable[Stored]) -> dict[tuple[str, str], Stored]:
    entries: dict[tuple[str, str], Stored] = {}
    for entry in model:
        for attribute in entry.attributes:
            assert (entry.type, attribute) not in entries, f"{entry.type} {attribute} is modelled twice"
            entries[(entry.type, attribute)] = entry
    return entries


def read_back(
    resource: Resource, account: Account, model: Iterable[Stored] = MODEL, computed: Iterable[Computed] = COMPUTED
) -> dict[str, Any]:
    """What the provider stores for `resource` after creating it and reading it back."""
    entries = _entries(model)
    state: dict[str, Any] = {}
    for key, value in resource.inputs.items():
        entry = entries.get((resource.type, key))
        if entry is None:
            raise Unmodelled(f"{resource.type} {key}: no read-back entry in plan/readback.py MODEL (what does AWS store?)")
        kept = entry.read(value, resource.inputs, account)
        if kept is not ABSENT:
            state[key] = kept
    for extra in computed:
        if extra.type == resource.type and extra.attribute not in resource.inputs:
            value = extra.value(resource.inputs, account)
            if value is not ABSENT:
                state[extra.attribute] = value
    return state


def fake_account(region: str) -> Account:
    """The mock engine's account: its subnets' zone ids as its getSubnet invoke answers them."""
    from .engine import DEFAULT_SUBNETS, DR_SUBNET_IDS

    mocks = RecordingMocks(region=region)
    zone_ids = {}
    for subnet_id, other_region in [*((s, None) for s in DEFAULT_SUBNETS), *((s, "us-west-2") for s in DR_SUBNET_IDS)]:
        answer = mocks.call(MockCallArgs("aws:ec2/getSubnet:getSubnet", {"id": subnet_id, "region": other_region}, ""))
        zone_ids[subnet_id] = answer.get("availabilityZoneId", "")
    return Account(region=region, subnet_zone_ids=zone_ids)


@dataclass
class SecondRun:
    first: Snapshot
    """What the first `up` sent."""
    state: Snapshot
    """What the state holds after it, read back from AWS."""
    second: Snapshot
    """What the second `up` sends, in the account the first one left."""
    changes: list[Change]
    """The second `up`'s plan: what differs between the state and the second run."""


def state_of(first: Snapshot, account: Account, model: Iterable[Stored] = MODEL) -> Snapshot:
    resources = [
        # Provider resources (`pulumi:providers:*`) carry no inputs in a snapshot: nothing to read back.
        Resource(**{**r.__dict__, "inputs": read_back(r, account, model)})
        for r in first.resources
    ]
    return Snapshot(first.stack, first.region, resources, first.error)


def account_state(state: Snapshot) -> AccountState:
    return AccountState({(r.type, r.name): r.inputs for r in state.resources})


def plan_against(state: Snapshot, second: Snapshot, computed: Iterable[Computed] = COMPUTED) -> list[Change]:
    """The project's diff of the second run against the state. An attribute the provider computes
    and the program does not send plans nothing (Optional+Computed), so it is compared only when sent."""
    filled = {(c.type, c.attribute) for c in computed}
    before = {r.urn: r for r in state.resources}
    after = []
    for resource in second.resources:
        old = before.get(resource.urn)
        inputs = dict(resource.inputs)
        if old is not None:
            for key, value in old.inputs.items():
                if (resource.type, key) in filled and key not in inputs:
                    inputs[key] = value
        after.append(Resource(**{**resource.__dict__, "inputs": inputs}))
    return compare(state, Snapshot(second.stack, second.region, after, second.error))


def second_run(
    stack: str,
    overrides: dict[str, Any] | None = None,
    root: Path = PROJECT_ROOT,
    model: Iterable[Stored] = MODEL,
    forget: Callable[[Resource], bool] = lambda resource: False,
    then: dict[str, Any] | None = None,
    source_outputs: dict[str, dict] | None = None,
    first: Snapshot | None = None,
) -> SecondRun:
    """Two `pulumi up`s of `stack` offline, the second in the account the first left.

    `forget` drops resources from AWS and the state between the two (deleted outside Pulumi, then
    refreshed); `then` changes settings for the second run only; `source_outputs` replaces the
    referenced stacks' outputs for the second run (`{}`: the dev stack is gone); `first` is the
    first run when it was already made with the same settings."""
    config = {**stack_config(stack, root), **(overrides or {})}
    region = str(config.get("aws:region", "us-east-1"))
    outputs = placeholder_stack_outputs(config)
    account = fake_account(region)
    if first is None:
        first = snapshot_of(stack, region, run_program(stack, overrides, stack_outputs=outputs, root=root))
    state = state_of(first, account, model)
    state.resources = [r for r in state.resources if not forget(r)]
    second, changes = next_up(
        stack, state, {**(overrides or {}), **(then or {})}, root, outputs if source_outputs is None else source_outputs
    )
    return SecondRun(first, state, second, changes)


def next_up(
    stack: str,
    state: Snapshot,
    overrides: dict[str, Any] | None = None,
    root: Path = PROJECT_ROOT,
    stack_outputs: dict[str, dict] | None = None,
) -> tuple[Snapshot, list[Change]]:
    """One `pulumi up` of `stack` in the account `state` describes: what it sends, and its plan."""
    config = {**stack_config(stack, root), **(overrides or {})}
    outputs = placeholder_stack_outputs(config) if stack_outputs is None else stack_outputs
    deployment = run_program(stack, overrides, stack_outputs=outputs, root=root, deployed=account_state(state))
    sent = snapshot_of(stack, str(config.get("aws:region", "us-east-1")), deployment)
    return sent, plan_against(state, sent)
