"""Issue 29's measure for `ops snapshot` (with and without a name), `ops clone` and `ops restore
--latest`: make each AWS call of a clean run fail once, in each of tests/faults.py's three ways, run
the same command again without a fault, and compare what is in the account with a clean run's.

Each test starts one moto and resets it between cases (moto's `reset` drops every resource). The
re-run comes an hour after the first run, so a default snapshot name taken from the clock would
differ: a doubled snapshot shows in the end state. The sweep runs with no retries (`Waiting`'s
`failures_allowed=0`), so a failed call ends the run and the re-run has to do the finishing; the
retries themselves are tested in test_waiting.py (with them, every fault here is absorbed by the
first run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from moto import mock_aws

from awscalls.errors import OperationError
from ops import cluster_ops, new_cluster
from tests.faults import Faults, every_fault
from tests.helpers import FakeClock
from tests.ops.ops_harness import NOW, shared_session

# A command run against a client after `hours` hours, with `Waiting(failures_allowed=retries)`.
Command = Callable[[Any, int, int], dict[str, Any]]


def source_cluster(rds: Any) -> None:
    """A protected, tagged source that copies its tags to snapshots, with a writer. Its password is
    its own (a managed one costs moto an RSA key per cluster, which the many cases would feel)."""
    rds.create_db_cluster(
        DBClusterIdentifier="aurora-src",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword="not-a-secret",
        DeletionProtection=True,
        CopyTagsToSnapshot=True,
        Tags=[{"Key": "team", "Value": "data"}],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="aurora-src-instance-1",
        DBClusterIdentifier="aurora-src",
        Engine="aurora-mysql",
        DBInstanceClass="db.r7g.large",
    )


def account(rds: Any) -> dict[str, Any]:
    """What a user sees in the account: clusters with their protection, tags and instances, and
    the manual snapshots with their cluster and tags."""
    return {
        "clusters": {
            cluster["DBClusterIdentifier"]: [
                cluster["DeletionProtection"],
                sorted([tag["Key"], tag["Value"]] for tag in cluster.get("TagList", [])),
                sorted(member["DBInstanceIdentifier"] for member in cluster["DBClusterMembers"]),
            ]
            for cluster in rds.describe_db_clusters()["DBClusters"]
        },
        "instances": {
            instance["DBInstanceIdentifier"]: instance.get("DBClusterIdentifier")
            for instance in rds.describe_db_instances()["DBInstances"]
        },
        "snapshots": {
            snapshot["DBClusterSnapshotIdentifier"]: [
                snapshot["DBClusterIdentifier"],
                sorted([tag["Key"], tag["Value"]] for tag in snapshot.get("TagList", [])),
            ]
            for snapshot in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
        },
    }


def end_state(answer: dict[str, Any], rds: Any) -> Any:
    """The command's answer and the account, without what differs between two identical runs
    (ARN, endpoint, seconds) nor the UTC time a default snapshot name ends in: a first run that
    took nothing leaves its re-run to take the snapshot, at the re-run's time."""
    answer = {key: value for key, value in answer.items() if key not in ("arn", "endpoint", "seconds")}
    return json.loads(re.sub(r"-\d{8}-\d{6}\b", "-<time>", json.dumps([answer, account(rds)], default=str)))


def waiting(retries: int) -> cluster_ops.Waiting:
    clock = FakeClock()
    return cluster_ops.Waiting(clock=clock, sleep=clock.sleep, failures_allowed=retries)


def no_question(question: str) -> None:
    pass


def no_report(note: str) -> None:
    pass


def snapshot_named(rds: Any, hours: int, retries: int) -> dict[str, Any]:
    later = NOW + timedelta(hours=hours)
    return cluster_ops.snapshot(rds, "aurora-src", "before-upgrade", no_question, no_report, waiting(retries), later)


def snapshot_default(rds: Any, hours: int, retries: int) -> dict[str, Any]:
    later = NOW + timedelta(hours=hours)
    return cluster_ops.snapshot(rds, "aurora-src", None, no_question, no_report, waiting(retries), later)


def clone(rds: Any, hours: int, retries: int) -> dict[str, Any]:
    return new_cluster.clone(rds, "aurora-src", "aurora-clone", no_question, no_report, waiting(retries))


def restore_latest(rds: Any, hours: int, retries: int) -> dict[str, Any]:
    return new_cluster.restore_to_time(rds, "aurora-src", "aurora-restored", None, no_question, no_report, waiting(retries))


def outcomes(command: Command, retries: int) -> dict[str, str]:
    """For each fault of a clean run (`<call number>:<operation>:<kind>`), how the run and its
    re-run ended: "in the run" (the run recovered), "on re-run" (the run failed with a one-line
    message naming what a re-run does, and the re-run finished), or what differs from a clean run."""
    with mock_aws() as moto:
        rds = shared_session().client("rds", region_name="us-east-1")
        source_cluster(rds)
        clean = Faults()
        clean_end = end_state(command(clean.wrap(rds), 0, retries), rds)
        results = {}
        for fault in every_fault(len(clean.calls)):
            moto.reset()
            source_cluster(rds)
            label = f"{fault.fail_at}:{clean.calls[fault.fail_at - 1]}:{fault.kind}"
            try:
                answer, how = command(fault.wrap(rds), 0, retries), "in the run"
            except OperationError as error:
                assert "\n" not in str(error) and "re-run" in str(error), (label, str(error))
                answer, how = command(rds, 1, retries), "on re-run"
            end = end_state(answer, rds)
            results[label] = how if end == clean_end else f"differs: {end} from {clean_end}"
        return results


COMMANDS = [snapshot_named, snapshot_default, clone, restore_latest]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.__name__)
def test_every_fault_converges_after_one_rerun(fake_aws_credentials, command):
    results = outcomes(command, retries=0)
    assert [how for how in results.values() if how not in ("in the run", "on re-run")] == []
    assert "on re-run" in results.values()
