"""Issue 29's measure for copy-snapshot, export-snapshot, failover, backtrack, client start and seed:
each AWS call of a clean run fails once, in each of tests/faults.py's three ways, and the same
command is run again without a fault; the re-run must end where the clean run ends (nothing
doubled, nothing left behind), and the failed run must say so in one line.

moto plays export-snapshot (StartExportTask, DescribeExportTasks), the source region of
copy-snapshot and the client host's EC2. What moto cannot play with its state is a fake of the
service model's shapes (tests/model_fake.py), each assumption named where the fake makes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from awscalls.sql_files import SAMPLE_DATA_DIR, load_sql_files
from ops.cluster_ops import Waiting, backtrack
from tests.faults import Faults, every_fault
from tests.helpers import FakeClock, client_host_image, create_moto_cluster
from tests.model_fake import FakeError, object_client
from tests.ops.ops_harness import NOW, run

ACCOUNT = "123456789012"
CLUSTER = "aurora-prod"
CLUSTER_ARN = f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:{CLUSTER}"
SECRET_ARN = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:rds!cluster-{CLUSTER}"


class FaultySession:
    """A boto3 session whose clients (by service and region) all go through one `Faults`."""

    region_name = "us-east-1"

    def __init__(self, faults: Faults, clients: dict[tuple[str, str], Any]):
        self.faults, self.clients = faults, clients

    def client(self, service: str, region_name: str | None = None, config: Any = None) -> Any:
        return self.faults.wrap(self.clients[(service, region_name or self.region_name)])


@dataclass
class Scenario:
    """One command: `setup()` builds a fresh world and returns its clients; `state()` reads what a
    user would look at afterwards."""

    argv: list[str]
    setup: Callable[[], dict[tuple[str, str], Any]]
    state: Callable[[], Any]


def run_with(scenario: Scenario, clients: dict[tuple[str, str], Any], faults: Faults) -> tuple[int, str]:
    code, _, err = run(scenario.argv, FaultySession(faults, clients), clock=FakeClock())
    return code, err


def check_every_fault(scenario: Scenario) -> int:
    """A clean run counts the calls; then each fault, each followed by one clean re-run, must end in
    the clean run's state. The number of faults checked (all converged)."""
    clean = Faults()
    code, err = run_with(scenario, scenario.setup(), clean)
    assert code == 0, err
    expected, checked = scenario.state(), 0
    for faults in every_fault(len(clean.calls)):
        clients = scenario.setup()
        code, err = run_with(scenario, clients, faults)
        assert faults.fired
        if code:
            # The failed run's message is one line (the progress lines before it are its own).
            assert err.splitlines()[-1].startswith("error: "), (faults, err)
        code, err = run_with(scenario, clients, Faults())
        assert code == 0, (faults, err)
        assert scenario.state() == expected, (faults, faults.calls)
        checked += 1
    print(f"{scenario.argv[2:4]}: {checked} faults converge")
    return checked


# copy-snapshot ------------------------------------------------------------------------------------


class TargetRegionSnapshots:
    """Cluster snapshots of the copy's region. moto's copy keeps no SourceDBClusterSnapshotArn and is
    available at once; here a copy records its source (DBClusterSnapshot.SourceDBClusterSnapshotArn in
    botocore's rds model) and is `copying` for two reads. CopyDBClusterSnapshot to an existing name
    answers DBClusterSnapshotAlreadyExistsFault (a modelled error of the call; moto does the same)."""

    def __init__(self) -> None:
        self.snapshots: dict[str, dict[str, Any]] = {}

    def copy_db_cluster_snapshot(
        self, SourceDBClusterSnapshotIdentifier: str, TargetDBClusterSnapshotIdentifier: str, **_: Any
    ) -> dict[str, Any]:
        name = TargetDBClusterSnapshotIdentifier
        if name in self.snapshots:
            raise FakeError("DBClusterSnapshotAlreadyExistsFault", f"{name} already exists")
        self.snapshots[name] = {
            "DBClusterSnapshotIdentifier": name,
            "DBClusterSnapshotArn": f"arn:aws:rds:us-west-2:{ACCOUNT}:cluster-snapshot:{name}",
            "SourceDBClusterSnapshotArn": SourceDBClusterSnapshotIdentifier,
            "SnapshotType": "manual",
            "Status": "copying",
            "PercentProgress": 0,
        }
        return {"DBClusterSnapshot": dict(self.snapshots[name])}

    def describe_db_cluster_snapshots(self, DBClusterSnapshotIdentifier: str | None = None, **_: Any) -> dict[str, Any]:
        for snapshot in self.snapshots.values():
            snapshot["PercentProgress"] += 50
            if snapshot["PercentProgress"] > 100:
                snapshot["Status"] = "available"
        if DBClusterSnapshotIdentifier is None:
            return {"DBClusterSnapshots": [dict(snapshot) for snapshot in self.snapshots.values()]}
        if DBClusterSnapshotIdentifier not in self.snapshots:
            raise FakeError("DBClusterSnapshotNotFoundFault", DBClusterSnapshotIdentifier)
        return {"DBClusterSnapshots": [dict(self.snapshots[DBClusterSnapshotIdentifier])]}


@pytest.fixture
def moto_account(fake_aws_credentials):
    with mock_aws():
        yield


def moto_snapshot() -> Any:
    """moto's us-east-1 emptied, with cluster aurora-prod and its manual snapshot `nightly`."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.rds.models import rds_backends

    rds_backends[DEFAULT_ACCOUNT_ID].reset()
    rds = boto3.client("rds", region_name="us-east-1")
    create_moto_cluster(rds, CLUSTER)
    rds.create_db_cluster_snapshot(DBClusterIdentifier=CLUSTER, DBClusterSnapshotIdentifier="nightly")
    return rds


def test_copy_snapshot_converges_after_every_fault(moto_account):
    source, target = moto_snapshot(), [TargetRegionSnapshots()]  # a copy only reads its source

    def setup() -> dict[tuple[str, str], Any]:
        target[:] = [TargetRegionSnapshots()]
        return {("rds", "us-east-1"): source, ("rds", "us-west-2"): object_client("rds", target[0], "us-west-2")}

    def state() -> Any:
        return sorted((s["DBClusterSnapshotIdentifier"], s["Status"]) for s in target[0].snapshots.values())

    argv = ["--region", "us-east-1", "copy-snapshot", "nightly", "--to-region", "us-west-2"]
    checked = check_every_fault(Scenario(argv, setup, state))
    assert state() == [("nightly-us-west-2-20261126120000", "available")]
    assert checked == 21


# export-snapshot ----------------------------------------------------------------------------------


def test_export_snapshot_converges_after_every_fault(moto_account):
    """moto plays the export: StartExportTask of an existing identifier answers ExportTaskAlreadyExistsFault
    (moto's ExportTaskAlreadyExistsError, a modelled error of the call), and its tasks are `complete` at once."""
    rds: list[Any] = []

    def setup() -> dict[tuple[str, str], Any]:
        rds[:] = [moto_snapshot()]
        return {("rds", "us-east-1"): rds[0]}

    def state() -> Any:
        return [(task["ExportTaskIdentifier"], task["S3Bucket"]) for task in rds[0].describe_export_tasks()["ExportTasks"]]

    argv = [
        "--region",
        "us-east-1",
        "export-snapshot",
        "nightly",
        "--bucket",
        "exports",
        "--role-arn",
        f"arn:aws:iam::{ACCOUNT}:role/rds-export",
        "--kms-key",
        f"arn:aws:kms:us-east-1:{ACCOUNT}:key/export",
    ]
    checked = check_every_fault(Scenario(argv, setup, state))
    assert state() == [("nightly-export-20261126120000", "exports")]
    assert checked == 9


# failover -----------------------------------------------------------------------------------------


class FailingOverCluster:
    """A writer and a reader as RDS fails them over. Assumptions, none of which moto plays (its failover
    is instant and records no event): FailoverDBCluster leaves the cluster `failing-over` for two reads,
    then the reader is the writer; the cluster's events are RDS-EVENT-0073 "Started cross AZ failover to DB
    instance: X" and RDS-EVENT-0071 "Completed failover to DB instance: X" (RDS User Guide, "Amazon RDS
    event categories and event messages", category failover); a cluster that is failing over refuses
    another failover with InvalidDBClusterStateFault (a modelled error of FailoverDBCluster)."""

    def __init__(self) -> None:
        self.writer, self.reader, self.status = f"{CLUSTER}-instance-1", f"{CLUSTER}-instance-2", "available"
        self.reads, self.failovers, self.events = 0, 0, []

    def _event(self, message: str) -> None:
        date = NOW + timedelta(seconds=len(self.events))
        self.events.append({"SourceIdentifier": CLUSTER, "SourceType": "db-cluster", "Message": message, "Date": date})

    def failover_db_cluster(self, DBClusterIdentifier: str, TargetDBInstanceIdentifier: str | None = None) -> dict[str, Any]:
        if self.status != "available":
            raise FakeError("InvalidDBClusterStateFault", f"DB cluster {DBClusterIdentifier} is {self.status}")
        self.status, self.reads, self.failovers = "failing-over", 0, self.failovers + 1
        self._event(f"Started cross AZ failover to DB instance: {self.reader}")
        return {"DBCluster": self._cluster()}

    def describe_db_clusters(self, DBClusterIdentifier: str) -> dict[str, Any]:
        if self.status == "failing-over":
            self.reads += 1
            if self.reads > 2:
                self.writer, self.reader, self.status = self.reader, self.writer, "available"
                self._event(f"Completed failover to DB instance: {self.writer}")
        return {"DBClusters": [self._cluster()]}

    def describe_db_instances(self, DBInstanceIdentifier: str) -> dict[str, Any]:
        return {"DBInstances": [{"DBInstanceIdentifier": DBInstanceIdentifier, "DBInstanceClass": "db.r7g.large"}]}

    def describe_events(self, **_: Any) -> dict[str, Any]:
        return {"Events": [dict(event, EventCategories=["failover"]) for event in self.events]}

    def _cluster(self) -> dict[str, Any]:
        members = [
            {"DBInstanceIdentifier": self.writer, "IsClusterWriter": True, "PromotionTier": 0},
            {"DBInstanceIdentifier": self.reader, "IsClusterWriter": False, "PromotionTier": 1},
        ]
        return {"DBClusterIdentifier": CLUSTER, "DBClusterArn": CLUSTER_ARN, "Status": self.status, "DBClusterMembers": members}


@pytest.mark.parametrize(
    ("target", "faults"), [([], 24), (["--target", f"{CLUSTER}-instance-2"], 21)], ids=["aws-picks", "target"]
)
def test_failover_converges_after_every_fault_and_never_fails_back(target, faults):
    cluster: list[FailingOverCluster] = []

    def setup() -> dict[tuple[str, str], Any]:
        cluster[:] = [FailingOverCluster()]
        return {("rds", "us-east-1"): object_client("rds", cluster[0])}

    def state() -> Any:
        return cluster[0].writer, cluster[0].failovers

    checked = check_every_fault(Scenario(["--cluster", CLUSTER, "--yes", "failover", *target], setup, state))
    assert state() == (f"{CLUSTER}-instance-2", 1)
    assert checked == faults


# backtrack ----------------------------------------------------------------------------------------


class BacktrackingCluster:
    """A cluster with a 24-hour backtrack window. moto has no backtrack. Assumptions: a backtrack is
    `pending`, then `applying`, then `completed` on successive reads (the statuses the filter
    db-cluster-backtrack-status names in botocore's rds model); while one runs, BacktrackDBCluster answers
    InvalidDBClusterStateFault (a modelled error of the call); AWS stamps BacktrackRequestCreationTime
    with its own clock, `now` here."""

    def __init__(self) -> None:
        self.now, self.backtracks = NOW, []

    def describe_db_clusters(self, DBClusterIdentifier: str) -> dict[str, Any]:
        cluster = {
            "DBClusterIdentifier": CLUSTER,
            "DBClusterArn": CLUSTER_ARN,
            "Status": "available",
            "BacktrackWindow": 86400,
            "EarliestBacktrackTime": NOW - timedelta(hours=20),
        }
        return {"DBClusters": [cluster]}

    def backtrack_db_cluster(self, DBClusterIdentifier: str, BacktrackTo: Any) -> dict[str, Any]:
        if any(found["Status"] != "completed" for found in self.backtracks):
            raise FakeError("InvalidDBClusterStateFault", f"DB cluster {DBClusterIdentifier} is backtracking")
        found = {
            "DBClusterIdentifier": CLUSTER,
            "BacktrackIdentifier": f"bt-{len(self.backtracks) + 1}",
            "BacktrackTo": BacktrackTo,
            "BacktrackRequestCreationTime": self.now,
            "Status": "pending",
        }
        self.backtracks.append(found)
        return dict(found)

    def describe_db_cluster_backtracks(self, DBClusterIdentifier: str, BacktrackIdentifier: str | None = None) -> dict[str, Any]:
        following = {"pending": "applying", "applying": "completed", "completed": "completed"}
        for found in self.backtracks:
            found["Status"] = following[found["Status"]]
        chosen = [found for found in self.backtracks if BacktrackIdentifier in (None, found["BacktrackIdentifier"])]
        if BacktrackIdentifier and not chosen:
            raise FakeError("DBClusterBacktrackNotFoundFault", BacktrackIdentifier)
        return {"DBClusterBacktracks": [dict(found) for found in chosen]}


@pytest.mark.parametrize("when", [["--minutes-ago", "30"], ["--to", "2026-11-26T11:30:00Z"]], ids=["minutes-ago", "to"])
def test_backtrack_converges_after_every_fault(when):
    cluster: list[BacktrackingCluster] = []

    def setup() -> dict[tuple[str, str], Any]:
        cluster[:] = [BacktrackingCluster()]
        return {("rds", "us-east-1"): object_client("rds", cluster[0])}

    def state() -> Any:
        return [(found["BacktrackTo"], found["Status"]) for found in cluster[0].backtracks]

    checked = check_every_fault(Scenario(["--cluster", CLUSTER, "--yes", "backtrack", *when], setup, state))
    assert state() == [(NOW - timedelta(minutes=30), "completed")]
    assert checked == 15


def test_a_minutes_ago_rerun_minutes_later_follows_the_first_backtrack_not_a_later_time():
    """The re-run's "30 minutes ago" is two minutes later than the first run's: it must not rewind there."""
    cluster = BacktrackingCluster()
    rds, clock = object_client("rds", cluster), FakeClock()
    waiting = Waiting(clock=clock, sleep=clock.sleep)
    faults = Faults(fail_at=3, kind="lost")  # BacktrackDBCluster takes effect, its answer is lost
    with pytest.raises(Exception, match="may have started: run the same command again"):
        backtrack(faults.wrap(rds), CLUSTER, NOW - timedelta(minutes=30), lambda _: None, print, waiting, NOW, 30)
    later = NOW + timedelta(minutes=2)
    result = backtrack(rds, CLUSTER, later - timedelta(minutes=30), lambda _: None, print, waiting, later, 30)
    assert result["backtrack"] == "bt-1"
    assert [(found["BacktrackTo"], found["Status"]) for found in cluster.backtracks] == [
        (NOW - timedelta(minutes=30), "completed")
    ]


# client start -------------------------------------------------------------------------------------


class AgentOfRunningHosts:
    """Systems Manager's view of the host (moto 5 has no DescribeInstanceInformation): its agent is
    `Online` while EC2 (moto) runs the instance, not registered otherwise."""

    def __init__(self, ec2: Any):
        self.ec2 = ec2

    def describe_instance_information(self, Filters: list[dict[str, Any]]) -> dict[str, Any]:
        instance_id = Filters[0]["Values"][0]
        state = self.ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"]
        return {"InstanceInformationList": [{"InstanceId": instance_id, "PingStatus": "Online"}] if state == "running" else []}


def test_client_start_converges_after_every_fault(moto_account):
    ec2 = boto3.client("ec2", region_name="us-east-1")
    image = client_host_image(ec2)
    host: list[str] = []
    argv: list[str] = []  # names the host each setup makes

    def setup() -> dict[tuple[str, str], Any]:
        instance = ec2.run_instances(ImageId=image, InstanceType="t4g.micro", MinCount=1, MaxCount=1)["Instances"][0]
        ec2.stop_instances(InstanceIds=[instance["InstanceId"]])
        host[:] = [instance["InstanceId"]]
        argv[:] = ["--region", "us-east-1", "client", "start", "--instance-id", host[0]]
        return {("ec2", "us-east-1"): ec2, ("ssm", "us-east-1"): object_client("ssm", AgentOfRunningHosts(ec2))}

    def state() -> Any:
        return ec2.describe_instances(InstanceIds=host)["Reservations"][0]["Instances"][0]["State"]["Name"]

    scenario = Scenario(argv, setup, state)
    checked = check_every_fault(scenario)
    assert state() == "running"
    assert checked == 12


# seed ---------------------------------------------------------------------------------------------


class DataApiTransactions:
    """The Data API's transactions (moto's rds-data runs nothing): statements of a transaction take effect
    at CommitTransaction; a transaction id that is committed, rolled back or unknown answers
    BadRequestException (a modelled error of each call). The sample SQL is safe to apply twice
    (tests/ops/test_sample_data_sql.py runs it twice against MariaDB), so the end state compared is the
    set of statements that took effect."""

    def __init__(self) -> None:
        self.open: dict[str, list[str]] = {}
        self.committed: set[str] = set()
        self.begun = 0

    def begin_transaction(self, **_: Any) -> dict[str, Any]:
        self.begun += 1
        self.open[f"tx-{self.begun}"] = []
        return {"transactionId": f"tx-{self.begun}"}

    def execute_statement(self, sql: str, transactionId: str | None = None, **_: Any) -> dict[str, Any]:
        if transactionId is None:
            self.committed.add(sql)
            return {"records": [[{"longValue": 9}]]}
        self._transaction(transactionId).append(sql)
        return {"records": []}

    def commit_transaction(self, transactionId: str, **_: Any) -> dict[str, Any]:
        self.committed.update(self._transaction(transactionId))
        del self.open[transactionId]
        return {"transactionStatus": "Transaction Committed"}

    def rollback_transaction(self, transactionId: str, **_: Any) -> dict[str, Any]:
        self._transaction(transactionId)
        del self.open[transactionId]
        return {"transactionStatus": "Rollback Complete"}

    def _transaction(self, transaction: str) -> list[str]:
        if transaction not in self.open:
            raise FakeError("BadRequestException", f"Transaction {transaction} is not found")
        return self.open[transaction]


class ClusterWithDataApi:
    def describe_db_clusters(self, DBClusterIdentifier: str) -> dict[str, Any]:
        cluster = {"DBClusterIdentifier": CLUSTER, "DBClusterArn": CLUSTER_ARN, "HttpEndpointEnabled": True}
        return {"DBClusters": [cluster]}


def test_seed_converges_after_every_fault():
    data_api: list[DataApiTransactions] = []

    def setup() -> dict[tuple[str, str], Any]:
        data_api[:] = [DataApiTransactions()]
        return {
            ("rds", "us-east-1"): object_client("rds", ClusterWithDataApi()),
            ("rds-data", "us-east-1"): object_client("rds-data", data_api[0]),
        }

    def state() -> Any:
        return data_api[0].committed

    argv = ["--region", "us-east-1", "seed", "--cluster-arn", CLUSTER_ARN, "--secret-arn", SECRET_ARN]
    checked = check_every_fault(Scenario(argv, setup, state))
    statements = {statement for sql_file in load_sql_files(SAMPLE_DATA_DIR) for statement in sql_file.statements}
    assert state() == statements | {"SELECT COUNT(*) FROM tutorial.planet"}
    assert checked == 27
