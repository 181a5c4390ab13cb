"""`failover`: promote a reader, time what the control plane reports and, with `--probe`, what
clients see (seconds during which the writer could not take writes, probed through the Data API).

The expected new writer follows Aurora's rule (Aurora User Guide, "Fault tolerance for an Aurora
DB cluster", Concepts.AuroraHighAvailability): the reader with the lowest promotion tier; among
readers of the same tier, the largest in size; among readers of the same tier and size, an
arbitrary one. The confirmation names that reader, or the candidates when AWS will pick one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from awscalls.errors import AWS_FAILURES, OperationError, error_code, one_line

from .cluster_ops import SERVERLESS_CLASS, Report, Waiting, describe_cluster, describe_instance, members

# A failover of the cluster this recent is taken as the one an earlier run of the command started
# and lost the answer of: a re-run follows it rather than failing back. Failovers take about a minute.
RECENT_FAILOVER_MINUTES = 15
RERUN_FOLLOWS = (
    f"run the same command again, it follows a failover under way or finished in the last {RECENT_FAILOVER_MINUTES} "
    "minutes and does not fail over again"
)

# Relative size of an instance class's size word (db.r7g.<size>); `db.serverless` has no fixed size.
_SIZES = {"nano": 0.125, "micro": 0.25, "small": 0.5, "medium": 1, "large": 2, "xlarge": 4}


def size_of(instance_class: str | None) -> float | None:
    """Comparable size of a provisioned class (large < xlarge < 2xlarge ...); None when unknown."""
    size = (instance_class or "").rsplit(".", 1)[-1]
    multiple = re.fullmatch(r"(\d+)xlarge", size)
    return 4 * int(multiple.group(1)) if multiple else _SIZES.get(size)


def promotion_candidates(readers: list[dict[str, Any]]) -> list[str]:
    """Readers AWS may promote (each {'instance', 'tier', 'class'}): one name, or the tied ones."""
    lowest = min(reader["tier"] for reader in readers)
    tier = [reader for reader in readers if reader["tier"] == lowest]
    sizes = [size_of(reader["class"]) for reader in tier]
    if None not in sizes:
        largest = max(size for size in sizes if size is not None)
        tier = [reader for reader, size in zip(tier, sizes, strict=True) if size == largest]
    return sorted(reader["instance"] for reader in tier)


@dataclass
class WriteProbe:
    """Asks the writer, once per call, whether it takes writes; keeps (time, ok) samples."""

    attempt: Callable[[], bool]
    clock: Callable[[], float]
    samples: list[tuple[float, bool]] = field(default_factory=list)
    last_error: str | None = None

    def __call__(self) -> bool:
        try:
            ok = self.attempt()
            if not ok:
                self.last_error = "the instance behind the writer endpoint is read-only"
        except AWS_FAILURES as error:
            ok, self.last_error = False, one_line(error)
        self.samples.append((self.clock(), ok))
        return ok

    def failed_seconds(self) -> float:
        """Time from each failed probe to the next probe, summed."""
        return sum(later - earlier for (earlier, ok), (later, _) in pairwise(self.samples) if not ok)

    def summary(self) -> dict[str, Any]:
        return {
            "secondsWritesFailed": round(self.failed_seconds(), 1),
            "probes": len(self.samples),
            "failedProbes": sum(1 for _, ok in self.samples if not ok),
            "lastError": self.last_error,
        }


def failover(
    rds: Any,
    cluster_id: str,
    target: str | None,
    confirm: Callable[[str], None],
    report: Report,
    waiting: Waiting,
    probe: WriteProbe | None = None,
) -> dict[str, Any]:
    """Promote a reader; report how long until the new writer was available (and, probing, how
    long writes failed)."""
    cluster = describe_cluster(rds, cluster_id)
    writer, reader_members = members(cluster)
    current = writer["DBInstanceIdentifier"] if writer else "none"
    if target is not None and target == current and _recent_failover(rds, cluster_id) == target:
        report(
            f"{cluster_id} failed over to {target} in the last {RECENT_FAILOVER_MINUTES} minutes: "
            "taken as this command's failover, not started again"
        )
        return {"cluster": cluster_id, "previousWriter": None, "writer": current, "secondsUntilAvailable": None}
    following = cluster.get("Status") == "failing-over"
    if following:
        # An earlier run's failover, its answer lost: follow it (the writer it reports may already be the new one).
        report(f"{cluster_id} is already failing over: following that failover instead of starting another")
    else:
        if not reader_members:
            raise OperationError(f"cluster {cluster_id!r} has no reader to fail over to; {_how_to_get_a_reader(rds, writer)}")
        readers = [
            {
                "instance": member["DBInstanceIdentifier"],
                "tier": member.get("PromotionTier", 1),
                "class": describe_instance(rds, member["DBInstanceIdentifier"]).get("DBInstanceClass"),
            }
            for member in reader_members
        ]
        reader_ids = [reader["instance"] for reader in readers]
        if target is not None and target not in reader_ids:
            raise OperationError(f"--target {target!r} is not a reader of {cluster_id!r}: readers are {', '.join(reader_ids)}")
        done = None if target else _recent_failover(rds, cluster_id)
        if done:
            report(
                f"{cluster_id} failed over to {done} in the last {RECENT_FAILOVER_MINUTES} minutes: taken as this command's "
                "failover (a re-run after a lost answer must not fail back); pass --target to fail over again"
            )
            return {"cluster": cluster_id, "previousWriter": None, "writer": current, "secondsUntilAvailable": None}
        confirm(f"Fail over {cluster_id}: writer {current} becomes a reader, {_expected(readers, target)}. Proceed?")
        _start_failover(rds, cluster_id, target)
        report(f"failover of {cluster_id} started" + (": probing writes through the Data API every second" if probe else ""))

    control_plane: dict[str, float] = {}
    start = waiting.clock()
    # A failover this run started is done once another instance writes; one it follows, once any does.
    not_yet = ("none",) if following else (current, "none")

    def finished() -> str | None:
        if "seconds" not in control_plane:
            described = describe_cluster(rds, cluster_id)
            new_writer, _ = members(described)
            new_id = new_writer["DBInstanceIdentifier"] if new_writer else "none"
            if new_id in not_yet or described.get("Status") != "available":
                note = f"cluster {described.get('Status')}, writer {new_id}"
                return note + (f", writes {'ok' if probe() else 'failing'}" if probe else "")
            control_plane["seconds"] = waiting.clock() - start
        if probe and not probe():
            return f"new writer available, writes still failing ({probe.last_error})"
        return None

    if probe:
        probe()
        waiting = Waiting(waiting.timeout_seconds, 1.0, waiting.clock, waiting.sleep)
    try:
        waiting.until(finished, "the new writer", report)
        final_writer, _ = members(describe_cluster(rds, cluster_id))
    except (OperationError, *AWS_FAILURES) as error:
        reason = str(error) if isinstance(error, OperationError) else one_line(error)
        raise OperationError(f"{reason}; the failover of {cluster_id} was started: {RERUN_FOLLOWS}") from error
    result = {
        "cluster": cluster_id,
        "previousWriter": current,
        "writer": final_writer["DBInstanceIdentifier"] if final_writer else None,
        "secondsUntilAvailable": round(control_plane["seconds"], 1),
    }
    if probe:
        result["probe"] = probe.summary()
    return result


def _start_failover(rds: Any, cluster_id: str, target: str | None) -> None:
    """FailoverDBCluster. A cluster already failing over refuses another (InvalidDBClusterStateFault):
    when botocore retried our own call, that refusal means the failover is under way."""
    request = {"DBClusterIdentifier": cluster_id}
    if target:
        request["TargetDBInstanceIdentifier"] = target
    try:
        rds.failover_db_cluster(**request)
    except AWS_FAILURES as error:
        if (
            error_code(error) == "InvalidDBClusterStateFault"
            and describe_cluster(rds, cluster_id).get("Status") == "failing-over"
        ):
            return
        raise OperationError(f"{one_line(error)}; the failover of {cluster_id} may have started: {RERUN_FOLLOWS}") from error


def _recent_failover(rds: Any, cluster_id: str) -> str | None:
    """The instance a failover of the last RECENT_FAILOVER_MINUTES started or completed to (the
    cluster's events RDS-EVENT-0072/0073 "Started ... failover to DB instance: X" and RDS-EVENT-0071
    "Completed failover to DB instance: X"); None when there was none, or the last one failed."""
    events = rds.describe_events(
        SourceIdentifier=cluster_id, SourceType="db-cluster", EventCategories=["failover"], Duration=RECENT_FAILOVER_MINUTES
    ).get("Events", [])
    for event in sorted(events, key=lambda event: event["Date"], reverse=True):
        message = event.get("Message", "")
        if "failover to DB instance:" in message:
            return message.rsplit(":", 1)[1].strip()
        if "fail" in message.lower():
            return None
    return None


def _how_to_get_a_reader(rds: Any, writer: dict[str, Any] | None) -> str:
    """Advice for the cluster's shape, told by its writer's class as the program builds it: the serverless
    shape is one `db.serverless` writer and has no reader setting; the provisioned shape has
    `provisioned.readers`."""
    writer_class = describe_instance(rds, writer["DBInstanceIdentifier"]).get("DBInstanceClass") if writer else None
    if writer_class == SERVERLESS_CLASS:
        return (
            f"its writer is {SERVERLESS_CLASS}, the serverless shape, which has no readers: "
            "fail over a provisioned stack such as prod instead"
        )
    return "add one (aurora:provisioned.readers)"


def _expected(readers: list[dict[str, Any]], target: str | None) -> str:
    if target:
        return f"{target} becomes the writer (--target)"
    candidates = promotion_candidates(readers)
    if len(candidates) == 1:
        return f"{candidates[0]} becomes the writer (lowest promotion tier, then largest size)"
    return f"one of {', '.join(candidates)} becomes the writer (same promotion tier and size: AWS picks one)"
