"""Operations on one Aurora cluster through the RDS API: the shared reads, backtrack and snapshots
(the workshop's operations chapter). Status, failover, clones and restores have their own modules.

Functions take a boto3 RDS client and callables for progress, clock and sleep, so they run the
same against AWS, moto and a Stubber. Waiting is always bounded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from awscalls.errors import AWS_FAILURES, OperationError, error_code, one_line

from .identifiers import CLUSTER_SNAPSHOT, fit

Report = Callable[[str], None]
# The instance class of Aurora Serverless v2: the serverless shape's writer, and what pauses.
SERVERLESS_CLASS = "db.serverless"


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
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterNotFoundFault":
            raise OperationError(
                f"cluster {cluster_id!r} not found in this account in region {rds.meta.region_name}: check --cluster and --region"
            ) from error
        raise


def describe_instance(rds: Any, instance_id: str) -> dict[str, Any]:
    return rds.describe_db_instances(DBInstanceIdentifier=instance_id)["DBInstances"][0]


def members(cluster: dict[str, Any]) -> tuple[dict | None, list[dict]]:
    """The writer member and the reader members of a described cluster."""
    writer = next((m for m in cluster.get("DBClusterMembers", []) if m.get("IsClusterWriter")), None)
    readers = [m for m in cluster.get("DBClusterMembers", []) if not m.get("IsClusterWriter")]
    return writer, readers


def iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def backtrack(
    rds: Any,
    cluster_id: str,
    to: datetime,
    confirm: Callable[[str], None],
    report: Report,
    waiting: Waiting,
    now: datetime,
    minutes_ago: float | None = None,
) -> dict[str, Any]:
    """Rewind the cluster in place to `to`, which must lie inside the backtrack window (`minutes_ago`
    when the time was asked as minutes before now).

    A backtrack of the same request in the last RECENT_BACKTRACK_MINUTES (an earlier run's, its answer
    lost) is followed, or reported done, rather than started again: a second one would interrupt
    connections again and, asked as minutes ago, rewind to a later time than the first."""
    if to > now:
        raise OperationError(f"{to.isoformat()} is in the future (now is {now.isoformat()}): backtrack only goes back")
    cluster = describe_cluster(rds, cluster_id)
    if not cluster.get("BacktrackWindow"):
        raise OperationError(f"cluster {cluster_id!r} has backtrack off; it can only be switched on at create or restore")
    earliest = cluster.get("EarliestBacktrackTime")
    if earliest is None or to < earliest:
        hours = f"backtrack window {cluster['BacktrackWindow'] / 3600:g} hours"
        window = (
            f"earliest backtrack time {iso(earliest)}, now {now.isoformat()}"
            if earliest
            else "the cluster reports no earliest backtrack time yet"
        )
        raise OperationError(f"{to.isoformat()} is outside the backtrack window of {cluster_id!r} ({hours}; {window})")
    request = BacktrackRequest(to, minutes_ago, now)
    earlier = request.earlier(rds, cluster_id)
    if earlier is not None:
        backtrack_id = earlier["BacktrackIdentifier"]
        report(
            f"backtrack {backtrack_id} of {cluster_id} to {iso(earlier['BacktrackTo'])} was asked "
            f"at {iso(earlier.get('BacktrackRequestCreationTime'))} ({earlier['Status']}): taken as this command's, not started again"
        )
    else:
        confirm(
            f"Backtrack {cluster_id} to {to.isoformat()}? Every change after that moment is undone, and connections are interrupted."
        )
        backtrack_id = _start_backtrack(rds, cluster_id, request)
        report(f"backtrack {backtrack_id} of {cluster_id} started")

    ended: list[str] = []

    def completed() -> str | None:
        state = rds.describe_db_cluster_backtracks(DBClusterIdentifier=cluster_id, BacktrackIdentifier=backtrack_id)[
            "DBClusterBacktracks"
        ][0]["Status"]
        if state.upper() in ("COMPLETED", "FAILED"):
            ended.append(state.upper())
            return None
        return state

    try:
        seconds = waiting.until(completed, "the backtrack", report)
    except (OperationError, *AWS_FAILURES) as error:
        reason = str(error) if isinstance(error, OperationError) else one_line(error)
        raise OperationError(f"{reason}; backtrack {backtrack_id} of {cluster_id} was started: {BACKTRACK_RERUN}") from error
    if ended == ["FAILED"]:
        raise OperationError(f"backtrack {backtrack_id} of {cluster_id!r} failed; see the cluster's events")
    return {"cluster": cluster_id, "backtrackedTo": to.isoformat(), "backtrack": backtrack_id, "seconds": round(seconds, 1)}


# A backtrack this recent, of the same request, is taken as an earlier run's whose answer was lost.
RECENT_BACKTRACK_MINUTES = 15
# How far AWS's BacktrackRequestCreationTime may lie from the `now` a --minutes-ago was counted from.
REQUEST_SLACK = timedelta(minutes=1)
BACKTRACK_RERUN = (
    f"run the same command again, it follows a backtrack of the same request from the last {RECENT_BACKTRACK_MINUTES} "
    "minutes and does not start another"
)


@dataclass(frozen=True)
class BacktrackRequest:
    """What the user asked: a time, or minutes before `now`; which earlier backtrack is the same request."""

    to: datetime
    minutes_ago: float | None
    now: datetime

    def asks_for(self, found: dict[str, Any]) -> bool:
        """Whether a backtrack of the last RECENT_BACKTRACK_MINUTES asked what this request asks."""
        requested = found.get("BacktrackRequestCreationTime")
        if requested is None or requested < self.now - timedelta(minutes=RECENT_BACKTRACK_MINUTES):
            return False
        if self.minutes_ago is None:
            return found.get("BacktrackTo") == self.to
        return abs(requested - found["BacktrackTo"] - timedelta(minutes=self.minutes_ago)) <= REQUEST_SLACK

    def earlier(self, rds: Any, cluster_id: str) -> dict[str, Any] | None:
        """The cluster's recent backtrack of this request that did not fail; refuses while another runs."""
        request: dict[str, Any] = {"DBClusterIdentifier": cluster_id}
        while True:
            page = rds.describe_db_cluster_backtracks(**request)
            for found in page.get("DBClusterBacktracks", []):
                state = str(found.get("Status", "")).upper()
                if state == "FAILED":
                    continue
                if self.asks_for(found):
                    return found
                if state != "COMPLETED":
                    raise OperationError(
                        f"backtrack {found.get('BacktrackIdentifier')} of {cluster_id} to {iso(found.get('BacktrackTo'))} "
                        f"is {found.get('Status')}: wait until it ends, then run the command again"
                    )
            if not page.get("Marker"):
                return None
            request["Marker"] = page["Marker"]


def _start_backtrack(rds: Any, cluster_id: str, request: BacktrackRequest) -> str:
    """BacktrackDBCluster. A cluster that is backtracking refuses another (InvalidDBClusterStateFault):
    after botocore's retry of our own call, that refusal means ours is under way."""
    try:
        return str(rds.backtrack_db_cluster(DBClusterIdentifier=cluster_id, BacktrackTo=request.to)["BacktrackIdentifier"])
    except AWS_FAILURES as error:
        if error_code(error) == "InvalidDBClusterStateFault":
            ours = request.earlier(rds, cluster_id)
            if ours is not None:
                return str(ours["BacktrackIdentifier"])
        raise OperationError(f"{one_line(error)}; a backtrack of {cluster_id} may have started: {BACKTRACK_RERUN}") from error


def snapshot(
    rds: Any,
    cluster_id: str,
    name: str | None,
    confirm: Callable[[str], None],
    report: Report,
    waiting: Waiting,
    now: datetime,
) -> dict[str, Any]:
    """A manual cluster snapshot (kept until deleted)."""
    if name is None:
        name = fit(cluster_id, f"-{now.strftime('%Y%m%d-%H%M%S')}", CLUSTER_SNAPSHOT)
    else:
        CLUSTER_SNAPSHOT.check(name, "the snapshot name")
    describe_cluster(rds, cluster_id)
    confirm(f"Take manual snapshot {name} of {cluster_id}? It is kept, and billed, until deleted. Proceed?")
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
