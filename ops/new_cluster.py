"""`clone` and `restore`: a new cluster from an existing one, as safe as its source.

RestoreDBClusterToPointInTime gives the new cluster the engine's DEFAULT cluster parameter group
and no log exports or IAM authentication unless they are passed (aws-facts: "Found in review"), so
a clone of a TLS-required cluster would accept plaintext. Everything that makes the source safe is
copied explicitly and reported. Every derived identifier is checked before the first call.

A re-run of the same request finishes what an earlier run started: the new cluster carries a tag
that names the request (no field of a restored cluster names its source), so a cluster of that name
made by another request is refused, and this request's cluster gets its missing instance and is
waited for. When the instance cannot be created, the cluster is deleted; when even that fails, it
is left as protected as its source, and the message says what is left and what a re-run does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from awscalls.errors import AWS_FAILURES, OperationError, error_code, one_line
from awsfacts.identifiers import instance_identifier

from .cluster_ops import Report, Waiting, before_any_change, describe_cluster, describe_instance, members, reason
from .identifiers import CLUSTER, INSTANCE

# The tag that names the request a cluster was made by ("clone of aurora-prod"): how a re-run tells
# the cluster it started from another of the same name.
ORIGIN_TAG = "ops:origin"


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
        # Tags with the reserved `aws:` prefix are AWS's own and cannot be set; the source's origin
        # (when ops made it too) is not the new cluster's.
        "Tags": [tag for tag in source.get("TagList", []) if not tag["Key"].startswith("aws:") and tag["Key"] != ORIGIN_TAG]
        or None,
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
    point: str = "",
) -> dict[str, Any]:
    """Restore `source_id` into a new cluster `name` with one instance like the source's writer;
    `what` (clone, restore) and `point` (" to <time>") name the request in the cluster's origin tag."""
    origin = f"{what} of {source_id}{point}"
    CLUSTER.check(name, "the new cluster's name")
    INSTANCE.check(instance_name(name), f"derived from {name!r}; choose a name of at most 52 characters")
    with before_any_change():
        source = waiting.retried(lambda: describe_cluster(rds, source_id), f"reading cluster {source_id}", report)
        if name == source_id:
            raise OperationError(f"a cluster named {name!r} already exists; choose another name")
        started = _our_cluster(rds, name, origin, waiting, report)
        instance = _our_instance(rds, name, waiting, report) if started else None
        writer_member, _ = members(source)
        writer = (
            waiting.retried(lambda: describe_instance(rds, writer_member["DBInstanceIdentifier"]), "reading the writer", report)
            if writer_member
            else None
        )
    cluster_request = _cluster_settings(source)
    instance_request = _instance_settings(writer)
    copied = _copied_summary(cluster_request, instance_request)
    protected = bool(cluster_request.get("DeletionProtection"))
    if started is None:
        confirm(
            f"Create cluster {name} ({what} of {source_id}) and instance {instance_name(name)} "
            f"({instance_request['DBInstanceClass']})? Both are billed until deleted. Proceed?"
        )
        _restore(rds, source_id, name, {**cluster_request, **restore}, origin, report, waiting)
        report(f"{what} {name} of {source_id} started")
    else:
        report(f"cluster {name} ({origin}) was started by an earlier run ({started.get('Status')}): finishing it")
    if instance is None:
        if started is not None:
            confirm(
                f"Create instance {instance_name(name)} ({instance_request['DBInstanceClass']}) in cluster {name}, "
                "left by an earlier run? It is billed until deleted. Proceed?"
            )
        _create_instance(rds, name, source["Engine"], instance_request, protected, report, waiting)
    seconds, created = _wait_until_available(rds, name, protected, waiting, report)
    return {
        "cluster": name,
        "instance": instance_name(name),
        "source": source_id,
        "endpoint": created.get("Endpoint"),
        "seconds": round(seconds, 1),
        "copied": copied,
    }


def _restore(rds: Any, source_id: str, name: str, request: dict[str, Any], origin: str, report: Report, waiting: Waiting) -> None:
    tags = [*request.pop("Tags", []), {"Key": ORIGIN_TAG, "Value": origin}]
    try:
        waiting.act_once(
            lambda: rds.restore_db_cluster_to_point_in_time(
                SourceDBClusterIdentifier=source_id, DBClusterIdentifier=name, Tags=tags, **request
            )["DBCluster"],
            lambda: _our_cluster(rds, name, origin, waiting, report),
            f"creating cluster {name}",
            report,
        )
    except AWS_FAILURES as error:
        raise OperationError(
            f"creating cluster {name} failed ({one_line(error)}); nothing was created: a re-run starts again"
        ) from error


def _create_instance(
    rds: Any, name: str, engine: str, request: dict[str, Any], protected: bool, report: Report, waiting: Waiting
) -> None:
    try:
        waiting.act_once(
            lambda: rds.create_db_instance(
                DBInstanceIdentifier=instance_name(name),
                DBClusterIdentifier=name,
                Engine=engine,
                PubliclyAccessible=False,
                **request,
            )["DBInstance"],
            lambda: _our_instance(rds, name, waiting, report),
            f"creating instance {instance_name(name)}",
            report,
        )
    except AWS_FAILURES as error:
        _clean_up_after(rds, name, protected, error, report, waiting)


def _our_cluster(rds: Any, name: str, origin: str, waiting: Waiting, report: Report) -> dict[str, Any] | None:
    """Cluster `name` when this request made it; None when there is none; refused when another did."""
    try:
        cluster = waiting.retried(
            lambda: rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0], f"looking for cluster {name}", report
        )
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterNotFoundFault":
            return None
        raise
    made_by = next((tag["Value"] for tag in cluster.get("TagList", []) if tag["Key"] == ORIGIN_TAG), None)
    if made_by != origin:
        made = f" ({made_by})" if made_by else ""
        raise OperationError(f"a cluster named {name!r} already exists{made} and is not a {origin}; choose another name")
    if cluster.get("Status") == "deleting":
        raise OperationError(f"cluster {name} ({origin}) is being deleted; run the command again once it is gone")
    return cluster


def _our_instance(rds: Any, name: str, waiting: Waiting, report: Report) -> dict[str, Any] | None:
    """The new cluster's instance; None when there is none; refused when it belongs to another cluster."""
    try:
        instance = waiting.retried(
            lambda: describe_instance(rds, instance_name(name)), f"looking for instance {instance_name(name)}", report
        )
    except AWS_FAILURES as error:
        if error_code(error) == "DBInstanceNotFound":
            return None
        raise
    if instance.get("DBClusterIdentifier") != name:
        raise OperationError(
            f"instance {instance_name(name)} already exists in cluster {instance.get('DBClusterIdentifier')!r}, "
            f"not {name!r}; choose another name for the new cluster"
        )
    return instance


def _clean_up_after(rds: Any, name: str, protected: bool, error: Exception, report: Report, waiting: Waiting) -> None:
    """The instance could not be created: delete the instance-less cluster this request made. When
    the deletion fails, the cluster gets its deletion protection back and is left for a re-run."""
    failure = f"creating instance {instance_name(name)} failed ({one_line(error)})"
    report(f"{failure}; deleting cluster {name}, which this command created")
    try:
        if protected:
            rds.modify_db_cluster(DBClusterIdentifier=name, DeletionProtection=False, ApplyImmediately=True)
        rds.delete_db_cluster(DBClusterIdentifier=name, SkipFinalSnapshot=True)
    except AWS_FAILURES as cleanup_error:
        if not _still_there(rds, name, waiting, report):
            raise OperationError(
                f"{failure}; cluster {name} is being deleted, nothing else is left: a re-run starts again once it is gone"
            ) from error
        left = f"{failure} and deleting cluster {name} failed too ({one_line(cleanup_error)})"
        protection = _protect_again(rds, name, waiting, report) if protected else ""
        instance = _our_instance(rds, name, waiting, report) is not None
        raise OperationError(
            f"{left}; cluster {name}{' and its instance are' if instance else ' is'} left{protection}: "
            f"a re-run of the same command finishes it; remove it with: {removal_commands(name, instance, protected)}"
        ) from error
    raise OperationError(f"{failure}; cluster {name} was deleted, nothing is left: a re-run starts again") from error


def _still_there(rds: Any, name: str, waiting: Waiting, report: Report) -> bool:
    """False when the cluster is gone or going (a deletion whose answer was lost took effect)."""
    try:
        cluster = waiting.retried(lambda: describe_cluster(rds, name), f"looking for cluster {name}", report)
    except OperationError:
        return False
    return cluster.get("Status") != "deleting"


def _protect_again(rds: Any, name: str, waiting: Waiting, report: Report) -> str:
    """Deletion protection back on (the source has it); what the message says about it."""
    try:
        waiting.retried(
            lambda: rds.modify_db_cluster(DBClusterIdentifier=name, DeletionProtection=True, ApplyImmediately=True),
            f"protecting cluster {name} again",
            report,
        )
    except AWS_FAILURES as error:
        return f" with deletion protection OFF (switching it back on failed: {one_line(error)})"
    return " with deletion protection on, as its source has"


def _wait_until_available(rds: Any, name: str, protected: bool, waiting: Waiting, report: Report) -> tuple[float, dict[str, Any]]:
    """Seconds until the cluster and its instance are available, and the cluster then."""
    seen: dict[str, Any] = {}

    def available() -> str | None:
        seen.update(describe_cluster(rds, name))
        instance_state = describe_instance(rds, instance_name(name)).get("DBInstanceStatus")
        if (seen.get("Status"), instance_state) == ("available", "available"):
            return None
        return f"cluster {seen.get('Status')}, instance {instance_state}"

    try:
        return waiting.until(available, f"{name} to be available", report), seen
    except (OperationError, KeyboardInterrupt, *AWS_FAILURES) as error:
        raise OperationError(
            f"{reason(error)}; cluster {name} and instance {instance_name(name)} were created and are left as they are: "
            f"a re-run of the same command waits for them; remove them with: {removal_commands(name, True, protected)}"
        ) from error


def clone(rds: Any, source_id: str, name: str, confirm: Confirm, report: Report, waiting: Waiting) -> dict[str, Any]:
    """Copy-on-write clone: fast, and storage is shared until either side writes."""
    return new_cluster_from(
        rds,
        source_id,
        name,
        {"RestoreType": "copy-on-write", "UseLatestRestorableTime": True},
        confirm,
        report,
        waiting,
        "clone",
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
            " at its latest restorable time",
        )
    CLUSTER.check(name, "the new cluster's name")
    with before_any_change():
        source = waiting.retried(lambda: describe_cluster(rds, source_id), f"reading cluster {source_id}", report)
    latest = source.get("LatestRestorableTime")
    if latest is not None and to > latest:
        raise OperationError(
            f"{to.isoformat()} is after the latest restorable time of {source_id!r} ({latest.isoformat()}); "
            "it trails now by about 5 minutes: use --latest or an earlier time"
        )
    return new_cluster_from(
        rds,
        source_id,
        name,
        {"RestoreType": "full-copy", "RestoreToTime": to},
        confirm,
        report,
        waiting,
        "restore",
        f" to {to.isoformat()}",
    )
