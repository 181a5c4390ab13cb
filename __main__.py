"""The Aurora MySQL workshop as a Pulumi program.

`pulumi up -s dev` builds the development database (Serverless v2, pauses when idle, Data API,
sample data); `pulumi up -s prod` promotes it through a snapshot to a provisioned cluster with a
reader in another Availability Zone. Stack configuration chooses the shape; see README.md.
"""

import pulumi

from components.adoption import AdoptedCluster
from components.app_user import AppUser, AppUserArgs
from components.aurora_cluster import AuroraCluster, AuroraClusterArgs, ServerlessScaling
from components.client_host import ClientHost, ClientHostArgs
from components.disaster_recovery import DisasterRecovery, DisasterRecoveryArgs
from components.global_database import GlobalDatabase, GlobalDatabaseArgs
from components.network import Network, NetworkArgs
from components.observability import Observability, ObservabilityArgs
from components.outputs import connect_instructions
from components.promotion import Promotion, PromotionArgs
from components.proxy import DatabaseProxy, DatabaseProxyArgs
from components.sample_data import SampleData, SampleDataArgs
from settings.adoption import check_adoption, check_instance_names
from settings.checks import MonitoringInterval
from settings.deployed import (
    check_deferred_changes,
    check_engine_version,
    check_major_upgrade,
    find_deployed_cluster,
    with_deployed_engine_version,
)
from settings.derived_names import client_idle_stop_alarm_name
from settings.loading import load_stack_settings
from settings.model import ServerlessConfig

# 1. Configuration: every setting is validated before anything is declared.
settings = load_stack_settings()
tags = settings.resource_tags
# 1a. A cluster built in the console is adopted only if nothing replaces it and every in-place change is accepted.
check_adoption(settings)
adopt = settings.adopt

# 1b. What already runs: a cluster AWS upgraded keeps its newer engine (never a planned downgrade),
# a major upgrade of it (irreversible) needs the stack's acknowledgement, and a change AWS would
# defer to the maintenance window (and Pulumi then plan again) needs applyImmediately.
deployed = find_deployed_cluster(settings.cluster_name)
check_instance_names(settings, deployed)  # an adopted instance keeps the name it has
settings = with_deployed_engine_version(settings, deployed)
check_major_upgrade(settings, deployed)
check_deferred_changes(settings, deployed)
# 1c. The engine version, asked of AWS: one it does not offer would fail only at CreateDBCluster.
check_engine_version(settings, deployed)

# 2. Networking: the VPC, a DB subnet group, and who may reach port 3306.
shape = settings.shape
network = Network(
    "network",
    NetworkArgs(
        vpc_id=settings.network.vpc_id,
        subnet_ids=settings.network.subnet_ids,
        allowed_security_group_ids=settings.network.allowed_security_group_ids,
        allowed_cidrs=settings.network.allowed_cidrs,
        client_host=settings.client == "ssm",
        client_subnet_id=settings.network.client_subnet_id,
        proxy=shape.proxy,
        tags=tags,
        subnet_group_description=settings.network.subnet_group_description,
        existing_subnet_group=adopt.subnet_group.name if adopt else None,
    ),
)

# 3. Promotion (prod): the snapshot the provisioned cluster is restored from.
promotion = None
if settings.restore_from is not None:
    promotion = Promotion(
        "promotion",
        PromotionArgs(
            source_stack=settings.restore_from.stack,
            source_snapshot=settings.restore_from.snapshot_identifier,
            target_cluster_identifier=settings.cluster_name,
            target_engine_version=settings.engine_version,
            target_exists=deployed is not None,
            recorded_snapshot=deployed.promotion_snapshot if deployed else None,
            tags=tags,
        ),
    )

# 4. The database cluster in this stack's shape.
database_args = AuroraClusterArgs(
    cluster_identifier=settings.cluster_name,
    engine_version=settings.engine_version,
    instance_classes=shape.instance_classes,
    serverless_scaling=(
        ServerlessScaling(
            min_capacity=shape.min_capacity,
            max_capacity=shape.max_capacity,
            seconds_until_auto_pause=shape.seconds_until_auto_pause,
        )
        if isinstance(shape, ServerlessConfig)
        else None
    ),
    backtrack_seconds=shape.backtrack_seconds,
    monitoring_interval=MonitoringInterval(shape.monitoring_interval),
    insights_mode=shape.insights,
    data_api=settings.data_api,
    iam_authentication=settings.iam_authentication,
    backup_retention_days=settings.backup_retention_days,
    backup_window=settings.backup_window,
    maintenance_window=settings.maintenance_window,
    deletion_protection=settings.deletion_protection,
    protect=settings.protected,
    apply_immediately=settings.apply_immediately,
    log_exports=settings.log_exports,
    log_retention_days=settings.log_retention_days,
    ca_certificate_identifier=settings.ca_certificate_identifier,
    engine_lifecycle_support=settings.engine_lifecycle_support,
    storage_type=settings.storage_type,
    master_username=settings.master_username,
    subnet_group_name=network.subnet_group.name,
    security_group_ids=[network.database_security_group.id],
    availability_zones=network.availability_zones,
    snapshot_identifier=promotion.snapshot_identifier if promotion else None,
    kms_key_id=settings.kms_key_id,
    region=settings.region,
    global_primary=settings.is_global,
    dr_region=settings.disaster_recovery.region if settings.disaster_recovery else None,
    master_password_version=settings.master_password_version,
    tags=tags,
    instance_identifiers=settings.instance_names,
    adopted=(
        AdoptedCluster(
            instance_zones=[instance.availability_zone for instance in adopt.instances],
            log_types=adopt.log_groups,
            storage_key_arn=adopt.live.kms_key_id,
        )
        if adopt
        else None
    ),
)
database = AuroraCluster("database", database_args)

# 4b. Production's optional RDS Proxy: connections survive a failover, clients sign in with IAM.
proxy = None
if shape.proxy:
    assert network.proxy_security_group is not None, "NetworkArgs(proxy=True) makes the proxy's group"
    proxy = DatabaseProxy(
        "proxy",
        DatabaseProxyArgs(
            cluster_identifier=settings.cluster_name,
            cluster=database.cluster_identifier,
            secret_arn=database.secret_arn,
            subnet_ids=network.proxy_subnet_ids,
            security_group_id=network.proxy_security_group.id,
            instance_identifiers=database.instance_identifiers,
            readers=len(database.readers),
            tags=tags,
        ),
    )

# 5. The client environment (the workshop's Cloud9 step).
client = None
if settings.client == "ssm":
    assert network.client_security_group is not None, "NetworkArgs(client_host=True) makes the client's group"
    client = ClientHost(
        "client",
        ClientHostArgs(
            subnet_id=network.client_subnet_id,
            security_group_id=network.client_security_group.id,
            associate_public_ip=network.uses_default_vpc,
            cluster_endpoint=database.endpoint,
            reader_endpoint=database.reader_endpoint,
            port=database.port,
            master_username=database.master_username,
            secret_arn=database.secret_arn,
            region=settings.region,
            alarm_name=client_idle_stop_alarm_name(settings.cluster_name),
            idle_stop_minutes=settings.client_idle_stop_minutes,
            tags=tags,
        ),
    )

# 6. The workshop's sample data, through the Data API once the writer exists.
sample_data = None
if settings.sample_data:
    sample_data = SampleData(
        "sample-data",
        SampleDataArgs(
            cluster_arn=database.arn,
            cluster_resource_id=database.resource_id,
            secret_arn=database.secret_arn,
            region=settings.region,
            drop_on_delete=settings.drop_sample_data_on_delete,
        ),
        opts=pulumi.ResourceOptions(depends_on=[database.writer]),
    )

# 7. An application user with IAM authentication, through pulumi-mysql.
if settings.app_user is not None:
    AppUser(
        "app-user",
        AppUserArgs(
            endpoint=settings.app_user.endpoint,
            master_username=database.master_username,
            secret_arn=database.secret_arn,
            cluster_resource_id=database.resource_id,
            region=settings.region,
            user_name=settings.app_user.name,
            database=settings.app_user.database,
            tags=tags,
        ),
        opts=pulumi.ResourceOptions(depends_on=[database.writer]),
    )

# 8. Disaster recovery in another region: backup copies, or a Global Database secondary.
backup_copies = global_database = None
dr = settings.disaster_recovery
if dr is not None and dr.is_global:
    global_database = GlobalDatabase(
        "global-database",
        GlobalDatabaseArgs(
            primary=database,
            primary_identifier=settings.cluster_name,
            primary_args=database_args,
            customer_key=settings.kms_key_id is not None,
            region=dr.region,
            vpc_id=dr.vpc_id,
            subnet_ids=dr.subnet_ids,
            allowed_cidrs=dr.allowed_cidrs,
            instances=dr.instances,
            alarm_email=settings.alarm_email,
            tags=tags,
        ),
    )
elif dr is not None:
    backup_copies = DisasterRecovery(
        "disaster-recovery",
        DisasterRecoveryArgs(
            cluster_arn=database.arn,
            cluster_identifier=settings.cluster_name,
            dr_region=dr.region,
            retention_days=dr.retention_days,
            backup_window=settings.backup_window,
            maintenance_window=settings.maintenance_window,
            tags=tags,
        ),
    )

# 9. Dashboard and alarms.
observability = Observability(
    "observability",
    ObservabilityArgs(
        cluster_identifier=settings.cluster_name,
        region=settings.region,
        serverless=settings.is_serverless,
        readers=shape.readers,
        alarm_email=settings.alarm_email,
        tags=tags,
    ),
    opts=pulumi.ResourceOptions(depends_on=[database]),
)

# 10. Outputs: what users and the prod stack's reference read.
pulumi.export("clusterIdentifier", database.cluster_identifier)
pulumi.export("clusterArn", database.arn)
pulumi.export("clusterEndpoint", database.endpoint)
pulumi.export("readerEndpoint", database.reader_endpoint)
pulumi.export("port", database.port)
# Read by the prod stack: a snapshot of this cluster restores at this version.
pulumi.export("engineVersion", database.engine_version)
pulumi.export("masterUsername", database.master_username)
pulumi.export("secretArn", database.secret_arn)
pulumi.export("securityGroupId", network.database_security_group.id)
if client is not None:
    pulumi.export("clientInstanceId", client.instance_id)
if proxy is not None:
    pulumi.export("proxyEndpoint", proxy.endpoint)
    if proxy.reader_endpoint is not None:
        pulumi.export("proxyReaderEndpoint", proxy.reader_endpoint)
pulumi.export(
    "connect",
    connect_instructions(
        settings.region, settings.data_api, database, client, global_database.writer_endpoint if global_database else None
    ),
)
pulumi.export("dashboardUrl", observability.dashboard_url)
pulumi.export("alarmTopicArn", observability.topic.arn)
# Dynamic providers cannot log under their resource: what they did is shown as outputs.
if sample_data is not None:
    pulumi.export("sampleDataApplied", sample_data.applied)
if database.restore_completion is not None:
    pulumi.export("restoreCompletionApplied", database.restore_completion.applied)
if promotion is not None:
    pulumi.export("restoredFromSnapshot", promotion.snapshot_identifier)
if backup_copies is not None:
    pulumi.export("drVaultArn", backup_copies.dr_vault.arn)
if global_database is not None:
    pulumi.export("globalClusterIdentifier", global_database.global_cluster.id)
    # Where applications write: it follows a switchover or failover, the primary's clusterEndpoint does not.
    pulumi.export("globalWriterEndpoint", global_database.writer_endpoint)
    pulumi.export("drClusterIdentifier", global_database.secondary.cluster_identifier)
    pulumi.export("drReaderEndpoint", global_database.secondary.reader_endpoint)
