"""Operations on one Aurora cluster through the RDS API: status, failover, backtrack, clone,
point-in-time restore and snapshots (the workshop's availability and operations chapters).

Functions take a boto3 RDS client and callables for progress, clock and sleep, so they run the
same against AWS, moto and a Stubber. Waiting is always bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from .data_api import error_code
from .errors import OperationError

Report = Callable[[str], None]


@dataclass
class Waiting:
    """How long and how often to poll, and the clock to do it with (replaced in tests)."""

    timeout_seconds: float = 1800
    interval_seconds: float = 10
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def until(self, done: Callable[[], str | None], what: str, report: Report) -> float:
        """Poll `done` (which returns a progress note, or None when finished); seconds waited."""
        start = self.clock()
        while True:
            note = done()
            elapsed = self.clock() - start
            if note is None:
                return elapsed
            if elapsed >= self.timeout_seconds:
                raise OperationError(
                    f"gave up waiting for {what} after {elapsed:.0f}s (last state: {note}); it may still finish in AWS"
                )
            report(f"waiting for {what}: {note} ({elapsed:.0f}s)")
            self.sleep(self.interval_seconds)


def describe_cluster(rds: Any, cluster_id: str) -> dict[str, Any]:
    try:
        return rds.describe_db_clusters(DBClusterIdentifier=cluster_id)["DBClusters"][0]
    except ClientError as error:
        if error_code(error) == "DBClusterNotFoundFault":
            raise OperationError(f"cluster {cluster_id!r} not found in this account and region") from error
        raise


def _cluster_exists(rds: Any, cluster_id: str) -> bool:
    try:
        describe_cluster(rds, cluster_id)
    except OperationError:
        return False
    return True


def members(cluster: dict[str, Any]) -> tuple[dict | None, list[dict]]:
    """The writer member and the reader members of a described cluster."""
    writer = next((m for m in cluster.get("DBClusterMembers", []) if m.get("IsClusterWriter")), None)
    readers = [m for m in cluster.get("DBClusterMembers", []) if not m.get("IsClusterWriter")]
    return writer, readers


def _instance(rds: Any, instance_id: str) -> dict[str, Any]:
    return rds.describe_db_instances(DBInstanceIdentifier=instance_id)["DBInstances"][0]


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def status(rds: Any, cluster_id: str) -> dict[str, Any]:
    cluster = describe_cluster(rds, cluster_id)
    writer, readers = members(cluster)

    def member_view(member: dict) -> dict:
        instance = _instance(rds, member["DBInstanceIdentifier"])
        return {
            "instance": member["DBInstanceIdentifier"],
            "class": instance.get("DBInstanceClass"),
            "availabilityZone": instance.get("AvailabilityZone"),
            "promotionTier": member.get("PromotionTier"),
            "status": instance.get("DBInstanceStatus"),
        }

    scaling = cluster.get("ServerlessV2ScalingConfiguration")
    pending = rds.describe_pending_maintenance_actions(
        Filters=[{"Name": "db-cluster-id", "Values": [cluster["DBClusterArn"]]}]
    ).get("PendingMaintenanceActions", [])
    return {
        "cluster": cluster_id,
        "status": cluster.get("Status"),
        "engineVersion": cluster.get("EngineVersion"),
        "writer": member_view(writer) if writer else None,
        "readers": [member_view(reader) for reader in readers],
        "serverless": scaling,
        "backtrackWindowHours": (cluster.get("BacktrackWindow") or 0) / 3600,
        "earliestBacktrackTime": _iso(cluster.get("EarliestBacktrackTime")),
        "latestRestorableTime": _iso(cluster.get("LatestRestorableTime")),
        "maintenanceWindow": cluster.get("PreferredMaintenanceWindow"),
        "pendingMaintenance": [
            {
                "action": detail.get("Action"),
                "description": detail.get("Description"),
                "required": bool(detail.get("ForcedApplyDate") or detail.get("AutoAppliedAfterDate")),
                "autoAppliedAfter": _iso(detail.get("AutoAppliedAfterDate")),
                "forcedApplyDate": _iso(detail.get("ForcedApplyDate")),
                "resource": item.get("ResourceIdentifier"),
            }
            for item in pending
            for detail in item.get("PendingMaintenanceActionDetails", [])
        ],
    }


def failover(
    rds: Any, cluster_id: str, target: str | None, confirm: Callable[[str], None], report: Report, waiting: Waiting
) -> dict[str, Any]:
    """Promote a reader; report how long until the new writer was available."""
    cluster = describe_cluster(rds, cluster_id)
    writer, readers = members(cluster)
    if not readers:
        raise OperationError(f"cluster {cluster_id!r} has no reader to fail over to; add one (aurora:provisioned.readers)")
    reader_ids = [r["DBInstanceIdentifier"] for r in readers]
    if target is not None and target not in reader_ids:
        raise OperationError(f"--target {target!r} is not a reader of {cluster_id!r}: readers are {', '.join(reader_ids)}")
    expected = (
        target or min(readers, key=lambda r: (r.get("PromotionTier", 15), r["DBInstanceIdentifier"]))["DBInstanceIdentifier"]
    )
    current = writer["DBInstanceIdentifier"] if writer else "none"
    confirm(f"Fail over {cluster_id}: writer {current} becomes a reader, {expected} becomes the writer. Proceed?")
    request = {"DBClusterIdentifier": cluster_id}
    if target:
        request["TargetDBInstanceIdentifier"] = target
    rds.failover_db_cluster(**request)
    report(f"failover of {cluster_id} started")

    def new_writer_available() -> str | None:
        described = describe_cluster(rds, cluster_id)
        new_writer, _ = members(described)
        if new_writer and new_writer["DBInstanceIdentifier"] != current and described.get("Status") == "available":
            return None
        return f"cluster {described.get('Status')}, writer {new_writer['DBInstanceIdentifier'] if new_writer else 'none'}"

    seconds = waiting.until(new_writer_available, "the new writer", report)
    final_writer, _ = members(describe_cluster(rds, cluster_id))
    return {
        "cluster": cluster_id,
        "previousWriter": current,
        "writer": final_writer["DBInstanceIdentifier"] if final_writer else None,
        "secondsUntilAvailable": round(seconds, 1),
    }


def backtrack(
    rds: Any, cluster_id: str, to: datetime, confirm: Callable[[str], None], report: Report, waiting: Waiting, now: datetime
) -> dict[str, Any]:
    """Rewind the cluster in place to `to`, which must lie inside the backtrack window."""
    cluster = describe_cluster(rds, cluster_id)
    if not cluster.get("BacktrackWindow"):
        raise OperationError(f"cluster {cluster_id!r} has backtrack off; it can only be switched on at create or restore")
    earliest = cluster.get("EarliestBacktrackTime")
    if earliest is None or not earliest <= to <= now:
        window = f"{_iso(earliest)} to {now.isoformat()}" if earliest else "empty"
        raise OperationError(f"{to.isoformat()} is outside the backtrack window of {cluster_id!r} ({window})")
    confirm(
        f"Backtrack {cluster_id} to {to.isoformat()}? Every change after that moment is undone, and connections are interrupted."
    )
    response = rds.backtrack_db_cluster(DBClusterIdentifier=cluster_id, BacktrackTo=to)
    backtrack_id = response["BacktrackIdentifier"]
    report(f"backtrack {backtrack_id} of {cluster_id} started")

    def completed() -> str | None:
        state = rds.describe_db_cluster_backtracks(DBClusterIdentifier=cluster_id, BacktrackIdentifier=backtrack_id)[
            "DBClusterBacktracks"
        ][0]["Status"]
        if state.upper() == "COMPLETED":
            return None
        if state.upper() == "FAILED":
            raise OperationError(f"backtrack {backtrack_id} of {cluster_id!r} failed; see the cluster's events")
        return state

    seconds = waiting.until(completed, "the backtrack", report)
    return {"cluster": cluster_id, "backtrackedTo": to.isoformat(), "backtrack": backtrack_id, "seconds": round(seconds, 1)}


def _new_cluster_from(
    rds: Any, source_id: str, name: str, restore: dict[str, Any], report: Report, waiting: Waiting, what: str
) -> dict[str, Any]:
    """Restore `source_id` into a new cluster `name` with one instance like the source's writer."""
    source = describe_cluster(rds, source_id)
    if _cluster_exists(rds, name):
        raise OperationError(f"a cluster named {name!r} already exists; choose another name")
    writer, _ = members(source)
    instance_class = _instance(rds, writer["DBInstanceIdentifier"])["DBInstanceClass"] if writer else "db.serverless"
    request = {
        "SourceDBClusterIdentifier": source_id,
        "DBClusterIdentifier": name,
        "DBSubnetGroupName": source.get("DBSubnetGroup"),
        "VpcSecurityGroupIds": [g["VpcSecurityGroupId"] for g in source.get("VpcSecurityGroups", [])],
        "DeletionProtection": False,
        "CopyTagsToSnapshot": True,
        **restore,
    }
    if source.get("ServerlessV2ScalingConfiguration"):
        request["ServerlessV2ScalingConfiguration"] = source["ServerlessV2ScalingConfiguration"]
    try:
        rds.restore_db_cluster_to_point_in_time(**{k: v for k, v in request.items() if v is not None})
    except ClientError as error:
        if error_code(error) == "DBClusterAlreadyExistsFault":
            raise OperationError(f"a cluster named {name!r} already exists; choose another name") from error
        raise
    report(f"{what} {name} of {source_id} started")
    rds.create_db_instance(
        DBInstanceIdentifier=f"{name}-instance-1",
        DBClusterIdentifier=name,
        Engine=source["Engine"],
        DBInstanceClass=instance_class,
        PubliclyAccessible=False,
    )

    def available() -> str | None:
        cluster_state = describe_cluster(rds, name).get("Status")
        instance_state = _instance(rds, f"{name}-instance-1").get("DBInstanceStatus")
        return (
            None
            if (cluster_state, instance_state) == ("available", "available")
            else f"cluster {cluster_state}, instance {instance_state}"
        )

    seconds = waiting.until(available, f"{name} to be available", report)
    created = describe_cluster(rds, name)
    return {"cluster": name, "source": source_id, "endpoint": created.get("Endpoint"), "seconds": round(seconds, 1)}


def clone(rds: Any, source_id: str, name: str, report: Report, waiting: Waiting) -> dict[str, Any]:
    """Copy-on-write clone: fast, and storage is shared until either side writes."""
    return _new_cluster_from(
        rds, source_id, name, {"RestoreType": "copy-on-write", "UseLatestRestorableTime": True}, report, waiting, "clone"
    )


def restore_to_time(rds: Any, source_id: str, name: str, to: datetime | None, report: Report, waiting: Waiting) -> dict[str, Any]:
    """Point-in-time restore into a new cluster; `to=None` means the latest restorable time."""
    if to is None:
        restore = {"RestoreType": "full-copy", "UseLatestRestorableTime": True}
    else:
        latest = describe_cluster(rds, source_id).get("LatestRestorableTime")
        if latest is not None and to > latest:
            raise OperationError(
                f"{to.isoformat()} is after the latest restorable time of {source_id!r} ({latest.isoformat()}); "
                "it trails now by about 5 minutes: use --latest or an earlier time"
            )
        restore = {"RestoreType": "full-copy", "RestoreToTime": to}
    return _new_cluster_from(rds, source_id, name, restore, report, waiting, "restore")


def snapshot(rds: Any, cluster_id: str, name: str | None, report: Report, waiting: Waiting, now: datetime) -> dict[str, Any]:
    """A manual cluster snapshot (kept until deleted)."""
    name = name or f"{cluster_id}-{now.strftime('%Y%m%d-%H%M%S')}"
    describe_cluster(rds, cluster_id)
    rds.create_db_cluster_snapshot(DBClusterIdentifier=cluster_id, DBClusterSnapshotIdentifier=name)
    report(f"snapshot {name} of {cluster_id} started")

    def available() -> str | None:
        state = rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"][0]["Status"]
        return None if state == "available" else state

    seconds = waiting.until(available, f"snapshot {name}", report)
    arn = rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"][0]["DBClusterSnapshotArn"]
    return {"snapshot": name, "arn": arn, "cluster": cluster_id, "seconds": round(seconds, 1)}


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; a time without a zone is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise OperationError(f"{text!r} is not a time: use ISO 8601, for example 2026-11-26T14:30:00Z") from error
    return value if value.tzinfo else value.replace(tzinfo=UTC)
