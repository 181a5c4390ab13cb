"""AuroraCluster: an Aurora MySQL 3 cluster, its parameter group, log groups and instances.

One component serves both shapes of the workshop:
- serverless (dev): Serverless v2 scaling with auto-pause and a `db.serverless` writer;
- provisioned (prod): a writer and readers, each of its own instance class and each reader outside
  the writer's Availability Zone, with backtrack, Enhanced Monitoring and Database Insights.

The cluster holds data, so it is created with settings that keep it: encrypted storage, a final
snapshot and retained automated backups on deletion, and (for production) `protect`.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs below as
# types, not text (package/, docs/package.md).
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NotRequired, TypedDict, TypeVar

import pulumi
import pulumi_aws as aws

from awscalls.restored_cluster import RestoredFeatures
from awsfacts.engine_versions import ENGINE, parameter_group_family
from awsfacts.identifiers import instance_identifier
from awsfacts.limits import MAX_PROMOTION_TIER
from settings import checks
from settings.deployed import PROMOTION_SNAPSHOT_TAG
from settings.derived_names import final_snapshot_identifier, log_group_name
from settings.model import ServerlessConfig

from .adoption import AdoptedCluster, imported
from .arg_rules import Rule, check_tags, each, refuse_bad_args
from .iam import service_role
from .master_password import MasterPassword, MasterPasswordArgs
from .package_identity import released_identity, type_token
from .parameters import cluster_parameters
from .placement import instance_zones, orderable_zones
from .restore_completion import RestoreCompletion
from .snapshot_names import incarnation_suffix

ENHANCED_MONITORING_POLICY = "policy/service-role/AmazonRDSEnhancedMonitoringRole"
# Performance Insights retention: 7 days is the free tier; advanced Database Insights needs 465.
INSIGHTS_RETENTION_DAYS = {"standard": 7, "advanced": 465}
# What no later `up` may change on a cluster of this program, the primary or a global secondary
# (both get `shared_cluster_args`, which says why for each): the zones RDS reports spreading storage
# over, the Performance Insights key (AWS refuses to change it once on) and the Extended Support
# enrolment (the provider's Update never sends it). Each cluster adds its own (snapshot source,
# replication source, global identifier).
FIXED_AFTER_CREATION = ["availabilityZones", "performanceInsightsKmsKeyId", "engineLifecycleSupport"]

T = TypeVar("T")


class ServerlessScaling(TypedDict):
    """Serverless v2 capacity of a cluster's `db.serverless` instances, in ACU."""

    min_capacity: float
    """The fewest ACU; 0 lets the cluster pause."""
    max_capacity: float
    """The most ACU."""
    seconds_until_auto_pause: NotRequired[int | None]
    """Idle seconds before a cluster whose minimum is 0 pauses; absent when it never pauses."""


class AuroraClusterArgs(TypedDict):
    """The cluster's contract, the same from the program and from the package (a dict either way).
    A Global Database secondary mirrors the engine, shape, windows and features of its primary's
    args (`shared_cluster_args`, `declare_instances`)."""

    cluster_identifier: str
    """RDS cluster identifier; instance identifiers derive from it."""
    engine_version: str
    """Pinned Aurora MySQL version; minor upgrades are explicit config changes."""
    instance_classes: Sequence[str]
    """The class of each instance: the writer's, then each reader's in promotion order (readers
    fail over in this order whatever their size); `db.serverless` for Serverless v2. Each reader is
    placed outside the writer's Availability Zone."""
    serverless_scaling: NotRequired[ServerlessScaling | None]
    """Serverless v2 capacity; absent (None) for provisioned instances."""
    backtrack_seconds: NotRequired[int | None]
    """Backtrack window in seconds; 0 is off, absent (None) leaves it unset (Serverless v2)."""
    monitoring_interval: checks.MonitoringInterval
    """Enhanced Monitoring interval in seconds; 0 is off."""
    insights_mode: NotRequired[checks.InsightsMode | None]
    """Database Insights mode with Performance Insights; absent (None) is off."""
    data_api: bool
    """RDS Data API (HTTP endpoint) on the writer."""
    iam_authentication: bool
    """IAM database authentication (for password-less application users)."""
    backup_retention_days: int
    """Automated backup retention, 1 to 35 days."""
    backup_window: str
    """Daily backup window, UTC."""
    maintenance_window: str
    """Weekly maintenance window, UTC."""
    deletion_protection: bool
    """RDS deletion protection."""
    protect: bool
    """Pulumi `protect`: `pulumi destroy` and replacements are refused."""
    apply_immediately: bool
    """Apply modifications now instead of in the maintenance window."""
    log_exports: Sequence[str]
    """Log types exported to CloudWatch Logs."""
    log_retention_days: int
    """Retention of the exported logs."""
    ca_certificate_identifier: checks.CaCertificate
    """The RDS CA of the instances' server certificates (`caCertificateIdentifier`)."""
    engine_lifecycle_support: checks.EngineLifecycleSupport
    """RDS Extended Support enrolment, sent when the cluster is created or restored."""
    storage_type: checks.StorageType
    """Aurora Standard (`aurora`) or I/O-Optimized (`aurora-iopt1`) storage, changed in place."""
    master_username: str
    """Master user of a new cluster; a restored one keeps the snapshot's."""
    subnet_group_name: pulumi.Input[str]
    """DB subnet group."""
    security_group_ids: Sequence[pulumi.Input[str]]
    """Security groups of the cluster."""
    availability_zones: Sequence[str]
    """Distinct AZs of the subnet group; of those where its class is orderable, the writer takes
    the first, each reader the others (`placement.instance_zones`)."""
    snapshot_identifier: NotRequired[pulumi.Input[str] | None]
    """Restore from this cluster snapshot; ignored after creation so prod is never replaced."""
    kms_key_id: NotRequired[str | None]
    """Customer managed KMS key for storage; absent (None): the RDS AWS-managed key."""
    region: str
    """Region of the cluster, for the post-restore API calls."""
    global_primary: bool
    """The cluster becomes the primary of a Global Database declared elsewhere."""
    dr_region: NotRequired[str | None]
    """Region of the Global Database secondary: the generated master secret is replicated there."""
    master_password_version: int
    """Version of the generated master password of a Global Database primary (raise to rotate)."""
    tags: dict[str, str]
    """Tags for every resource."""
    adopted: NotRequired[AdoptedCluster | None]
    """A cluster that exists (built in the console): imported with its instances, under their names
    and in their zones; absent (None) creates the cluster."""
    instance_identifiers: NotRequired[Sequence[str]]
    """The identifier of each instance, the writer first; absent or empty: `<cluster>-instance-<n>`."""


def _instance_class(value: str) -> str | None:
    return None if value in ServerlessConfig.instance_classes else checks.check_instance_class(value)


def _adopted(cluster: AdoptedCluster) -> str | None:
    """The rules of `aurora:adopt`'s instances and logGroups (settings/model.py `AdoptConfig`)."""
    zones = cluster["instance_zones"]
    return (
        checks.check_not_empty(zones)
        or each(checks.check_availability_zone)(zones)
        or checks.check_log_exports(cluster["log_types"])
    )


def _instance_identifiers(identifiers: Sequence[str]) -> str | None:
    """The rules of `aurora:instanceIdentifiers` (settings/model.py)."""
    return each(checks.check_identifier)(identifiers) or checks.check_distinct(identifiers)


# Each arg's rule is its setting's (settings/model.py), so a package user is refused as a stack file is.
CLUSTER_ARG_RULES: dict[str, Rule] = {
    "cluster_identifier": checks.check_identifier,
    "engine_version": checks.check_engine_version,
    "instance_classes": each(_instance_class),
    "monitoring_interval": checks.one_of(checks.MONITORING_INTERVALS),
    "insights_mode": checks.one_of(checks.INSIGHTS_MODES),
    "backup_window": checks.check_backup_window,
    "maintenance_window": checks.check_maintenance_window,
    "log_exports": checks.check_log_exports,
    "log_retention_days": checks.one_of(checks.LOG_RETENTION_DAYS),
    "ca_certificate_identifier": checks.one_of(checks.CA_CERTIFICATES),
    "engine_lifecycle_support": checks.one_of(checks.ENGINE_LIFECYCLE_SUPPORTS),
    "storage_type": checks.one_of(checks.STORAGE_TYPES),
    "master_username": checks.check_mysql_user,
    "kms_key_id": checks.check_kms_key,
    "region": checks.check_region,
    "tags": check_tags,
    "adopted": _adopted,
    "instance_identifiers": _instance_identifiers,
}


def _master_secret_arn(secrets: Sequence[aws.rds.outputs.ClusterMasterUserSecret]) -> str:
    if not secrets or not secrets[0].secret_arn:
        raise ValueError("the cluster reports no managed master secret: manageMasterUserPassword must be on")
    return secrets[0].secret_arn


def _known(value: object, kind: type[T]) -> T | None:
    """An input the program wrote as a plain value (None when unset); an Output here is a bug."""
    if value is None or isinstance(value, kind):
        return value
    raise TypeError(f"expected a plain {kind.__name__}, the program declared {value!r}")


def restored_features(cluster_id: str, cluster: aws.rds.ClusterArgs) -> RestoredFeatures:
    """What the restore completion applies, read from the cluster's own inputs, so that the next
    `up` finds the cluster exactly as declared."""
    return RestoredFeatures(
        cluster_identifier=cluster_id,
        data_api=bool(_known(cluster.enable_http_endpoint, bool)),
        iam_authentication=bool(_known(cluster.iam_database_authentication_enabled, bool)),
        insights_mode=_known(cluster.database_insights_mode, str),
        performance_insights=bool(_known(cluster.performance_insights_enabled, bool)),
        insights_retention_days=_known(cluster.performance_insights_retention_period, int),
        insights_kms_key_id=_known(cluster.performance_insights_kms_key_id, str),
        managed_master_password=bool(_known(cluster.manage_master_user_password, bool)),
    )


def declare_parameter_group(
    name: str,
    cluster_id: str,
    family: str,
    log_exports: Sequence[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    region: str | None = None,
) -> aws.rds.ClusterParameterGroup:
    """The cluster parameter group: TLS required, and the engine logs the exports carry.

    `family` is ForceNew (terraform-provider-aws internal/service/rds/cluster_parameter_group.go,
    `ResourceClusterParameterGroup`): a major upgrade replaces the group. It has no `name`, so Pulumi
    auto-names it and replaces it create-before-delete: the new family's group exists before the
    cluster's in-place update points at it, and the old one is deleted after. A fixed name would
    force delete-first, of a group the cluster still uses."""
    return aws.rds.ClusterParameterGroup(
        f"{name}-cluster-params",
        family=family,
        description=f"{cluster_id}: TLS required, engine logs for CloudWatch exports",
        parameters=[
            aws.rds.ClusterParameterGroupParameterArgs(name=key, value=value, apply_method="immediate")
            for key, value in sorted(cluster_parameters(log_exports, family).items())
        ],
        region=region,
        tags=tags,
        opts=opts,
    )


def declare_log_groups(
    name: str,
    cluster_id: str,
    log_exports: Sequence[str],
    retention_days: int,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    region: str | None = None,
    kms_key_id: pulumi.Input[str] | None = None,
    existing_types: Sequence[str] = (),
) -> dict[str, aws.cloudwatch.LogGroup]:
    """One log group per exported log type, at the path RDS writes to.

    With a customer managed key (of the log groups' region), CloudWatch Logs encrypts them with it:
    audit and general logs carry every statement. Without one, CloudWatch Logs' own service-owned
    encryption. The key's policy must admit `logs.<region>.amazonaws.com` for these groups, or the
    create (or the in-place AssociateKmsKey) fails; `kms_key_id` is not ForceNew
    (terraform-provider-aws internal/service/logs/group.go: Optional, Update calls AssociateKmsKey).
    The groups of `existing_types` exist already (an adopted cluster's): imported by their names.
    """
    return {
        log_type: aws.cloudwatch.LogGroup(
            f"{name}-log-{log_type}",
            name=log_group_name(cluster_id, log_type),
            retention_in_days=retention_days,
            kms_key_id=kms_key_id,
            region=region,
            tags=tags,
            opts=pulumi.ResourceOptions.merge(
                opts, imported(log_group_name(cluster_id, log_type) if log_type in existing_types else None)
            ),
        )
        for log_type in log_exports
    }


def shared_cluster_args(
    cluster: AuroraClusterArgs,
    cluster_id: str,
    parameter_group_name: pulumi.Output[str],
    snapshot_suffix: pulumi.Input[str],
    insights_key: pulumi.Input[str] | None,
    tags: dict[str, str],
) -> aws.rds.ClusterArgs:
    """The inputs every cluster of this project has, primary or global secondary: encrypted,
    keeping a final snapshot (named per incarnation, see `snapshot_names`) and its backups on
    delete, with the stack's windows and features.

    `insights_key` is the customer managed key (of the cluster's region) that encrypts Performance
    Insights on a provisioned cluster; None keeps the AWS managed `aws/rds` key. AWS never lets the
    key change once Performance Insights is on ("InvalidParameterCombination: You can't change
    your Performance Insights KMS key": terraform-provider-aws #9746, #44046), so the clusters
    ignore later changes of it: it applies when a cluster is created.

    Serverless v2 scaling is the same on both: a Global Database never auto-pauses (its primary's
    minCapacity is above 0, `settings/rules.py`), so the secondary's pause setting is unset too.

    `engine_lifecycle_support` (Optional+Computed, not ForceNew in terraform-provider-aws
    rds/cluster.go) is sent by CreateDBCluster and RestoreDBClusterFromSnapshot only: the
    provider's Update never sends it, though ModifyDBCluster accepts it (botocore's rds model;
    docs/upgrade-notes.md gives the AWS CLI line). Both clusters therefore ignore later changes of it
    (FIXED_AFTER_CREATION); an existing cluster keeps what AWS stored.

    `storage_type` is always sent, `aurora` included: Optional+Computed, ForceNew only for engines
    that are not Aurora, and changed in place by ModifyDBCluster. AWS does not return `aurora`
    (botocore rds CreateDBCluster StorageType: "The storage type isn't returned when you set it to
    aurora"), so the state holds ""; the provider's CustomizeDiff plans nothing for "" => "aurora".
    Left unset instead, removing `aurora-iopt1` from a stack would plan nothing (Computed) and keep
    the cluster on I/O-Optimized."""
    inputs = aws.rds.ClusterArgs(
        cluster_identifier=cluster_id,
        engine=ENGINE,
        engine_mode="provisioned",
        engine_version=cluster["engine_version"],
        storage_encrypted=True,
        db_cluster_parameter_group_name=parameter_group_name,
        enable_http_endpoint=cluster["data_api"],
        iam_database_authentication_enabled=cluster["iam_authentication"],
        backup_retention_period=cluster["backup_retention_days"],
        preferred_backup_window=cluster["backup_window"],
        preferred_maintenance_window=cluster["maintenance_window"],
        copy_tags_to_snapshot=True,
        deletion_protection=cluster["deletion_protection"],
        skip_final_snapshot=False,
        final_snapshot_identifier=pulumi.Output.from_input(snapshot_suffix).apply(
            lambda suffix: final_snapshot_identifier(cluster_id, suffix)
        ),
        delete_automated_backups=False,
        enabled_cloudwatch_logs_exports=list(cluster["log_exports"]),
        apply_immediately=cluster["apply_immediately"],
        engine_lifecycle_support=cluster["engine_lifecycle_support"],
        storage_type=cluster["storage_type"],
        tags=dict(tags),
    )
    scaling = cluster.get("serverless_scaling")
    if scaling is not None:
        inputs.serverlessv2_scaling_configuration = aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
            min_capacity=scaling["min_capacity"],
            max_capacity=scaling["max_capacity"],
            seconds_until_auto_pause=scaling.get("seconds_until_auto_pause"),
        )
    insights_mode = cluster.get("insights_mode")
    if insights_mode is not None:
        inputs.database_insights_mode = insights_mode
        inputs.performance_insights_enabled = True
        inputs.performance_insights_retention_period = INSIGHTS_RETENTION_DAYS[insights_mode]
        if insights_key is not None:
            inputs.performance_insights_kms_key_id = insights_key
    return inputs


@dataclass(frozen=True)
class InstanceSpec:
    """What differs between the instances of a cluster."""

    identifier: str
    instance_class: str
    availability_zone: str | None
    promotion_tier: int
    monitoring_interval: int
    monitoring_role_arn: pulumi.Input[str] | None
    apply_immediately: bool
    ca_certificate_identifier: str
    region: str | None = None


def declare_instance(
    resource_name: str,
    spec: InstanceSpec,
    cluster_id: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.rds.ClusterInstance:
    """A private, pinned-version instance with the RDS CA this project verifies. Its zone is chosen
    when it is created: a zone that starts selling the class later must not move (replace) it."""
    return aws.rds.ClusterInstance(
        resource_name,
        identifier=spec.identifier,
        cluster_identifier=cluster_id,
        engine=aws.rds.EngineType.AURORA_MYSQL,
        instance_class=spec.instance_class,
        availability_zone=spec.availability_zone,
        promotion_tier=spec.promotion_tier,
        publicly_accessible=False,
        auto_minor_version_upgrade=False,
        ca_cert_identifier=spec.ca_certificate_identifier,
        monitoring_interval=spec.monitoring_interval,
        monitoring_role_arn=spec.monitoring_role_arn,
        apply_immediately=spec.apply_immediately,
        copy_tags_to_snapshot=True,
        region=spec.region,
        tags=tags,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(ignore_changes=["availabilityZone"])),
    )


def declare_instances(
    resource_prefix: str,
    cluster_id: str,
    zones: Sequence[str],
    instance_classes: Sequence[str],
    shape: AuroraClusterArgs,
    monitoring_role_arn: pulumi.Input[str] | None,
    cluster: pulumi.Input[str],
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
    region: str | None,
    identifiers: Sequence[str] = (),
    exist: bool = False,
) -> list[aws.rds.ClusterInstance]:
    """One instance per zone of `zones`, of the class at the same place in `instance_classes` and of
    the features `shape` gives (the primary's args, for a secondary too), for the primary and the
    global secondary alike: the first is the intended writer and readers fail over in tier order.
    `identifiers` names them (else `<cluster>-instance-<n>`); `exist`: they exist (an adopted
    cluster's) and are imported by those names."""
    identifiers = list(identifiers) or [instance_identifier(cluster_id, number) for number in range(1, len(zones) + 1)]
    return [
        declare_instance(
            f"{resource_prefix}-{number}",
            InstanceSpec(
                identifier=identifiers[number - 1],
                instance_class=instance_class,
                availability_zone=zone,
                promotion_tier=min(number - 1, MAX_PROMOTION_TIER),
                monitoring_interval=shape["monitoring_interval"],
                monitoring_role_arn=monitoring_role_arn,
                apply_immediately=shape["apply_immediately"],
                ca_certificate_identifier=shape["ca_certificate_identifier"],
                region=region,
            ),
            cluster,
            tags,
            pulumi.ResourceOptions.merge(opts, imported(identifiers[number - 1] if exist else None)),
        )
        for number, (zone, instance_class) in enumerate(zip(zones, instance_classes, strict=True), start=1)
    ]


class AuroraCluster(pulumi.ComponentResource):
    """An Aurora MySQL cluster with its instances, parameter group and log groups."""

    cluster_identifier: pulumi.Output[str]
    """The RDS cluster identifier."""
    arn: pulumi.Output[str]
    """The cluster's ARN."""
    endpoint: pulumi.Output[str]
    """The writer endpoint."""
    reader_endpoint: pulumi.Output[str]
    """The reader endpoint: the readers, or the writer when there are none."""
    port: pulumi.Output[int]
    """The MySQL port."""
    secret_arn: pulumi.Output[str]
    """The Secrets Manager secret holding the master user's password."""
    resource_id: pulumi.Output[str]
    """The cluster resource id (`cluster-...`), for IAM database authentication policies."""
    master_username: pulumi.Output[str]
    """The master user's name."""
    engine_version: pulumi.Output[str]
    """The engine version the cluster runs (AWS may have upgraded the minor version)."""
    instance_identifiers: pulumi.Output[list[str]]
    """The instances' identifiers, the writer's first (for `DatabaseProxy.instanceIdentifiers`)."""

    def __init__(self, name: str, args: AuroraClusterArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("AuroraCluster", args, CLUSTER_ARG_RULES)
        super().__init__(type_token("AuroraCluster"), name, None, released_identity(opts, "aurora:database:AuroraCluster"))
        child = pulumi.ResourceOptions(parent=self)
        cluster_id = args["cluster_identifier"]

        # The children, for the program and the tests (not outputs of the package).
        self.parameter_group: aws.rds.ClusterParameterGroup = declare_parameter_group(
            name, cluster_id, parameter_group_family(args["engine_version"]), args["log_exports"], args["tags"], child
        )
        # Created before the cluster so RDS writes into groups whose retention we own
        # (RDS would otherwise create them with "never expire").
        adopted = args.get("adopted")
        self.log_groups: dict[str, aws.cloudwatch.LogGroup] = declare_log_groups(
            name,
            cluster_id,
            args["log_exports"],
            args["log_retention_days"],
            args["tags"],
            child,
            kms_key_id=args.get("kms_key_id"),
            existing_types=adopted["log_types"] if adopted else (),
        )
        self.monitoring_role: aws.iam.Role | None = (
            self._monitoring_role(name, args["tags"], child) if args["monitoring_interval"] else None
        )
        self.master_password: MasterPassword | None = self._generated_password(name, args) if args["global_primary"] else None
        suffix = incarnation_suffix(f"{name}-final-snapshot-suffix", cluster_id, child)

        cluster_args = self._cluster_args(args, self.parameter_group.name, suffix.hex, self.master_password)
        self.cluster = aws.rds.Cluster(
            f"{name}-cluster",
            cluster_args,
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=list(self.log_groups.values()),
                protect=args["protect"],
                import_=cluster_id if adopted else None,
                # Besides FIXED_AFTER_CREATION: a restored cluster must never be replaced because its
                # source snapshot changed (aws-facts: Promotion), and a Global Database primary gets
                # its global identifier from the GlobalCluster resource, which this cluster's own
                # inputs must not undo.
                ignore_changes=[
                    *FIXED_AFTER_CREATION,
                    "snapshotIdentifier",
                    *(["globalClusterIdentifier"] if args["global_primary"] else []),
                ],
            ),
        )

        instances = declare_instances(
            f"{name}-instance",
            cluster_id,
            adopted["instance_zones"] if adopted else self._zones(args),
            args["instance_classes"],
            args,
            self.monitoring_role.arn if self.monitoring_role else None,
            self.cluster.id,
            args["tags"],
            pulumi.ResourceOptions(parent=self, protect=args["protect"]),
            region=None,
            identifiers=args.get("instance_identifiers", ()),
            exist=adopted is not None,
        )
        self.writer, self.readers = instances[0], instances[1:]
        self.instance_identifiers = pulumi.Output.all(*(instance.identifier for instance in instances))
        self.restore_completion: RestoreCompletion | None = None
        if args.get("snapshot_identifier") is not None:
            self.restore_completion = RestoreCompletion(
                f"{name}-restore-completion",
                restored_features(cluster_id, cluster_args),
                region=args["region"],
                opts=pulumi.ResourceOptions(parent=self, depends_on=instances),
            )

        self.cluster_identifier = self.cluster.cluster_identifier
        self.arn = self.cluster.arn
        self.endpoint = self.cluster.endpoint
        self.reader_endpoint = self.cluster.reader_endpoint
        self.port = self.cluster.port
        self.resource_id = self.cluster.cluster_resource_id
        self.master_username = self.cluster.master_username
        self.engine_version = self.cluster.engine_version_actual
        if self.master_password is not None:
            self.master_password.store(self.master_username)
            self.secret_arn = self.master_password.secret_arn
        elif self.restore_completion is not None:
            # Right after a restore the cluster can report the snapshot source's secret (dev's), and the
            # provider records what it read then: the completion's checked answer comes first.
            reported = self.cluster.master_user_secrets
            self.secret_arn = self.restore_completion.master_secret_arn.apply(
                lambda checked: checked or reported.apply(_master_secret_arn)
            )
        else:
            self.secret_arn = self.cluster.master_user_secrets.apply(_master_secret_arn)
        self.register_outputs(
            {
                "clusterIdentifier": self.cluster_identifier,
                "clusterArn": self.arn,
                "endpoint": self.endpoint,
                "readerEndpoint": self.reader_endpoint,
            }
        )

    @staticmethod
    def _zones(args: AuroraClusterArgs) -> list[str]:
        """The zone of each new instance. Asked once per class: each goes where its own class is sold."""
        orderable = {
            instance_class: orderable_zones(ENGINE, args["engine_version"], instance_class, None)
            for instance_class in dict.fromkeys(args["instance_classes"])
        }
        return instance_zones(args["availability_zones"], orderable, args["instance_classes"], "network")

    def _generated_password(self, name: str, args: AuroraClusterArgs) -> MasterPassword:
        return MasterPassword(
            f"{name}-master-password",
            MasterPasswordArgs(
                cluster_identifier=args["cluster_identifier"],
                version=args["master_password_version"],
                replica_regions=[region] if (region := args.get("dr_region")) else [],
                protect=args["protect"],
                tags=args["tags"],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    @staticmethod
    def _cluster_args(
        args: AuroraClusterArgs,
        parameter_group_name: pulumi.Output[str],
        snapshot_suffix: pulumi.Input[str],
        generated_password: MasterPassword | None,
    ) -> aws.rds.ClusterArgs:
        inputs = shared_cluster_args(
            args,
            args["cluster_identifier"],
            parameter_group_name,
            snapshot_suffix,
            # A restore applies no Performance Insights setting: RestoreCompletion switches it on
            # afterwards with this key (restored_features), the only moment AWS accepts one.
            insights_key=args.get("kms_key_id"),
            tags=args["tags"],
        )
        # An adopted cluster's key as RDS reports it: KmsKeyId is ForceNew (rds/cluster.go), and the
        # AWS managed aws/rds key has no setting (settings/adoption.py compares a configured one).
        adopted = args.get("adopted")
        inputs.kms_key_id = adopted.get("storage_key_arn") if adopted else args.get("kms_key_id")
        inputs.db_subnet_group_name = args["subnet_group_name"]
        inputs.vpc_security_group_ids = list(args["security_group_ids"])
        snapshot = inputs.snapshot_identifier = args.get("snapshot_identifier")
        # RestoreDBClusterFromSnapshot has no MasterUsername: a restored cluster keeps the snapshot's.
        if snapshot is None:
            inputs.master_username = args["master_username"]
        else:
            # Read back by later runs, which then no longer need the snapshot (settings/deployed.py).
            inputs.tags = {**args["tags"], PROMOTION_SNAPSHOT_TAG: snapshot}
        if generated_password is not None:
            # Global Database members cannot have a managed password: a generated one, write-only.
            inputs.master_password_wo = generated_password.password
            inputs.master_password_wo_version = generated_password.version
        else:
            inputs.manage_master_user_password = True
        inputs.backtrack_window = args.get("backtrack_seconds")
        # Always on, so the second `up` after a major upgrade plans nothing: AWS never returns it
        # (no such member in DescribeDBClusters' DBCluster, botocore rds model), the provider keeps
        # the configured value in state, and `resourceClusterUpdate` sends it with every
        # ModifyDBCluster but never for it alone (`HasChangesExcept(allow_major_version_upgrade,
        # ...)`). An unintended major change is stopped before anything is declared instead
        # (`deployed.check_major_upgrade`).
        inputs.allow_major_version_upgrade = True
        return inputs

    @staticmethod
    def _monitoring_role(name: str, tags: dict[str, str], opts: pulumi.ResourceOptions) -> aws.iam.Role:
        # Confused-deputy conditions as the RDS User Guide documents them for this role ("Setting up
        # and enabling Enhanced Monitoring", "Protecting against the confused deputy problem"):
        # aws:SourceAccount, and aws:SourceArn matching the account's DB instances
        # (arn:<partition>:rds:<region>:<account>:db:<name>). Any region: IAM is global and the same
        # role serves a Global Database secondary in the DR region (global_database.py).
        account = aws.get_caller_identity().account_id
        partition = aws.get_partition().partition
        role, _ = service_role(
            f"{name}-monitoring",
            f"{name}-monitoring-policy",
            "monitoring.rds.amazonaws.com",
            "Lets RDS publish Enhanced Monitoring metrics to CloudWatch Logs",
            ENHANCED_MONITORING_POLICY,
            tags,
            opts,
            source_account=account,
            source_arn=f"arn:{partition}:rds:*:{account}:db:*",
        )
        return role
