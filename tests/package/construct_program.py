"""A stack declared as a user of the package declares it: each component through the package's
provider (`ComponentProvider.construct`, the path the host takes for every Pulumi language) with
dict args in the schema's names, wired as the program's __main__.py wires them for a first
deployment (or the adopting one: `aurora:adopt`'s resources given as the package's nested types). tests/package/test_construct.py runs it as a project's __main__.py under the recording
mock engine and compares what it declares with what the program declares for the same stack.

Not here: SampleData (not packaged) and the Global Database (not packaged)."""

from typing import Any

import pulumi
from pulumi.provider.experimental.component import ComponentProvider

from package.members import COMPONENTS, NAME, VERSION
from settings.derived_names import client_idle_stop_alarm_name
from settings.loading import load_stack_settings
from settings.model import ServerlessConfig

provider = ComponentProvider(COMPONENTS, NAME, version=VERSION)


def construct(component: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The component's outputs, by schema name; an arg given as None is left out, as a user leaves it out."""
    given = {key: value for key, value in inputs.items() if value is not None}
    return provider.construct(name, f"{NAME}:index:{component}", given, pulumi.ResourceOptions()).state


settings = load_stack_settings()
tags = settings.resource_tags
shape = settings.shape
adopt = settings.adopt
network = construct(
    "Network",
    "network",
    {
        "vpcId": settings.network.vpc_id,
        "subnetIds": list(settings.network.subnet_ids),
        "allowedSecurityGroupIds": list(settings.network.allowed_security_group_ids),
        "allowedCidrs": list(settings.network.allowed_cidrs),
        "clientHost": settings.client == "ssm",
        "clientSubnetId": settings.network.client_subnet_id,
        "proxy": shape.proxy,
        "tags": tags,
        "subnetGroupDescription": settings.network.subnet_group_description,
        "existingSubnetGroup": adopt.subnet_group.name if adopt else None,
    },
)
promotion = None
if settings.restore_from is not None:
    promotion = construct(
        "Promotion",
        "promotion",
        {
            "sourceStack": settings.restore_from.stack,
            "sourceSnapshot": settings.restore_from.snapshot_identifier,
            "targetClusterIdentifier": settings.cluster_name,
            "targetEngineVersion": settings.engine_version,
            "tags": tags,
        },
    )
database = construct(
    "AuroraCluster",
    "database",
    {
        "clusterIdentifier": settings.cluster_name,
        "engineVersion": settings.engine_version,
        "instanceClasses": list(shape.instance_classes),
        "serverlessScaling": (
            {
                "minCapacity": shape.min_capacity,
                "maxCapacity": shape.max_capacity,
                "secondsUntilAutoPause": shape.seconds_until_auto_pause,
            }
            if isinstance(shape, ServerlessConfig)
            else None
        ),
        "backtrackSeconds": shape.backtrack_seconds,
        "monitoringInterval": shape.monitoring_interval,
        "insightsMode": shape.insights,
        "dataApi": settings.data_api,
        "iamAuthentication": settings.iam_authentication,
        "backupRetentionDays": settings.backup_retention_days,
        "backupWindow": settings.backup_window,
        "maintenanceWindow": settings.maintenance_window,
        "deletionProtection": settings.deletion_protection,
        "protect": settings.protected,
        "applyImmediately": settings.apply_immediately,
        "logExports": list(settings.log_exports),
        "logRetentionDays": settings.log_retention_days,
        "caCertificateIdentifier": settings.ca_certificate_identifier,
        "engineLifecycleSupport": settings.engine_lifecycle_support,
        "storageType": settings.storage_type,
        "masterUsername": settings.master_username,
        "subnetGroupName": network["subnetGroupName"],
        "securityGroupIds": [network["databaseSecurityGroupId"]],
        "availabilityZones": network["availabilityZones"],
        "snapshotIdentifier": promotion["snapshotIdentifier"] if promotion else None,
        "kmsKeyId": settings.kms_key_id,
        "region": settings.region,
        "globalPrimary": settings.is_global,
        "drRegion": settings.disaster_recovery.region if settings.disaster_recovery else None,
        "masterPasswordVersion": settings.master_password_version,
        "tags": tags,
        "instanceIdentifiers": list(settings.instance_names),
        "adopted": (
            {
                "instanceZones": [instance.availability_zone for instance in adopt.instances],
                "logTypes": list(adopt.log_groups),
                "storageKeyArn": adopt.live.kms_key_id,
            }
            if adopt
            else None
        ),
    },
)
if shape.proxy:
    construct(
        "DatabaseProxy",
        "proxy",
        {
            "clusterIdentifier": settings.cluster_name,
            "cluster": database["clusterIdentifier"],
            "secretArn": database["secretArn"],
            "subnetIds": network["proxySubnetIds"],
            "securityGroupId": network["proxySecurityGroupId"],
            "instanceIdentifiers": database["instanceIdentifiers"],
            "readers": shape.readers,
            "tags": tags,
        },
    )
if settings.client == "ssm":
    construct(
        "ClientHost",
        "client",
        {
            "subnetId": network["clientSubnetId"],
            "securityGroupId": network["clientSecurityGroupId"],
            "associatePublicIp": network["usesDefaultVpc"],
            "clusterEndpoint": database["endpoint"],
            "readerEndpoint": database["readerEndpoint"],
            "port": database["port"],
            "masterUsername": database["masterUsername"],
            "secretArn": database["secretArn"],
            "region": settings.region,
            "alarmName": client_idle_stop_alarm_name(settings.cluster_name),
            "idleStopMinutes": settings.client_idle_stop_minutes,
            "tags": tags,
        },
    )
if settings.app_user is not None:
    construct(
        "AppUser",
        "app-user",
        {
            "endpoint": settings.app_user.endpoint,
            "masterUsername": database["masterUsername"],
            "secretArn": database["secretArn"],
            "clusterResourceId": database["resourceId"],
            "region": settings.region,
            "userName": settings.app_user.name,
            "database": settings.app_user.database,
            "tags": tags,
        },
    )
dr = settings.disaster_recovery
if dr is not None and not dr.is_global:
    construct(
        "DisasterRecovery",
        "disaster-recovery",
        {
            "clusterArn": database["arn"],
            "clusterIdentifier": settings.cluster_name,
            "drRegion": dr.region,
            "retentionDays": dr.retention_days,
            "backupWindow": settings.backup_window,
            "maintenanceWindow": settings.maintenance_window,
            "tags": tags,
        },
    )
construct(
    "Observability",
    "observability",
    {
        "clusterIdentifier": settings.cluster_name,
        "region": settings.region,
        "serverless": settings.is_serverless,
        "readers": shape.readers,
        "alarmEmail": settings.alarm_email,
        "tags": tags,
    },
)
