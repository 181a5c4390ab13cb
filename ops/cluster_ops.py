"""Operations on one Aurora cluster through the RDS API: the shared reads, backtrack and snapshots
(the workshop's operations chapter). Status, failover, clones and restores have their own modules.

Functions take a boto3 RDS client and callables for progress, clock and sleep, so they run the
same against AWS, moto and a Stubber. Waiting is always bounded, and so is trying again: a read
that fails transiently is repeated, a create is repeated only once a look shows it did not take
effect, so a run that meets one failed call still ends where a clean run ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from awscalls.errors import AWS_FAILURES, OperationError, again_if_transient, error_code, one_line, transient

from .identifiers import CLUSTER_SNAPSHOT, fit

Report = Callable[[str], None]
Answer = TypeVar("Answer")
# The instance class of Aurora Serverless v2: the serverless shape's writer, and what pauses.
SERVERLESS_CLASS = "db.serverless"


@dataclass
class Waiting:
    """How long and how often to poll, and the clock to do it with (replaced in tests)."""

    timeout_seconds: float = 1800
    interval_seconds: float = 10
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    failures_allowed: int = 2
    """Transient failures in a row a poll, a read or a create may meet before the run gives up."""

    def until(self, done: Callable[[], str | None], what: str, report: Report) -> float:
        """Poll `done` (which returns a progress note, or None when finished); seconds waited. A poll
        that fails transiently is a poll without news, not the end of the wait."""
        start = self.clock()
        failures = 0
        while True:
            try:
                note = done()
                failures = 0
            except AWS_FAILURES as error:
                failures += 1
                if not transient(error) or failures > self.failures_allowed:
                    raise
                note = f"a poll failed ({one_line(error)})"
            elapsed = self.clock() - start
            if note is None:
                return elapsed
            if elapsed >= self.timeout_seconds:
                raise OperationError(
                    f"gave up waiting for {what} after {elapsed:.0f}s (last state: {note}); it may still finish in AWS"
                )
            report(f"waiting for {what}: {note} ({elapsed:.0f}s)")
            self.sleep(self.interval_seconds)

    def retried(self, call: Callable[[], Answer], what: str, report: Report) -> Answer:
        """`call()`, a read or a call that is safe to repeat, tried again after a transient failure."""

        def before_again(error: Exception) -> None:
            report(f"{what} failed ({one_line(error)}); trying again in {self.interval_seconds:g}s")
            self.sleep(self.interval_seconds)

        return again_if_transient(call, self.failures_allowed, before_again)

    def act_once(self, act: Callable[[], Answer], look: Callable[[], Answer | None], what: str, report: Report) -> Answer:
        """What `act()` answers, or after a failed `act()` what `look()` finds of its effect: the
        answer may have been lost, or botocore's retry may have answered "already exists". The act
        (a create, a change not safe to repeat blindly) is sent again only when the look finds no
        effect and the failure was transient."""
        failures = 0
        while True:
            try:
                return act()
            except AWS_FAILURES as error:
                found = look()
                if found is not None:
                    return found
                failures += 1
                if not transient(error) or failures > self.failures_allowed:
                    raise
                report(f"{what} failed ({one_line(error)}) and did not take effect; trying again in {self.interval_seconds:g}s")
                self.sleep(self.interval_seconds)


@contextmanager
def before_any_change() -> Iterator[None]:
    """The reads a command makes before its first change: when one fails, nothing is left behind."""
    try:
        yield
    except AWS_FAILURES as error:
        raise OperationError(f"{one_line(error)}; nothing was changed: a re-run starts again") from error


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


# The tag a snapshot taken under a default name carries until the run that took it has seen it
# available. The default name comes from the clock, so a re-run cannot derive it again; it finds
# the snapshot by this tag and finishes it instead of taking a second billed snapshot. A name bucket
# (the hour, the day) would instead hand a later, deliberate snapshot an older one's data.
UNFINISHED_TAG = "ops:unfinished"


def snapshot(
    rds: Any,
    cluster_id: str,
    name: str | None,
    confirm: Callable[[str], None],
    report: Report,
    waiting: Waiting,
    now: datetime,
) -> dict[str, Any]:
    """A manual cluster snapshot (kept until deleted). A re-run of the same request after a failure
    finishes the snapshot the first run started, found by its name or, without a name, by its tag."""
    if name is not None:
        CLUSTER_SNAPSHOT.check(name, "the snapshot name")
    with before_any_change():
        cluster = waiting.retried(lambda: describe_cluster(rds, cluster_id), f"reading cluster {cluster_id}", report)
        if name is None:
            started = _unfinished_snapshot(rds, cluster_id, waiting, report)
            stamp = f"-{now:%Y%m%d-%H%M%S}"
            chosen = started["DBClusterSnapshotIdentifier"] if started else fit(cluster_id, stamp, CLUSTER_SNAPSHOT)
            tags = [*_tags_copied_to_snapshots(cluster), {"Key": UNFINISHED_TAG, "Value": f"ops snapshot of {cluster_id}"}]
        else:
            started, chosen, tags = _snapshot_named(rds, name, cluster_id, waiting, report), name, []
    if started:
        report(f"snapshot {chosen} of {cluster_id} was started by an earlier run ({started['Status']}): finishing it")
    else:
        _start_snapshot(rds, cluster_id, chosen, tags, confirm, report, waiting)
    try:
        seconds, taken = _wait_for_snapshot(rds, chosen, waiting, report)
        if tags:
            arn = taken["DBClusterSnapshotArn"]
            waiting.act_once(
                lambda: rds.remove_tags_from_resource(ResourceName=arn, TagKeys=[UNFINISHED_TAG]),
                lambda: _finished(rds, chosen, cluster_id, waiting, report),
                f"removing tag {UNFINISHED_TAG} from snapshot {chosen}",
                report,
            )
    except (OperationError, KeyboardInterrupt, *AWS_FAILURES) as error:
        raise OperationError(
            f"{reason(error)}; snapshot {chosen} of {cluster_id} was started and is left as it is: "
            "a re-run of the same command waits for it"
        ) from error
    return {"snapshot": chosen, "arn": taken["DBClusterSnapshotArn"], "cluster": cluster_id, "seconds": round(seconds, 1)}


def reason(error: Exception | KeyboardInterrupt) -> str:
    """Why a run stopped, for the start of its one-line message."""
    if isinstance(error, KeyboardInterrupt):
        return "interrupted"
    return str(error) if isinstance(error, OperationError) else one_line(error)


def _start_snapshot(
    rds: Any,
    cluster_id: str,
    name: str,
    tags: list[dict[str, str]],
    confirm: Callable[[str], None],
    report: Report,
    waiting: Waiting,
) -> None:
    confirm(f"Take manual snapshot {name} of {cluster_id}? It is kept, and billed, until deleted. Proceed?")
    try:
        waiting.act_once(
            lambda: rds.create_db_cluster_snapshot(
                DBClusterIdentifier=cluster_id, DBClusterSnapshotIdentifier=name, **({"Tags": tags} if tags else {})
            )["DBClusterSnapshot"],
            lambda: _snapshot_named(rds, name, cluster_id, waiting, report),
            f"taking snapshot {name}",
            report,
        )
    except AWS_FAILURES as error:
        raise OperationError(
            f"taking snapshot {name} of {cluster_id} failed ({one_line(error)}); nothing was created: a re-run starts again"
        ) from error
    report(f"snapshot {name} of {cluster_id} started")


def _tags_copied_to_snapshots(cluster: dict[str, Any]) -> list[dict[str, str]]:
    """The cluster's tags when it copies them to its snapshots: they are sent along, because a
    snapshot created with tags of its own gets no copies (moto/rds/models.py, DBClusterSnapshot: "If
    tags are provided at creation, AWS does *not* copy tags from the db_cluster"). `aws:` tags are
    AWS's own and cannot be set."""
    if not cluster.get("CopyTagsToSnapshot"):
        return []
    return [tag for tag in cluster.get("TagList", []) if not tag["Key"].startswith("aws:")]


def _snapshot_named(rds: Any, name: str, cluster_id: str, waiting: Waiting, report: Report) -> dict[str, Any] | None:
    """The snapshot `name` when it is of `cluster_id`; None when there is none; refused when it is of another cluster."""
    try:
        found = waiting.retried(
            lambda: rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"],
            f"looking for snapshot {name}",
            report,
        )
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterSnapshotNotFoundFault":
            return None
        raise
    if not found:
        return None
    if found[0].get("DBClusterIdentifier") != cluster_id:
        raise OperationError(
            f"a snapshot named {name!r} already exists and is of cluster {found[0].get('DBClusterIdentifier')!r}, "
            f"not {cluster_id!r}; choose another name"
        )
    return found[0]


def _finished(rds: Any, name: str, cluster_id: str, waiting: Waiting, report: Report) -> dict[str, Any] | None:
    """The snapshot once it no longer carries the unfinished tag (a removal whose answer was lost took effect)."""
    found = _snapshot_named(rds, name, cluster_id, waiting, report)
    return found if found and all(tag["Key"] != UNFINISHED_TAG for tag in found.get("TagList", [])) else None


def _unfinished_snapshot(rds: Any, cluster_id: str, waiting: Waiting, report: Report) -> dict[str, Any] | None:
    """The newest manual snapshot of the cluster that an unfinished default-name run started."""
    unfinished, marker = [], None
    while True:
        page = waiting.retried(
            partial(
                rds.describe_db_cluster_snapshots,
                DBClusterIdentifier=cluster_id,
                SnapshotType="manual",
                **({"Marker": marker} if marker else {}),
            ),
            f"looking for unfinished snapshots of {cluster_id}",
            report,
        )
        unfinished += [s for s in page["DBClusterSnapshots"] if any(t["Key"] == UNFINISHED_TAG for t in s.get("TagList", []))]
        marker = page.get("Marker")
        if not marker:
            # Default names end in the UTC time, so the newest sorts last.
            return max(unfinished, key=lambda s: s["DBClusterSnapshotIdentifier"], default=None)


def _wait_for_snapshot(rds: Any, name: str, waiting: Waiting, report: Report) -> tuple[float, dict[str, Any]]:
    """Seconds until the snapshot is available, and its description then."""
    seen: dict[str, Any] = {}

    def available() -> str | None:
        seen.update(rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=name)["DBClusterSnapshots"][0])
        return None if seen["Status"] == "available" else seen["Status"]

    return waiting.until(available, f"snapshot {name}", report), seen


def parse_time(text: str) -> datetime:
    """An ISO 8601 time; a time without a zone is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise OperationError(f"{text!r} is not a time: use ISO 8601, for example 2026-11-26T14:30:00Z") from error
    return value if value.tzinfo else value.replace(tzinfo=UTC)
