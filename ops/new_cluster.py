"""`clone` and `restore`: a new cluster from an existing one, as safe as its source.

RestoreDBClusterToPointInTime gives the new cluster the engine's DEFAULT cluster parameter group
and no log exports or IAM authentication unless they are passed (aws-facts: "Found in review"), so
a clone of a TLS-required cluster would accept plaintext. Everything that makes the source safe is
copied explicitly and reported. Every derived identifier is checked before the first call, and a
failure after the cluster exists deletes what this command created, or names what is left and the
command that removes it (after a timeout or an interrupt as well).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from awscalls.errors import AWS_FAILURES, OperationError, error_code, one_line
from awsfacts.identifiers import instance_identifier

from .cluster_ops import Report, Waiting, describe_cluster, describe_instance, members
from .identifiers import CLUSTER, INSTANCE


def instance_name(cluster_name: str) -> str:
    """The new cluster's one instance, named as the program names a cluster's writer."""
    return instance_identifier(cluster_name, 1)


def _cluster_settings(source: dict[str, Any]) -> dict[str, Any]:
    """RestoreDBClusterToPointInTime parameters that carry the source's protections over."""
    scaling = source.get("ServerlessV2ScalingConfiguration") or {}
    settings = {
        "DBClusterParameterGroupName": source.get("DBClusterParameterGroup"),
        "VpcSecurityGroupIds": [group["VpcSecurityGroupId"] for group in source.get("VpcSecurityGroups", [])] or None,
        "DBSubnetGroupName": source.get("DBSubnetGroup"),
        "KmsKeyId": source.get("KmsKeyId"),
        "EnableCloudwatchLogsExports": source.get("EnabledCloudwatchLogsExports") or None,
        "EnableIAMDatabaseAuthentication": source.get("IAMDatabaseAuthenticationEnabled"),
        "DeletionProtection": source.get("DeletionProtection"),
        "CopyTagsToSnapshot": source.get("CopyTagsToSnapshot"),
        # Tags with the reserved `aws:` prefix are AWS's own and cannot be set.
        "Tags": [tag for tag in source.get("TagList", []) if not tag["Key"].startswith("aws:")] or None,
        "ServerlessV2ScalingConfiguration": {
            key: scaling[key] for key in ("MinCapacity", "MaxCapacity", "SecondsUntilAutoPause") if key in scaling
        }
        or None,
    }
    return {key: value for key, value in settings.items() if value is not None}


def _instance_settings(writer: dict[str, Any] | None) -> dict[str, Any]:
    """CreateDBInstance parameters copied from the source's writer (a serverless one when it has none)."""
    if writer is None:
        return {"DBInstanceClass": "db.serverless"}
    groups = [group["DBParameterGroupName"] for group in writer.get("DBParameterGroups", [])]
    settings = {
        "DBInstanceClass": writer.get("DBInstanceClass"),
        "DBParameterGroupName": groups[0] if groups else None,
        "CACertificateIdentifier": writer.get("CACertificateIdentifier"),
        "MonitoringInterval": writer.get("MonitoringInterval"),
        "MonitoringRoleArn": writer.get("MonitoringRoleArn") if writer.get("MonitoringInterval") else None,
    }
    return {key: value for key, value in settings.items() if value is not None}


def _copied_summary(cluster: dict[str, Any], instance: dict[str, Any]) -> dict[str, Any]:
    """What was copied, in the words a user reads (printed, and returned as `copied`)."""
    scaling = cluster.get("ServerlessV2ScalingConfiguration")
    return {
        "parameterGroup": cluster.get("DBClusterParameterGroupName"),
        "securityGroups": cluster.get("VpcSecurityGroupIds", []),
        "subnetGroup": cluster.get("DBSubnetGroupName"),
        "kmsKey": cluster.get("KmsKeyId"),
        "logExports": cluster.get("EnableCloudwatchLogsExports", []),
        "iamAuthentication": bool(cluster.get("EnableIAMDatabaseAuthentication")),
        "deletionProtection": bool(cluster.get("DeletionProtection")),
        "tags": len(cluster.get("Tags", [])),
        "serverlessCapacity": f"{scaling['MinCapacity']:g}-{scaling['MaxCapacity']:g} ACU" if scaling else None,
        "instanceClass": instance.get("DBInstanceClass"),
        "instanceParameterGroup": instance.get("DBParameterGroupName"),
        "caCertificate": instance.get("CACertificateIdentifier"),
        "monitoringInterval": instance.get("MonitoringInterval", 0),
    }


def removal_commands(name: str, with_instance: bool, deletion_protection: bool) -> str:
    commands = []
    if with_instance:
        commands.append(f"aws rds delete-db-instance --db-instance-identifier {instance_name(name)}")
    if deletion_protection:
        commands.append(f"aws rds modify-db-cluster --db-cluster-identifier {name} --no-deletion-protection --apply-immediately")
    commands.append(f"aws rds delete-db-cluster --db-cluster-identifier {name} --skip-final-snapshot")
    return " && ".join(commands)


def _delete_cluster(rds: Any, name: str, deletion_protection: bool) -> None:
    if deletion_protection:
        rds.modify_db_cluster(DBClusterIdentifier=name, DeletionProtection=False, ApplyImmediately=True)
    rds.delete_db_cluster(DBClusterIdentifier=name, SkipFinalSnapshot=True)


Confirm = Callable[[str], None]


def new_cluster_from(
    rds: Any,
    source_id: str,
    name: str,
    restore: dict[str, Any],
    confirm: Confirm,
    report: Report,
    waiting: Waiting,
    what: str,
) -> dict[str, Any]:
    """Restore `source_id` into a new cluster `name` with one instance like the source's writer."""
    CLUSTER.check(name, "the new cluster's name")
    INSTANCE.check(instance_name(name), f"derived from {name!r}; choose a name of at most 52 characters")
    source = describe_cluster(rds, source_id)
    if name == source_id or _cluster_exists(rds, name):
        raise OperationError(f"a cluster named {name!r} already exists; choose another name")
    writer_member, _ = members(source)
    writer = describe_instance(rds, writer_member["DBInstanceIdentifier"]) if writer_member else None
    cluster_request = _cluster_settings(source)
    instance_request = _instance_settings(writer)
    copied = _copied_summary(cluster_request, instance_request)
    protected = bool(cluster_request.get("DeletionProtection"))
    confirm(
        f"Create cluster {name} ({what} of {source_id}) and instance {instance_name(name)} "
        f"({instance_request['DBInstanceClass']})? Both are billed until deleted. Proceed?"
    )
    try:
        rds.restore_db_cluster_to_point_in_time(
            SourceDBClusterIdentifier=source_id, DBClusterIdentifier=name, **cluster_request, **restore
        )
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterAlreadyExistsFault":
            raise OperationError(f"a cluster named {name!r} already exists; choose another name") from error
        raise
    report(f"{what} {name} of {source_id} started")
    try:
        rds.create_db_instance(
            DBInstanceIdentifier=instance_name(name),
            DBClusterIdentifier=name,
            Engine=source["Engine"],
            PubliclyAccessible=False,
            **instance_request,
        )
    except AWS_FAILURES as error:
        _clean_up_after(rds, name, protected, error, report)
    seconds = _wait_until_available(rds, name, protected, waiting, report)
    created = describe_cluster(rds, name)
    return {
        "cluster": name,
        "instance": instance_name(name),
        "source": source_id,
        "endpoint": created.get("Endpoint"),
        "seconds": round(seconds, 1),
        "copied": copied,
    }


def _clean_up_after(rds: Any, name: str, protected: bool, error: Exception, report: Report) -> None:
    """The instance could not be created: delete the instance-less cluster this command made."""
    report(f"creating {instance_name(name)} failed ({one_line(error)}); deleting cluster {name}, which this command created")
    try:
        _delete_cluster(rds, name, protected)
    except AWS_FAILURES as cleanup_error:
        raise OperationError(
            f"creating instance {instance_name(name)} failed ({one_line(error)}) and deleting cluster {name} failed too "
            f"({one_line(cleanup_error)}); remove it with: {removal_commands(name, False, protected)}"
        ) from error
    raise OperationError(
        f"creating instance {instance_name(name)} failed ({one_line(error)}); cluster {name} was deleted, nothing is left"
    ) from error


def _wait_until_available(rds: Any, name: str, protected: bool, waiting: Waiting, report: Report) -> float:
    def available() -> str | None:
        cluster_state = describe_cluster(rds, name).get("Status")
        instance_state = describe_instance(rds, instance_name(name)).get("DBInstanceStatus")
        if (cluster_state, instance_state) == ("available", "available"):
            return None
        return f"cluster {cluster_state}, instance {instance_state}"

    try:
        return waiting.until(available, f"{name} to be available", report)
    except (OperationError, KeyboardInterrupt, *AWS_FAILURES) as error:
        if isinstance(error, KeyboardInterrupt):
            reason = "interrupted"
        else:
            reason = str(error) if isinstance(error, OperationError) else one_line(error)
        raise OperationError(
            f"{reason}; cluster {name} and instance {instance_name(name)} were created and are left as they are; "
            f"remove them with: {removal_commands(name, True, protected)}"
        ) from error


def _cluster_exists(rds: Any, name: str) -> bool:
    try:
        describe_cluster(rds, name)
    except OperationError:
        return False
    return True


def clone(rds: Any, source_id: str, name: str, confirm: Confirm, report: Report, waiting: Waiting) -> dict[str, Any]:
    """Copy-on-write clone: fast, and storage is shared until either side writes."""
    return new_cluster_from(
        rds, source_id, name, {"RestoreType": "copy-on-write", "UseLatestRestorableTime": True}, confirm, report, waiting, "clone"
    )


def restore_to_time(
    rds: Any, source_id: str, name: str, to: datetime | None, confirm: Confirm, report: Report, waiting: Waiting
) -> dict[str, Any]:
    """Point-in-time restore into a new cluster; `to=None` means the latest restorable time."""
    if to is None:
        return new_cluster_from(
            rds,
            source_id,
            name,
            {"RestoreType": "full-copy", "UseLatestRestorableTime": True},
            confirm,
            report,
            waiting,
            "restore",
        )
    CLUSTER.check(name, "the new cluster's name")
    latest = describe_cluster(rds, source_id).get("LatestRestorableTime")
    if latest is not None and to > latest:
        raise OperationError(
            f"{to.isoformat()} is after the latest restorable time of {source_id!r} ({latest.isoformat()}); "
            "it trails now by about 5 minutes: use --latest or an earlier time"
        )
    return new_cluster_from(
        rds, source_id, name, {"RestoreType": "full-copy", "RestoreToTime": to}, confirm, report, waiting, "restore"
    )
