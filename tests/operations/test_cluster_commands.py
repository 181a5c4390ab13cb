"""`python -m ops` cluster commands against moto (and a Stubber where moto lacks the call):
outcomes are checked in the emulated state, not only exit codes."""

import io
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from ops.cli import main
from ops.cluster_ops import Waiting

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Terminal(io.StringIO):
    def __init__(self, answer, tty=True):
        super().__init__(answer)
        self._tty = tty

    def isatty(self):
        return self._tty


@pytest.fixture
def aws(fake_aws_credentials):
    with mock_aws():
        rds = boto3.client("rds", region_name="us-east-1")
        rds.create_db_cluster(
            DBClusterIdentifier="aurora-prod",
            Engine="aurora-mysql",
            EngineVersion="8.0.mysql_aurora.3.10.5",
            MasterUsername="admin",
            ManageMasterUserPassword=True,
            StorageEncrypted=True,
        )
        for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
            rds.create_db_instance(
                DBInstanceIdentifier=f"aurora-prod-instance-{number}",
                DBClusterIdentifier="aurora-prod",
                Engine="aurora-mysql",
                DBInstanceClass="db.r7g.large",
                AvailabilityZone=zone,
                PromotionTier=number - 1,
            )
        yield rds


def run(argv, session=None, stdin=None, clock=None):
    clock = clock or FakeClock()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv,
        session=session or boto3.session.Session(region_name="us-east-1"),
        stdin=stdin or Terminal("", tty=False),
        stdout=out,
        stderr=err,
        waiting=Waiting(interval_seconds=5, clock=clock, sleep=clock.sleep),
        now=lambda: NOW,
    )
    return code, out.getvalue(), err.getvalue()


def writer(rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier="aurora-prod")["DBClusters"][0]
    return next(m["DBInstanceIdentifier"] for m in cluster["DBClusterMembers"] if m["IsClusterWriter"])


def test_failover_with_yes_promotes_the_reader_and_reports_the_time(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "failover"])
    assert code == 0, err
    assert writer(aws) == "aurora-prod-instance-2"
    result = json.loads(out)
    assert result["previousWriter"] == "aurora-prod-instance-1" and result["writer"] == "aurora-prod-instance-2"
    assert "secondsUntilAvailable" in result


def test_failover_asks_and_proceeds_on_yes(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"], stdin=Terminal("y\n"))
    assert code == 0
    assert "writer aurora-prod-instance-1 becomes a reader, aurora-prod-instance-2 becomes the writer. Proceed? [y/N]" in err
    assert writer(aws) == "aurora-prod-instance-2"


@pytest.mark.parametrize("stdin", [Terminal("n\n"), Terminal("\n")])
def test_failover_declined_changes_nothing(aws, stdin):
    code, out, err = run(["--cluster", "aurora-prod", "failover"], stdin=stdin)
    assert (code, out) == (1, "")
    assert err.endswith("error: not confirmed: nothing was changed\n")
    assert writer(aws) == "aurora-prod-instance-1"


def test_failover_without_a_terminal_needs_yes(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"])
    assert code == 1
    assert err == "error: not confirmed: standard input is not a terminal; pass --yes to proceed\n"
    assert writer(aws) == "aurora-prod-instance-1"


def test_failover_to_a_non_reader_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "failover", "--target", "aurora-prod-instance-1"])
    assert code == 1
    assert (
        err == "error: --target 'aurora-prod-instance-1' is not a reader of 'aurora-prod': readers are aurora-prod-instance-2\n"
    )


def test_unknown_cluster_is_one_line(aws):
    code, _, err = run(["--cluster", "nope", "--yes", "failover"])
    assert (code, err) == (1, "error: cluster 'nope' not found in this account and region\n")


def test_clone_creates_a_cluster_with_an_instance(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--json", "clone", "aurora-prod-clone"])
    assert code == 0, err
    clone = aws.describe_db_clusters(DBClusterIdentifier="aurora-prod-clone")["DBClusters"][0]
    assert [m["DBInstanceIdentifier"] for m in clone["DBClusterMembers"]] == ["aurora-prod-clone-instance-1"]
    instance = aws.describe_db_instances(DBInstanceIdentifier="aurora-prod-clone-instance-1")["DBInstances"][0]
    assert instance["DBInstanceClass"] == "db.r7g.large" and instance["PubliclyAccessible"] is False
    assert json.loads(out)["endpoint"] == clone["Endpoint"]


def test_clone_onto_an_existing_name_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "clone", "aurora-prod"])
    assert (code, err) == (1, "error: a cluster named 'aurora-prod' already exists; choose another name\n")


def test_restore_latest_creates_a_new_cluster(aws):
    code, out, err = run(["--cluster", "aurora-prod", "restore", "aurora-prod-restored", "--latest"])
    assert code == 0, err
    assert aws.describe_db_clusters(DBClusterIdentifier="aurora-prod-restored")["DBClusters"][0]["Engine"] == "aurora-mysql"


def test_restore_after_the_latest_restorable_time_is_refused(aws):
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, _, err = run(["--cluster", "aurora-prod", "restore", "aurora-prod-restored", "--to", future])
    assert code == 1
    assert "is after the latest restorable time of 'aurora-prod'" in err and err.count("\n") == 1
    with pytest.raises(aws.exceptions.DBClusterNotFoundFault):
        aws.describe_db_clusters(DBClusterIdentifier="aurora-prod-restored")


def test_snapshot_is_taken_and_available(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--json", "snapshot"])
    assert code == 0, err
    assert json.loads(out)["snapshot"] == "aurora-prod-20261126-120000"
    snapshot = aws.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="aurora-prod-20261126-120000")["DBClusterSnapshots"][
        0
    ]
    assert snapshot["Status"] == "available"


def test_cluster_from_stack_outputs(aws):
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--stack", "prod", "snapshot", "manual-1"],
        session=boto3.session.Session(region_name="us-east-1"),
        stdout=out,
        stderr=err,
        read_outputs=lambda stack: {"clusterIdentifier": "aurora-prod"},
    )
    assert code == 0, err.getvalue()
    assert aws.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="manual-1")["DBClusterSnapshots"]


def test_bad_time_is_a_usage_error():
    with pytest.raises(SystemExit) as exited:
        run(["--cluster", "c", "backtrack", "--to", "yesterday"])
    assert exited.value.code == 2
