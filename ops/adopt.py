"""`ops adopt`: a stack file that reproduces a cluster built in the console, or one line saying why
it cannot be adopted and the way out.

What the program can express is written as ordinary settings; what it imports is the `aurora:adopt`
section (the contract with the program's adoption guard: docs/adopt.md). What it cannot express is
returned as notes, each with the choice the file makes; the in-place changes the first `pulumi up`
would make are returned by their change names, which the user accepts in `aurora:adopt.acceptChanges`
(the file accepts none by itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from awsfacts.engine_versions import AURORA_MYSQL_3, ENGINE, is_aurora_mysql_84
from awsfacts.identifiers import instance_identifier
from awsfacts.limits import MAX_PROMOTION_TIER

from .adopt_reads import LOG_GROUP_PREFIX, Live
from .cluster_ops import SERVERLESS_CLASS

# A Pulumi stack name, the NAME of Pulumi.NAME.yaml (pulumi/pulumi pkg/backend, `validateStackName`:
# "^[A-Za-z0-9_.-]{1,100}$", no slashes: an organization/project prefix is not part of the file name).
STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")

# The engine modes AWS ever gave Aurora MySQL clusters; only `provisioned` holds a Serverless v2 or
# provisioned cluster (botocore rds model, CreateDBCluster EngineMode: provisioned, serverless,
# parallelquery, global, multimaster).
PROVISIONED_MODE = "provisioned"

# The all-traffic protocol of a security group rule (botocore ec2 model, IpPermission IpProtocol:
# "Use -1 to specify all protocols").
ALL_TRAFFIC = "-1"
MYSQL_PORT = 3306

# The longest retention CloudWatch Logs takes (botocore logs model, PutRetentionPolicy retentionInDays:
# "Possible values are: 1, 3, 5, ... 3288, and 3653"): the nearest to a group that never expires.
LONGEST_LOG_RETENTION_DAYS = 3653

# The tags the program puts on every resource besides aurora:tags (settings/model.py
# StackConfig.resource_tags; ops may not import settings: tests/project/test_layers.py). Each missing
# from the live cluster is a `tags` change.
PROGRAM_TAG_KEYS = ("Project", "Stack", "ManagedBy")

# Why each in-place change of the first `up` needs acceptance (docs/adopt.md; names from the contract).
CHANGE_EFFECTS = {
    "masterPasswordToSecretsManager": (
        "the master password moves to Secrets Manager: RDS generates a new one, and clients using the old password stop working"
    ),
    "securityGroups": (
        "the cluster's security groups become the program's own database group: clients admitted only by {groups} lose "
        "access (those groups are left as they are)"
    ),
    "parameterGroup": (
        "the cluster parameter group {group} is replaced by the program's: TLS is required "
        "(require_secure_transport=ON), so plaintext clients are refused"
    ),
}


@dataclass(frozen=True)
class Note:
    """Something the settings cannot say as it is live, and what the stack file says instead."""

    about: str
    choice: str


@dataclass(frozen=True)
class Change:
    """An in-place change the first `up` would make, by its name in `aurora:adopt.acceptChanges`."""

    name: str
    effect: str


@dataclass(frozen=True)
class Adoption:
    config: dict[str, Any]
    """The stack file's `config:` map."""
    changes: list[Change]
    notes: list[Note]


def check_stack_name(stack: str) -> str | None:
    if STACK_NAME.match(stack):
        return None
    return (
        f"--stack {stack!r} is not a stack name: allowed are 1 to 100 letters, digits, '-', '_' or '.' (the NAME of "
        "Pulumi.NAME.yaml, without an organization/project prefix)"
    )


def refusal(live: Live) -> str | None:
    """The first reason the cluster cannot be adopted, with the way out; None when it can."""
    for check in REFUSALS:
        found = check(live)
        if found:
            return f"cluster {live.cluster['DBClusterIdentifier']!r} cannot be adopted: {found}"
    return None


def _engine(live: Live) -> str | None:
    engine = live.cluster.get("Engine")
    if engine == ENGINE:
        return None
    return (
        f"its engine is {engine}, and this program builds Aurora MySQL ({ENGINE}) clusters only; manage it with a program "
        "for its engine"
    )


def _engine_mode(live: Live) -> str | None:
    mode = live.cluster.get("EngineMode", PROVISIONED_MODE)
    if mode == PROVISIONED_MODE:
        return None
    if mode == "serverless":
        return (
            "its engine mode is serverless (Aurora Serverless v1, end of life since March 2025); upgrade it to "
            'Aurora Serverless v2 first (Aurora User Guide, "Upgrading from an Aurora Serverless v1 cluster to Aurora '
            "Serverless v2\"), or wait for AWS's automatic upgrade in its maintenance window, then run `ops adopt` again"
        )
    return f"its engine mode is {mode}, which this program cannot express (it builds engine mode {PROVISIONED_MODE})"


def _global_member(live: Live) -> str | None:
    global_id = live.cluster.get("GlobalClusterIdentifier")
    if not global_id:
        return None
    return (
        f"it is a member of the global database {global_id!r}, whose members this program cannot import (it creates its own "
        "with disasterRecovery.mode global); remove it from the global database first (RemoveFromGlobalCluster; a "
        "secondary becomes a standalone cluster), then run `ops adopt` again"
    )


def _encryption(live: Live) -> str | None:
    if live.cluster.get("StorageEncrypted"):
        return None
    return (
        "its storage is not encrypted (storageEncrypted false), and encryption cannot be switched on in place: a change "
        "would replace the cluster; take a snapshot, copy it with a KMS key (CopyDBClusterSnapshot KmsKeyId), and "
        "restore the copy with this program (restoreFrom.snapshotIdentifier, docs/promotion.md)"
    )


def _engine_version(live: Live) -> str | None:
    version = live.cluster.get("EngineVersion", "")
    if AURORA_MYSQL_3.match(version) or is_aurora_mysql_84(version):
        return None
    if version.startswith("5.7") or ".mysql_aurora.2." in version:
        return (
            f"it runs Aurora MySQL 2 (engine version {version}, MySQL 5.7), out of standard support and billed as RDS "
            "Extended Support; upgrade it in place to Aurora MySQL 3 first (ModifyDBCluster EngineVersion with "
            'AllowMajorVersionUpgrade, or a blue/green deployment; Aurora User Guide, "Upgrading Amazon Aurora MySQL DB '
            'clusters"), then run `ops adopt` again'
        )
    return (
        f"its engine version {version} is not Aurora MySQL 3 (8.0.mysql_aurora.3.x.y) or 8.4, the versions this program "
        "runs; upgrade it in place first, then run `ops adopt` again"
    )


def _instances(live: Live) -> str | None:
    if not live.instances:
        return "it has no DB instance, so nothing serves it; add a writer (CreateDBInstance) first, then run `ops adopt` again"
    classes = [instance["DBInstanceClass"] for instance in live.instances]
    if classes[0] == SERVERLESS_CLASS and len(classes) > 1:
        readers = ", ".join(instance["DBInstanceIdentifier"] for instance in live.instances[1:])
        return (
            f"it has {len(classes)} instances, and the serverless shape has a single {SERVERLESS_CLASS} writer; delete the "
            f"readers ({readers}) first, or change the writer to a provisioned class to adopt it as the provisioned shape"
        )
    scaling = live.cluster.get("ServerlessV2ScalingConfiguration") or {}
    if classes[0] == SERVERLESS_CLASS and not {"MinCapacity", "MaxCapacity"} <= scaling.keys():
        # AWS refuses a db.serverless instance without the range (CreateDBInstance, Aurora User Guide
        # "Requirements and limitations for Aurora Serverless v2"), yet DescribeDBClusters may omit it.
        return (
            f"its writer is {SERVERLESS_CLASS} but DescribeDBClusters reports no ServerlessV2ScalingConfiguration, so "
            "the serverless shape's capacity range is unknown; set it (aws rds modify-db-cluster "
            "--serverless-v2-scaling-configuration MinCapacity=0.5,MaxCapacity=4), then run `ops adopt` again"
        )
    mixed = [
        instance["DBInstanceIdentifier"] for instance in live.instances[1:] if instance["DBInstanceClass"] == SERVERLESS_CLASS
    ]
    if classes[0] != SERVERLESS_CLASS and mixed:
        return (
            f"its writer is provisioned ({classes[0]}) but {', '.join(mixed)} is {SERVERLESS_CLASS}, a mix the provisioned "
            "shape cannot express; change those readers to a provisioned class (ModifyDBInstance) first"
        )
    return None


REFUSALS: tuple[Callable[[Live], str | None], ...] = (
    _engine,
    _engine_mode,
    _global_member,
    _encryption,
    _engine_version,
    _instances,
)


def adoption(live: Live, region: str) -> Adoption:
    """The stack file's settings for an adoptable cluster, the changes its first `up` would make and
    what it could not express."""
    cluster = live.cluster
    notes: list[Note] = []
    changes: list[Change] = []
    config: dict[str, Any] = {"aws:region": region}
    config |= _shape(live, notes)
    config["aurora:clusterName"] = cluster["DBClusterIdentifier"]
    config["aurora:engineVersion"] = cluster["EngineVersion"]
    config["aurora:masterUsername"] = cluster["MasterUsername"]
    if not live.key_is_aws_managed:
        config["aurora:kmsKeyId"] = live.key_arn
    config["aurora:network"] = _network(live, notes)
    config["aurora:dataApi"] = bool(cluster.get("HttpEndpointEnabled"))
    config["aurora:iamAuthentication"] = bool(cluster.get("IAMDatabaseAuthenticationEnabled"))
    # The program's client host and sample data are what the workshop adds; an adopted cluster has its own data.
    config["aurora:client"] = "none"
    config["aurora:sampleData"] = False
    config["aurora:backupRetentionDays"] = cluster["BackupRetentionPeriod"]
    config["aurora:backupWindow"] = cluster["PreferredBackupWindow"]
    config["aurora:maintenanceWindow"] = cluster["PreferredMaintenanceWindow"]
    config["aurora:deletionProtection"] = bool(cluster.get("DeletionProtection"))
    # Settings, not the adopt section, carry what the program sends from now on, so that the section
    # can be removed after the first `up` with nothing planned: the cluster and its instances stay
    # protected, and instances keep the names the console gave them (a new name replaces one).
    config["aurora:protect"] = True
    names = [instance["DBInstanceIdentifier"] for instance in live.instances]
    if names != [instance_identifier(cluster["DBClusterIdentifier"], number) for number in range(1, len(names) + 1)]:
        config["aurora:instanceIdentifiers"] = names
    config |= _logs(live, notes)
    config |= _optional_settings(live, notes)
    config["aurora:adopt"] = _adopt_section(live, config)
    changes += _changes(live, notes)
    changes += _settings_changes(live, config)
    return Adoption(config, changes, notes)


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _shape(live: Live, notes: list[Note]) -> dict[str, Any]:
    cluster, writer = live.cluster, live.instances[0]
    scaling = cluster.get("ServerlessV2ScalingConfiguration") or {}
    if writer["DBInstanceClass"] == SERVERLESS_CLASS:
        serverless: dict[str, Any] = {
            "minCapacity": _whole(scaling["MinCapacity"]),
            "maxCapacity": _whole(scaling["MaxCapacity"]),
        }
        if scaling["MinCapacity"] == 0 and "SecondsUntilAutoPause" in scaling:
            serverless["secondsUntilAutoPause"] = scaling["SecondsUntilAutoPause"]
        if writer.get("MonitoringInterval") or writer.get("PerformanceInsightsEnabled"):
            notes.append(
                Note(
                    "Enhanced Monitoring or Performance Insights on the serverless writer",
                    "the serverless shape has neither: the first `up` turns Enhanced Monitoring and the cluster's "
                    "Performance Insights off (insightsAndMonitoring); an instance's own Performance Insights setting "
                    "is left as it is (the program does not send it)",
                )
            )
        return {"aurora:capacityType": "serverless", "aurora:serverless": serverless}
    if scaling:
        notes.append(
            Note(
                f"a Serverless v2 capacity range ({_whole(scaling['MinCapacity'])}-{_whole(scaling['MaxCapacity'])} ACU) "
                f"with a provisioned writer ({writer['DBInstanceClass']}), as a cluster AWS moved off Serverless v1 is left",
                "adopted as the provisioned shape; the range is not carried",
            )
        )
    return {"aurora:capacityType": "provisioned", "aurora:provisioned": _provisioned(live, notes)}


def _provisioned(live: Live, notes: list[Note]) -> dict[str, Any]:
    writer, readers = live.instances[0], live.instances[1:]
    section: dict[str, Any] = {"instanceClass": writer["DBInstanceClass"], "readers": len(readers)}
    reader_classes = [reader["DBInstanceClass"] for reader in readers]
    if any(reader_class != writer["DBInstanceClass"] for reader_class in reader_classes):
        section["readerInstanceClasses"] = reader_classes
    # Off must be said: the shape's default is a 24-hour window, and backtrack cannot be switched on in place.
    section["backtrackHours"] = _whole((live.cluster.get("BacktrackWindow") or 0) / 3600)
    intervals = {instance.get("MonitoringInterval", 0) for instance in live.instances}
    section["monitoringInterval"] = writer.get("MonitoringInterval", 0)
    if len(intervals) > 1:
        notes.append(
            Note(
                f"Enhanced Monitoring intervals that differ between instances ({', '.join(map(str, sorted(intervals)))} s)",
                f"every instance gets the writer's {section['monitoringInterval']} s (in place)",
            )
        )
    if section["monitoringInterval"]:
        notes.append(
            Note(
                f"the Enhanced Monitoring role {writer.get('MonitoringRoleArn') or '-'}",
                "the program's own monitoring role replaces it (in place); the old role is left as it is",
            )
        )
    mode = live.cluster.get("DatabaseInsightsMode") or writer.get("DatabaseInsightsMode")
    section["insights"] = "advanced" if mode == "advanced" else "standard"
    if not live.cluster.get("PerformanceInsightsEnabled") and not writer.get("PerformanceInsightsEnabled"):
        notes.append(
            Note(
                "Performance Insights off",
                "the provisioned shape always has it: the first `up` turns it on, insights standard (in place)",
            )
        )
    return section


def _network(live: Live, notes: list[Note]) -> dict[str, Any]:
    subnet_group = live.subnet_group
    network: dict[str, Any] = {
        "vpcId": "default" if live.vpc_is_default else subnet_group["VpcId"],
        "subnetIds": sorted(subnet["SubnetIdentifier"] for subnet in subnet_group.get("Subnets", [])),
        # Kept as it is: the adopted group may serve other clusters.
        "subnetGroupDescription": subnet_group.get("DBSubnetGroupDescription", ""),
    }
    admitted: list[str] = []
    for group in live.security_groups:
        admitted += _mysql_sources(group, notes)
    if admitted:
        network["allowedSecurityGroupIds"] = list(dict.fromkeys(admitted))
    return network


def _reaches_mysql(rule: dict[str, Any]) -> bool:
    if rule.get("IpProtocol") == ALL_TRAFFIC:
        return True
    return rule.get("IpProtocol") == "tcp" and rule.get("FromPort", 0) <= MYSQL_PORT <= rule.get("ToPort", -1)


def _mysql_sources(group: dict[str, Any], notes: list[Note]) -> list[str]:
    """The security groups a live group admits on the MySQL port, admitted by the program's group
    too; the other sources (address ranges, prefix lists) are notes, for the user to carry."""
    group_id, sources, others = group["GroupId"], [], []
    for rule in filter(_reaches_mysql, group.get("IpPermissions", [])):
        sources += [pair["GroupId"] for pair in rule.get("UserIdGroupPairs", []) if pair.get("GroupId")]
        others += [r["CidrIp"] for r in rule.get("IpRanges", [])] + [r["CidrIpv6"] for r in rule.get("Ipv6Ranges", [])]
        others += [p["PrefixListId"] for p in rule.get("PrefixListIds", [])]
    if group.get("GroupName") == "default" and group_id in sources:
        notes.append(
            Note(
                f"the VPC's default security group {group_id}, whose all-traffic rule admits each of its members",
                f"network.allowedSecurityGroupIds admits {group_id} on 3306 to the program's group, so its members keep "
                "access; the default group itself is never changed; remove the entry to close that path",
            )
        )
    if others:
        notes.append(
            Note(
                f"sources {', '.join(others)} admitted by {group_id}",
                "not carried: add the private ranges to network.allowedCidrs (public ranges are refused)",
            )
        )
    return sources


def _logs(live: Live, notes: list[Note]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    exports = list(live.cluster.get("EnabledCloudwatchLogsExports") or [])
    if exports:
        found["aurora:logExports"] = exports
    else:
        notes.append(
            Note(
                "no log exports",
                "aurora:logExports cannot say none: the first `up` turns on the shape's default exports and creates "
                "their log groups (in place)",
            )
        )
    retentions = list(live.log_groups.values())
    if retentions:
        longest = LONGEST_LOG_RETENTION_DAYS if None in retentions else max(r for r in retentions if r is not None)
        found["aurora:logRetentionDays"] = longest
        if None in retentions or len(set(retentions)) > 1:
            kept = ", ".join(f"{t} {'never expires' if r is None else f'{r} days'}" for t, r in sorted(live.log_groups.items()))
            notes.append(
                Note(
                    f"log group retention ({kept}); logRetentionDays is one value and cannot say never",
                    f"logRetentionDays {longest}, the longest CloudWatch Logs takes, for every group: events older are deleted",
                )
            )
    unexported = sorted(set(live.log_groups) - set(exports))
    if unexported:
        prefix = LOG_GROUP_PREFIX.format(cluster=live.cluster["DBClusterIdentifier"])
        notes.append(
            Note(
                f"log groups {', '.join(prefix + t for t in unexported)} of types not exported",
                "not imported, left as they are; if aurora:logExports (or, unset, the shape's default) exports one of "
                "these types, add it to aurora:adopt.logGroups, or the first `up` fails creating a group that exists",
            )
        )
    return found


def _optional_settings(live: Live, notes: list[Note]) -> dict[str, Any]:
    """Settings AWS reports only where they apply: written when reported, the default otherwise."""
    cluster, writer = live.cluster, live.instances[0]
    found: dict[str, Any] = {}
    if cluster.get("EngineLifecycleSupport"):
        found["aurora:engineLifecycleSupport"] = cluster["EngineLifecycleSupport"]
    # Aurora's two storage configurations (CreateDBCluster StorageType: aurora, aurora-iopt1).
    if cluster.get("StorageType") in ("aurora", "aurora-iopt1"):
        found["aurora:storageType"] = cluster["StorageType"]
    if writer.get("CACertificateIdentifier"):
        found["aurora:caCertificateIdentifier"] = writer["CACertificateIdentifier"]
    tags = _user_tags(cluster)
    if tags:
        found["aurora:tags"] = tags
    if live.custom_parameters:
        listed = ", ".join(f"{name}={value}" for name, value in sorted(live.custom_parameters.items()))
        notes.append(
            Note(
                f"custom parameters in {cluster['DBClusterParameterGroup']}: {listed}",
                "the program's group sets only TLS and the logging that logExports needs: the others are dropped once "
                "parameterGroup is accepted",
            )
        )
    return found


def _user_tags(described: dict[str, Any]) -> dict[str, str]:
    """A cluster's or instance's TagList without the tags AWS manages (aws:, rds:), which no one sets."""
    return {t["Key"]: t["Value"] for t in described.get("TagList", []) if not t["Key"].lower().startswith(("aws:", "rds:"))}


def _live_instance(instance: dict[str, Any]) -> dict[str, Any]:
    return {
        "identifier": instance["DBInstanceIdentifier"],
        # CreateDBInstance's default tier is 1 (botocore rds model, PromotionTier "Default: 1").
        "promotionTier": instance.get("PromotionTier", 1),
        "publiclyAccessible": bool(instance.get("PubliclyAccessible")),
        "autoMinorVersionUpgrade": bool(instance.get("AutoMinorVersionUpgrade")),
        "copyTagsToSnapshot": bool(instance.get("CopyTagsToSnapshot")),
        "monitoringInterval": instance.get("MonitoringInterval") or 0,
        "monitoringRoleArn": instance.get("MonitoringRoleArn"),
        "tags": _user_tags(instance),
    }


def _adopt_section(live: Live, config: dict[str, Any]) -> dict[str, Any]:
    cluster = live.cluster
    return {
        "cluster": cluster["DBClusterIdentifier"],
        "instances": [
            {"identifier": instance["DBInstanceIdentifier"], "availabilityZone": instance["AvailabilityZone"]}
            for instance in live.instances
        ],
        "subnetGroup": {"name": live.subnet_group["DBSubnetGroupName"]},
        "logGroups": sorted(set(live.log_groups) & set(config.get("aurora:logExports", ()))),
        "live": {
            "engineMode": cluster.get("EngineMode", PROVISIONED_MODE),
            "storageEncrypted": bool(cluster.get("StorageEncrypted")),
            "kmsKeyId": live.key_arn,
            "masterUsername": cluster["MasterUsername"],
            "manageMasterUserPassword": bool(cluster.get("MasterUserSecret")),
            "iamDatabaseAuthenticationEnabled": bool(cluster.get("IAMDatabaseAuthenticationEnabled")),
            "vpcSecurityGroupIds": [group["VpcSecurityGroupId"] for group in cluster.get("VpcSecurityGroups", [])],
            "dbClusterParameterGroupName": cluster["DBClusterParameterGroup"],
            "globalClusterIdentifier": cluster.get("GlobalClusterIdentifier"),
            "copyTagsToSnapshot": bool(cluster.get("CopyTagsToSnapshot")),
            "tags": _user_tags(cluster),
            "enabledCloudwatchLogsExports": list(cluster.get("EnabledCloudwatchLogsExports") or []),
            "performanceInsightsEnabled": bool(cluster.get("PerformanceInsightsEnabled")),
            "databaseInsightsMode": cluster.get("DatabaseInsightsMode"),
            "instances": [_live_instance(instance) for instance in live.instances],
        },
        "acceptChanges": [],
    }


def _changes(live: Live, notes: list[Note]) -> list[Change]:
    """The contract's in-place changes the first `up` makes to this cluster."""
    cluster = live.cluster
    found = []
    if not cluster.get("MasterUserSecret"):
        found.append(Change("masterPasswordToSecretsManager", CHANGE_EFFECTS["masterPasswordToSecretsManager"]))
    groups = ", ".join(group["VpcSecurityGroupId"] for group in cluster.get("VpcSecurityGroups", [])) or "-"
    found.append(Change("securityGroups", CHANGE_EFFECTS["securityGroups"].format(groups=groups)))
    found.append(Change("parameterGroup", CHANGE_EFFECTS["parameterGroup"].format(group=cluster["DBClusterParameterGroup"])))
    if not cluster.get("IAMDatabaseAuthenticationEnabled"):
        notes.append(
            Note(
                "IAM database authentication off",
                "kept off (iamAuthentication: false); to turn it on, set it true and accept iamAuthentication",
            )
        )
    return found


def _settings_changes(live: Live, config: dict[str, Any]) -> list[Change]:
    """The in-place changes the program's own choices make to the written settings (settings/adoption.py
    CHANGES, which judges the same from `aurora:adopt.live`), each naming what changes where."""
    return [
        change
        for change in (
            _instance_settings(live),
            _log_exports(live, config),
            _insights_and_monitoring(live, config),
            _tags(live),
        )
        if change is not None
    ]


def _instance_settings(live: Live) -> Change | None:
    """What `declare_instance` sends every instance: its tier in order, private, no automatic minor upgrades."""
    found = []
    for number, instance in enumerate(live.instances):
        changed = []
        tier = min(number, MAX_PROMOTION_TIER)
        if instance.get("PromotionTier", 1) != tier:
            changed.append(f"promotion tier {instance.get('PromotionTier', 1)} becomes {tier}")
        if instance.get("PubliclyAccessible"):
            changed.append("it becomes private: clients from outside the VPC lose access")
        if instance.get("AutoMinorVersionUpgrade"):
            changed.append("automatic minor version upgrades stop (upgrades become aurora:engineVersion changes)")
        if changed:
            found.append(f"{instance['DBInstanceIdentifier']}: {', '.join(changed)}")
    return Change("instanceSettings", "; ".join(found)) if found else None


def _log_exports(live: Live, config: dict[str, Any]) -> Change | None:
    if "aurora:logExports" in config:
        return None
    return Change(
        "logExports",
        "the cluster exports none of its logs; the first `up` exports the shape's default log types (aurora:logExports) "
        "to CloudWatch Logs, into groups the program creates: CloudWatch Logs ingestion and storage are billed",
    )


def _insights_and_monitoring(live: Live, config: dict[str, Any]) -> Change | None:
    """The shape's Performance Insights, Database Insights and Enhanced Monitoring against the live ones."""
    cluster, found = live.cluster, []
    section = config.get("aurora:provisioned")
    insights = section["insights"] if section else None
    interval = section["monitoringInterval"] if section else 0
    if bool(cluster.get("PerformanceInsightsEnabled")) != (insights is not None):
        found.append(f"Performance Insights is switched {'on' if insights else 'off'} on the cluster")
    if insights is not None and cluster.get("DatabaseInsightsMode") != insights:
        found.append(f"Database Insights becomes {insights}")
    for instance in live.instances:
        name, live_interval = instance["DBInstanceIdentifier"], instance.get("MonitoringInterval") or 0
        if live_interval != interval:
            found.append(f"{name}: Enhanced Monitoring every {interval or 'never'} s instead of {live_interval or 'never'}")
        if interval:
            found.append(f"{name}: Enhanced Monitoring publishes through the program's monitoring role")
    if not found:
        return None
    return Change(
        "insightsAndMonitoring",
        "; ".join(found) + " (switched on they are billed; switched off their history stops)",
    )


def _tags(live: Live) -> Change | None:
    """The program's tags on the cluster and every instance, copied to snapshots."""
    cluster_tags, found = _user_tags(live.cluster), []
    missing = [key for key in PROGRAM_TAG_KEYS if key not in cluster_tags]
    if missing:
        found.append(f"the cluster gets the tags {', '.join(missing)}")
    if not live.cluster.get("CopyTagsToSnapshot"):
        found.append("the cluster's snapshots copy its tags")
    for instance in live.instances:
        name = instance["DBInstanceIdentifier"]
        if _user_tags(instance) != cluster_tags or missing:
            found.append(f"{name} gets the cluster's tags (its own others are removed)")
        if not instance.get("CopyTagsToSnapshot"):
            found.append(f"{name}'s snapshots copy its tags")
    return Change("tags", "; ".join(found)) if found else None


def summary(adoption: Adoption, path: str, stack: str) -> dict[str, Any]:
    """The command's result: the file, what it imports, the changes to accept and the notes."""
    config, section = adoption.config, adoption.config["aurora:adopt"]
    imports = [{"resource": "cluster", "id": section["cluster"]}]
    imports += [{"resource": "instance", "id": instance["identifier"]} for instance in section["instances"]]
    imports += [{"resource": "subnet group", "id": section["subnetGroup"]["name"]}]
    prefix = LOG_GROUP_PREFIX.format(cluster=section["cluster"])
    imports += [{"resource": "log group", "id": prefix + log_type} for log_type in section["logGroups"]]
    return {
        "stackFile": path,
        "cluster": section["cluster"],
        "region": config["aws:region"],
        "capacityType": config["aurora:capacityType"],
        "imports": imports,
        "changes": [{"name": change.name, "effect": change.effect} for change in adoption.changes],
        "notes": [{"about": note.about, "choice": note.choice} for note in adoption.notes],
        "next": f"read {path} and docs/adopt.md, accept the changes in aurora:adopt.acceptChanges, then `pulumi preview -s {stack}`",
    }


def text_lines(result: dict[str, Any]) -> list[str]:
    out = [f"wrote {result['stackFile']}: cluster {result['cluster']} ({result['capacityType']}, {result['region']})"]
    out.append("imports, protected:")
    out += [f"  {item['resource']:<12}  {item['id']}" for item in result["imports"]]
    out.append("the first `up` changes in place; accept each by name in aurora:adopt.acceptChanges to go ahead:")
    out += [f"  {change['name']}: {change['effect']}" for change in result["changes"]]
    if result["notes"]:
        out.append("not expressed as it is live, and the file's choice:")
        out += [f"  - {note['about']}: {note['choice']}" for note in result["notes"]]
    out.append(f"next: {result['next']}")
    return out
