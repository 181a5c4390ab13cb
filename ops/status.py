"""`status`: what a user needs to see before touching the cluster, read with whatever rights the
caller has. Only the cluster itself must be readable; any other read that is refused (an IAM user
without `rds:DescribePendingMaintenanceActions`, a region without an API) is named under
`couldNotRead` and the rest is still shown.

Pending maintenance follows the workshop's distinction: `required` actions have a date after which
AWS applies them (they can be deferred until then), `available` ones can be deferred indefinitely.
Actions are read for the cluster and for each instance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from awscalls.errors import AWS_FAILURES, error_code, one_line

from .cluster_ops import describe_cluster, describe_instance, iso, members

T = TypeVar("T")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def next_window_start(window: str | None, now: datetime) -> datetime | None:
    """Start of the next weekly maintenance window `ddd:hh:mm-ddd:hh:mm` (UTC) at or after `now`;
    the current one's start while it is open."""
    if not window:
        return None
    start_text, end_text = window.lower().split("-")

    def weekly(text: str) -> timedelta:
        day, hour, minute = text.split(":")
        return timedelta(days=DAYS.index(day), hours=int(hour), minutes=int(minute))

    start, end = weekly(start_text), weekly(end_text)
    length = (end - start) % timedelta(days=7)
    week_start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    candidate = week_start + start
    while candidate + length <= now:
        candidate += timedelta(days=7)
    return candidate - timedelta(days=7) if candidate - timedelta(days=7) + length > now else candidate


class NotRead(str):
    """What a refused read shows in place of its value, such as `not read: AccessDenied`: never a
    value that would pass for an answer (none, empty)."""


class Reader:
    """Runs optional reads; a refused one is recorded and yields NotRead instead of failing."""

    def __init__(self) -> None:
        self.unreadable: list[dict[str, str]] = []

    def read(self, what: str, call: Callable[[], T]) -> T | NotRead:
        try:
            return call()
        except AWS_FAILURES as error:
            self.unreadable.append({"what": what, "reason": one_line(error)})
            return NotRead(f"not read: {error_code(error) or one_line(error)}")


def status(rds: Any, cluster_id: str, now: datetime) -> dict[str, Any]:
    cluster = describe_cluster(rds, cluster_id)
    reader = Reader()
    writer, readers = members(cluster)
    member_list = ([writer] if writer else []) + readers
    described: dict[str, dict[str, Any] | NotRead] = {}
    for member in member_list:
        instance_id = member["DBInstanceIdentifier"]
        described[instance_id] = reader.read(
            f"instance {instance_id} (rds:DescribeDBInstances)", partial(describe_instance, rds, instance_id)
        )
    instances = [
        {
            "role": "writer" if member is writer else "reader",
            "instance": member["DBInstanceIdentifier"],
            "class": _field(described[member["DBInstanceIdentifier"]], "DBInstanceClass"),
            "zone": _field(described[member["DBInstanceIdentifier"]], "AvailabilityZone"),
            "tier": member.get("PromotionTier"),
            "status": _field(described[member["DBInstanceIdentifier"]], "DBInstanceStatus"),
        }
        for member in member_list
    ]
    windows = {cluster["DBClusterArn"]: cluster.get("PreferredMaintenanceWindow")}
    names = {cluster["DBClusterArn"]: cluster_id}
    for instance_id, instance in described.items():
        if isinstance(instance, dict) and instance.get("DBInstanceArn"):
            windows[instance["DBInstanceArn"]] = instance.get("PreferredMaintenanceWindow")
            names[instance["DBInstanceArn"]] = instance_id
    reads = {
        cluster_id: reader.read(
            "pending maintenance of the cluster (rds:DescribePendingMaintenanceActions)",
            partial(_pending, rds, "db-cluster-id", [cluster["DBClusterArn"]]),
        )
    }
    if described:
        reads["its instances"] = reader.read(
            "pending maintenance of the instances (rds:DescribePendingMaintenanceActions)",
            partial(_pending, rds, "db-instance-id", list(described)),
        )
    refused = {resource: read for resource, read in reads.items() if isinstance(read, NotRead)}
    pending = [pair for read in reads.values() if not isinstance(read, NotRead) for pair in read]
    scaling = cluster.get("ServerlessV2ScalingConfiguration")
    return {
        "cluster": cluster_id,
        "status": cluster.get("Status"),
        "engineVersion": cluster.get("EngineVersion"),
        "instances": instances,
        "serverlessCapacity": f"{scaling['MinCapacity']:g}-{scaling['MaxCapacity']:g} ACU" if scaling else None,
        "backtrackWindowHours": (cluster.get("BacktrackWindow") or 0) / 3600,
        "earliestBacktrackTime": iso(cluster.get("EarliestBacktrackTime")),
        "latestRestorableTime": iso(cluster.get("LatestRestorableTime")),
        "maintenanceWindow": cluster.get("PreferredMaintenanceWindow"),
        "nextMaintenanceWindow": iso(next_window_start(cluster.get("PreferredMaintenanceWindow"), now)),
        # All refused: the reason in place of the list; some refused: a row saying whose was not read.
        "pendingMaintenance": next(iter(refused.values()))
        if len(refused) == len(reads)
        else [_pending_view(item, detail, names, windows, now) for item, detail in pending]
        + [{"resource": resource, "action": read} for resource, read in refused.items()],
        "couldNotRead": reader.unreadable,
    }


def _field(instance: dict[str, Any] | NotRead, key: str) -> Any:
    return instance if isinstance(instance, NotRead) else instance.get(key)


def _pending(rds: Any, filter_name: str, values: list[str]) -> list[tuple[dict, dict]]:
    items = rds.describe_pending_maintenance_actions(Filters=[{"Name": filter_name, "Values": values}]).get(
        "PendingMaintenanceActions", []
    )
    return [(item, detail) for item in items for detail in item.get("PendingMaintenanceActionDetails", [])]


def _pending_view(
    item: dict[str, Any], detail: dict[str, Any], names: dict[str, str], windows: dict[str, str | None], now: datetime
) -> dict[str, Any]:
    resource = item.get("ResourceIdentifier", "")
    deadline = detail.get("AutoAppliedAfterDate") or detail.get("ForcedApplyDate")
    applies = detail.get("CurrentApplyDate") or next_window_start(windows.get(resource), now)
    return {
        "resource": names.get(resource, resource.rsplit(":", 1)[-1]),
        "action": detail.get("Action"),
        "kind": "required" if deadline else "available",
        "deferrableUntil": iso(deadline) if deadline else "indefinitely",
        "nextWindow": iso(applies),
        "description": detail.get("Description"),
    }
