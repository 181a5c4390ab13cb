"""`python -m ops` failover, restore refusals and snapshots against moto: outcomes are checked in
the emulated state."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers import create_moto_cluster
from tests.ops.ops_harness import Terminal, run


@pytest.fixture
def aws(moto_rds):
    """A cluster with a writer (tier 0) and a reader (tier 1) in two zones."""
    create_moto_cluster(moto_rds, StorageEncrypted=True)
    for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
        moto_rds.create_db_instance(
            DBInstanceIdentifier=f"aurora-prod-instance-{number}",
            DBClusterIdentifier="aurora-prod",
            Engine="aurora-mysql",
            DBInstanceClass="db.r7g.large",
            AvailabilityZone=zone,
            PromotionTier=number - 1,
        )
    return {"rds": moto_rds}


def writer(rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier="aurora-prod")["DBClusters"][0]
    return next(m["DBInstanceIdentifier"] for m in cluster["DBClusterMembers"] if m["IsClusterWriter"])


def test_failover_with_yes_promotes_the_reader_and_reports_both_writers(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "failover"])
    assert code == 0, err
    assert writer(aws["rds"]) == "aurora-prod-instance-2"
    result = json.loads(out)
    assert (result["previousWriter"], result["writer"]) == ("aurora-prod-instance-1", "aurora-prod-instance-2")
    # moto completes at once: the first poll already sees the new writer, so no time passed.
    assert result["secondsUntilAvailable"] == 0


def test_failover_asks_naming_the_reader_that_will_be_promoted(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"], stdin=Terminal("y\n"))
    assert code == 0
    assert (
        "writer aurora-prod-instance-1 becomes a reader, aurora-prod-instance-2 becomes the writer "
        "(lowest promotion tier, then largest size). Proceed? [y/N]"
    ) in err
    assert writer(aws["rds"]) == "aurora-prod-instance-2"


@pytest.mark.parametrize("stdin", [Terminal("n\n"), Terminal("\n")])
def test_failover_declined_changes_nothing(aws, stdin):
    code, out, err = run(["--cluster", "aurora-prod", "failover"], stdin=stdin)
    assert (code, out) == (1, "")
    assert err.endswith("error: not confirmed: nothing was changed\n")
    assert writer(aws["rds"]) == "aurora-prod-instance-1"


def test_failover_without_a_terminal_needs_yes(aws):
    code, _, err = run(["--cluster", "aurora-prod", "failover"])
    assert code == 1
    assert err == "error: not confirmed: standard input is not a terminal; pass --yes to proceed\n"
    assert writer(aws["rds"]) == "aurora-prod-instance-1"


def test_failover_to_a_non_reader_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "failover", "--target", "aurora-prod-instance-1"])
    assert code == 1
    assert (
        err == "error: --target 'aurora-prod-instance-1' is not a reader of 'aurora-prod': readers are aurora-prod-instance-2\n"
    )


def test_unknown_cluster_is_one_line(aws):
    code, _, err = run(["--cluster", "nope", "--yes", "failover"])
    assert code == 1 and err.count("\n") == 1
    assert "cluster 'nope' not found in this account in region us-east-1" in err


def test_clone_onto_an_existing_name_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "clone", "aurora-prod"])
    assert (code, err) == (1, "error: a cluster named 'aurora-prod' already exists; choose another name\n")


def test_restore_after_the_latest_restorable_time_is_refused(aws):
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "restore", "aurora-prod-restored", "--to", future])
    assert code == 1
    assert "is after the latest restorable time of 'aurora-prod'" in err and err.count("\n") == 1
    with pytest.raises(aws["rds"].exceptions.DBClusterNotFoundFault):
        aws["rds"].describe_db_clusters(DBClusterIdentifier="aurora-prod-restored")


def test_snapshot_is_taken_and_available(aws):
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "snapshot"])
    assert code == 0, err
    assert json.loads(out)["snapshot"] == "aurora-prod-20261126-120000"
    snapshot = aws["rds"].describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="aurora-prod-20261126-120000")
    assert snapshot["DBClusterSnapshots"][0]["Status"] == "available"


def test_snapshot_with_an_invalid_name_is_refused(aws):
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "snapshot", "rds:nightly"])
    assert (code, err) == (
        1,
        "error: cluster snapshot identifier 'rds:nightly' (the snapshot name) must start with a letter and hold only "
        "letters, digits and hyphens\n",
    )


def test_cluster_from_stack_outputs(aws):
    outputs = {"prod": {"clusterIdentifier": "aurora-prod"}}
    code, _, err = run(["--stack", "prod", "--yes", "snapshot", "manual-1"], outputs=outputs)
    assert code == 0, err
    assert aws["rds"].describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="manual-1")["DBClusterSnapshots"]


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        (["clone", "aurora-prod-clone"], "Create cluster aurora-prod-clone (clone of aurora-prod) and instance"),
        (["restore", "aurora-prod-restored", "--latest"], "Create cluster aurora-prod-restored (restore of aurora-prod)"),
        (["snapshot", "manual-2"], "Take manual snapshot manual-2 of aurora-prod? It is kept, and billed, until deleted"),
    ],
    ids=lambda value: value[0] if isinstance(value, list) else "",
)
@pytest.mark.parametrize("tty", [True, False], ids=["declined", "no-terminal"])
def test_a_command_that_creates_billable_resources_asks_first_and_creates_nothing_when_declined(aws, argv, asked, tty):
    stdin = Terminal("n\n", tty=tty)
    code, out, err = run(["--cluster", "aurora-prod", *argv], stdin=stdin)
    assert (code, out) == (1, "")
    assert "error: not confirmed" in err.splitlines()[-1]
    assert (asked in err) == stdin.isatty()
    assert [c["DBClusterIdentifier"] for c in aws["rds"].describe_db_clusters()["DBClusters"]] == ["aurora-prod"]
    assert aws["rds"].describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"] == []
