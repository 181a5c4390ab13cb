"""GlobalDatabase (disaster recovery mode `global`): an Aurora Global Database made from the stack's
cluster, with a secondary cluster in the DR region that Aurora's storage keeps about a second behind.

The secondary has everything it needs to take over after a switchover or failover: its own subnet
group and security group in the DR region, a storage key of that region, the same TLS-required
parameter group, log groups, instances of the primary writer's class, and `protect` (it holds a full
copy of the data). It has no master password of its own: users and passwords replicate from the primary.

AWS refuses backtrack and auto-pause on a Global Database; `settings/rules.py` reports those combinations
before anything is declared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from awsfacts.engine_versions import ENGINE, parameter_group_family
from settings.derived_names import global_cluster_identifier, replication_lag_alarm_name, secondary_cluster_identifier

from .aurora_cluster import (
    FIXED_AFTER_CREATION,
    AuroraCluster,
    AuroraClusterArgs,
    declare_instances,
    declare_log_groups,
    declare_parameter_group,
    shared_cluster_args,
)
from .disaster_recovery import account_and_partition, dr_region_key
from .key_policies import global_secondary_key_policy
from .network import Network, NetworkArgs
from .observability import NAMESPACE, PERIOD_SECONDS, alarm_topic
from .placement import orderable_zones, usable_database_zones
from .snapshot_names import incarnation_suffix


@dataclass
class GlobalDatabaseArgs:
    primary: AuroraCluster
    """The stack's cluster: it becomes the global primary."""
    primary_identifier: str
    """The primary's cluster identifier; the secondary's names derive from it."""
    primary_args: AuroraClusterArgs
    """The primary's args: the secondary mirrors their engine, shape, windows and features."""
    customer_key: bool
    """Whether the primary uses a customer managed key (kmsKeyId): the secondary then uses the key
    of its own region for Performance Insights too."""
    region: str
    """The DR region of the secondary."""
    vpc_id: str
    """`default` or the VPC of the secondary in the DR region."""
    subnet_ids: Sequence[str]
    """Subnets of the secondary's subnet group; empty in the default VPC."""
    allowed_cidrs: Sequence[str]
    """Private ranges admitted on the MySQL port of the secondary."""
    instances: int
    """Instances of the secondary cluster."""
    alarm_email: str | None
    """Subscribed to the replication-lag alarm's topic in the DR region."""
    tags: dict[str, str]
    """Tags for every taggable resource."""


# Storage-level replication usually stays under a second; five seconds sustained is an incident.
REPLICATION_LAG_THRESHOLD_MS = 5000


class GlobalDatabase(pulumi.ComponentResource):
    global_cluster: aws.rds.GlobalCluster
    writer_endpoint: pulumi.Output[str]
    """The Global Database's writer endpoint: Aurora points it at the writer of whichever member is
    primary, so it survives a switchover or failover. Computed (GlobalCluster `endpoint`,
    terraform-provider-aws rds/global_cluster.go, read from DescribeGlobalClusters' Endpoint); the
    program sends nothing for it."""
    secondary: aws.rds.Cluster
    secondary_instances: list[aws.rds.ClusterInstance]
    network: Network
    dr_key: aws.kms.Key
    lag_alarm: aws.cloudwatch.MetricAlarm

    def __init__(self, name: str, args: GlobalDatabaseArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:dr:GlobalDatabase", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        primary, mirrored = args.primary, args.primary_args
        secondary_id = secondary_cluster_identifier(args.primary_identifier, args.region)
        # The global cluster and the secondary keep production's data alive: they are protected
        # whenever the primary is, so turning DR off is a deliberate, documented step.
        kept = pulumi.ResourceOptions(parent=self, protect=mirrored["protect"])

        self.network = Network(
            f"{name}-network",
            NetworkArgs(
                vpc_id=args.vpc_id,
                subnet_ids=args.subnet_ids,
                allowed_cidrs=args.allowed_cidrs,
                region=args.region,
                config_key="disasterRecovery",
                tags=args.tags,
            ),
            opts=child,
        )
        account, partition = account_and_partition()
        # Declared before the log groups and the secondary, which it encrypts.
        self.dr_key = dr_region_key(
            f"{name}-storage-key",
            args.region,
            f"{args.primary_identifier}: encrypts the global secondary",
            global_secondary_key_policy(partition, account, args.region, secondary_id),
            args.tags,
            child,
        )
        # Performance Insights follows the primary's choice: with a stack key (kmsKeyId), this key of
        # its own region; without one, the AWS managed `aws/rds`.
        insights_key = self.dr_key.arn if args.customer_key else None
        # Made from the existing cluster, which keeps its data and becomes the primary. On
        # delete, force_destroy detaches the members first instead of failing; it deletes no data.
        # No engine_lifecycle_support here: on CreateGlobalCluster it "only applies to Aurora
        # PostgreSQL-based global databases" (botocore rds model); each member cluster carries its own.
        self.global_cluster = aws.rds.GlobalCluster(
            f"{name}-global",
            global_cluster_identifier=global_cluster_identifier(args.primary_identifier),
            source_db_cluster_identifier=primary.arn,
            force_destroy=True,
            deletion_protection=mirrored["deletion_protection"],
            tags=args.tags,
            opts=kept,
        )
        self.writer_endpoint = self.global_cluster.endpoint
        parameter_group = declare_parameter_group(
            f"{name}-secondary",
            secondary_id,
            parameter_group_family(mirrored["engine_version"]),
            mirrored["log_exports"],
            args.tags,
            child,
            region=args.region,
        )
        log_groups = declare_log_groups(
            f"{name}-secondary",
            secondary_id,
            mirrored["log_exports"],
            mirrored["log_retention_days"],
            args.tags,
            child,
            region=args.region,
            # Always the DR key, whose policy admits CloudWatch Logs of that region for exactly these
            # groups (key_policies.cloudwatch_logs_statement): the audit and general logs carry every
            # statement, and a key the policy allows but nothing uses is a grant without a purpose.
            kms_key_id=self.dr_key.arn,
        )
        self.secondary = aws.rds.Cluster(
            f"{name}-secondary-cluster",
            self._secondary_args(
                args,
                args.region,
                secondary_id,
                parameter_group.name,
                incarnation_suffix(f"{name}-secondary-final-snapshot-suffix", secondary_id, child).hex,
                insights_key,
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=mirrored["protect"],
                # A secondary may only join once the primary has a writer to replicate from.
                depends_on=[self.global_cluster, primary.writer, *log_groups.values()],
                # Besides FIXED_AFTER_CREATION: after a switchover AWS rewrites the replication
                # source, which must never replace the cluster.
                ignore_changes=[*FIXED_AFTER_CREATION, "replicationSourceIdentifier"],
            ),
        )
        self.secondary_instances = self._secondary_instances(name, args, secondary_id, kept)
        self.lag_alarm = self._replication_lag_alarm(name, args, secondary_id, child)
        self.register_outputs(
            {
                "globalClusterIdentifier": self.global_cluster.id,
                "globalWriterEndpoint": self.writer_endpoint,
                "secondaryClusterArn": self.secondary.arn,
                "secondaryEndpoint": self.secondary.reader_endpoint,
            }
        )

    def _secondary_args(
        self,
        args: GlobalDatabaseArgs,
        region: str,
        secondary_id: str,
        parameter_group_name: pulumi.Output[str],
        snapshot_suffix: pulumi.Output[str],
        insights_key: pulumi.Output[str] | None,
    ) -> aws.rds.ClusterArgs:
        # The Data API (if on) answers on a secondary only once it is promoted and has a writer.
        inputs = shared_cluster_args(
            args.primary_args, secondary_id, parameter_group_name, snapshot_suffix, insights_key, args.tags
        )
        inputs.region = region
        inputs.global_cluster_identifier = self.global_cluster.id
        # Cross-region encryption needs a key of the DR region; users and passwords replicate
        # from the primary, so the secondary has no master user settings.
        inputs.kms_key_id = self.dr_key.arn
        inputs.db_subnet_group_name = self.network.subnet_group.name
        inputs.vpc_security_group_ids = [self.network.database_security_group.id]
        return inputs

    def _replication_lag_alarm(
        self, name: str, args: GlobalDatabaseArgs, secondary_id: str, opts: pulumi.ResourceOptions
    ) -> aws.cloudwatch.MetricAlarm:
        """The recovery point at risk: the secondary trails the primary for 15 minutes. The metric
        lives in the DR region, and an alarm may only notify a topic of its own region."""
        region = args.region
        _, topic = alarm_topic(f"{name}-dr", secondary_id, args.alarm_email, args.tags, opts, region=region)
        return aws.cloudwatch.MetricAlarm(
            f"{name}-replication-lag",
            name=replication_lag_alarm_name(secondary_id),
            alarm_description=(
                f"The global secondary in {region} lags the primary by more than "
                f"{REPLICATION_LAG_THRESHOLD_MS / 1000:g} s for 15 minutes: a failover now would lose that much"
            ),
            namespace=NAMESPACE,
            metric_name="AuroraGlobalDBReplicationLag",
            dimensions={"DBClusterIdentifier": secondary_id},
            statistic="Maximum",
            period=PERIOD_SECONDS,
            evaluation_periods=3,
            comparison_operator="GreaterThanThreshold",
            threshold=REPLICATION_LAG_THRESHOLD_MS,
            # No data means no secondary reporting: shown as insufficient data, not as healthy.
            treat_missing_data="missing",
            alarm_actions=[topic.arn],
            ok_actions=[topic.arn],
            region=region,
            tags=args.tags,
            opts=opts,
        )

    def _secondary_instances(
        self, name: str, args: GlobalDatabaseArgs, secondary_id: str, opts: pulumi.ResourceOptions
    ) -> list[aws.rds.ClusterInstance]:
        monitoring_role, mirrored = args.primary.monitoring_role, args.primary_args
        # Every instance of the writer's class, not the primary readers': after a Region failover
        # one of them writes in the primary writer's place, and the secondary's count
        # (disasterRecovery.instances) does not follow the primary's readers.
        writer_class = mirrored["instance_classes"][0]
        zones = usable_database_zones(
            self.network.availability_zones,
            orderable_zones(ENGINE, mirrored["engine_version"], writer_class, args.region),
            writer_class,
            args.instances,
            "disasterRecovery",
        )
        # Spread over the DR region's zones, so a promoted secondary is multi-AZ. IAM is global:
        # the primary's Enhanced Monitoring role serves both regions.
        return declare_instances(
            f"{name}-secondary-instance",
            secondary_id,
            [zones[(number - 1) % len(zones)] for number in range(1, args.instances + 1)],
            [writer_class] * args.instances,
            mirrored,
            monitoring_role.arn if monitoring_role else None,
            self.secondary.id,
            args.tags,
            opts,
            region=args.region,
        )
