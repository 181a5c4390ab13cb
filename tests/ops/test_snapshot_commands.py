"""copy-snapshot and export-snapshot against moto, the copy's wait through a Stubber (moto copies
at once); wake through a Stubber (the Data API's resuming answer)."""

import json

import boto3
import pytest

from awscalls.errors import OperationError
from ops.snapshot_ops import wake
from tests.helpers import FakeClock, create_moto_cluster
from tests.ops.ops_harness import StubSession, run


@pytest.fixture
def snapshot(moto_rds):
    create_moto_cluster(moto_rds, StorageEncrypted=True)
    moto_rds.create_db_cluster_snapshot(DBClusterIdentifier="aurora-prod", DBClusterSnapshotIdentifier="nightly")
    return moto_rds


def test_copy_snapshot_lands_in_the_dr_region_with_its_key(snapshot):
    key = boto3.client("kms", region_name="us-west-2").create_key(Description="DR copies")["KeyMetadata"]["Arn"]
    code, out, err = run(
        ["--region", "us-east-1", "--json", "copy-snapshot", "nightly", "--to-region", "us-west-2", "--kms-key", key]
    )
    assert code == 0, err
    copied = boto3.client("rds", region_name="us-west-2").describe_db_cluster_snapshots(
        DBClusterSnapshotIdentifier="nightly-us-west-2-20261126120000"
    )["DBClusterSnapshots"][0]
    assert copied["Status"] == "available"
    assert copied["KmsKeyId"] == key
    assert json.loads(out)["snapshot"] == "nightly-us-west-2-20261126120000"


def test_copy_of_an_encrypted_snapshot_needs_a_key(snapshot):
    code, _, err = run(["--region", "us-east-1", "copy-snapshot", "nightly", "--to-region", "us-west-2"])
    assert (code, err) == (1, "error: snapshot 'nightly' is encrypted: pass --kms-key with a KMS key of us-west-2\n")


def test_copy_to_the_same_region_is_refused(snapshot):
    code, _, err = run(["--region", "us-east-1", "copy-snapshot", "nightly", "--to-region", "us-east-1", "--kms-key", "k"])
    assert (code, err) == (1, "error: --to-region us-east-1 is the snapshot's own region: choose another region\n")


def test_unknown_snapshot_is_one_line(snapshot):
    code, _, err = run(["--region", "us-east-1", "copy-snapshot", "nope", "--to-region", "us-west-2", "--kms-key", "k"])
    assert code == 1 and err.count("\n") == 1
    assert "cluster snapshot 'nope' not found in this account in region us-east-1" in err


def test_export_snapshot_starts_a_task(snapshot):
    argv = [
        "--region",
        "us-east-1",
        "--json",
        "export-snapshot",
        "nightly",
        "--bucket",
        "exports",
        "--role-arn",
        "arn:aws:iam::123456789012:role/rds-export",
        "--kms-key",
        "arn:aws:kms:us-east-1:123456789012:key/export",
    ]
    code, out, err = run(argv)
    assert code == 0, err
    task_id = json.loads(out)["exportTask"]
    assert task_id == "nightly-export-20261126120000"
    task = snapshot.describe_export_tasks(ExportTaskIdentifier=task_id)["ExportTasks"][0]
    assert (task["S3Bucket"], task["IamRoleArn"]) == ("exports", "arn:aws:iam::123456789012:role/rds-export")
    assert task["SourceArn"].endswith(":cluster-snapshot:nightly")


def test_wake_retries_while_resuming_and_reports_the_time(stub):
    rds, rds_stubber = stub("rds")
    data_api, data_stubber = stub("rds-data")
    arn, secret = (
        "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
    )
    rds_stubber.add_response(
        "describe_db_clusters",
        {"DBClusters": [{"DBClusterIdentifier": "aurora-dev", "DBClusterArn": arn, "MasterUserSecret": {"SecretArn": secret}}]},
        {"DBClusterIdentifier": "aurora-dev"},
    )
    for _ in range(2):
        data_stubber.add_client_error("execute_statement", service_error_code="DatabaseResumingException", http_status_code=400)
    data_stubber.add_response(
        "execute_statement", {"records": [[{"longValue": 1}]]}, {"resourceArn": arn, "secretArn": secret, "sql": "SELECT 1"}
    )
    clock, messages = FakeClock(), []
    result = wake(rds, data_api, "aurora-dev", clock, clock.sleep, messages.append)
    assert result == {"cluster": "aurora-dev", "wasPaused": True, "secondsToAnswer": 6.0}
    assert clock.sleeps == [2, 4]
    assert messages[0].startswith("the database is resuming from auto-pause")


def test_wake_needs_the_managed_secret(stub):
    rds, stubber = stub("rds")
    stubber.add_response(
        "describe_db_clusters",
        {"DBClusters": [{"DBClusterIdentifier": "c", "DBClusterArn": "arn:aws:rds:us-east-1:1:cluster:c"}]},
        {"DBClusterIdentifier": "c"},
    )
    with pytest.raises(OperationError, match="has no managed master secret"):
        wake(rds, None, "c", FakeClock(), lambda s: None, lambda m: None)


def test_copy_snapshot_waits_through_the_copying_states_and_reports_the_seconds(stub):
    source, source_stubber = stub("rds")
    target, target_stubber = stub("rds")
    arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:aurora-prod-2026-11-26-05-00"
    source_stubber.add_response(
        "describe_db_cluster_snapshots",
        {"DBClusterSnapshots": [{"DBClusterSnapshotArn": arn, "StorageEncrypted": False}]},
        {"DBClusterSnapshotIdentifier": "rds:aurora-prod-2026-11-26-05-00"},
    )
    name = "aurora-prod-2026-11-26-05-00-us-west-2-20261126120000"
    target_stubber.add_response("describe_db_cluster_snapshots", {"DBClusterSnapshots": []}, {"SnapshotType": "manual"})
    target_stubber.add_response(
        "copy_db_cluster_snapshot",
        {},
        {
            "SourceDBClusterSnapshotIdentifier": arn,
            "TargetDBClusterSnapshotIdentifier": name,
            "SourceRegion": "us-east-1",
            "CopyTags": True,
        },
    )
    for state in ("creating", "copying", "copying", "available", "available"):
        target_stubber.add_response(
            "describe_db_cluster_snapshots",
            {
                "DBClusterSnapshots": [
                    {"Status": state, "DBClusterSnapshotArn": f"arn:aws:rds:us-west-2:1:cluster-snapshot:{name}"}
                ]
            },
            {"DBClusterSnapshotIdentifier": name},
        )

    class TwoRegions(StubSession):
        def client(self, service, region_name=None, config=None):
            return source if region_name == "us-east-1" else target

    clock = FakeClock()
    code, out, err = run(
        ["--json", "copy-snapshot", "rds:aurora-prod-2026-11-26-05-00", "--to-region", "us-west-2"],
        TwoRegions(),
        clock=clock,
        interval=30,
    )
    assert code == 0, err
    assert json.loads(out)["seconds"] == 90
    assert clock.sleeps == [30, 30, 30]
    assert "waiting for the copy in us-west-2: copying (30s)" in err


@pytest.mark.parametrize(
    ("snapshot", "copy_name"),
    [
        ("rds:aurora-prod-2026-11-26-05-00", "aurora-prod-2026-11-26-05-00-us-west-2-20261126120000"),
        ("a" * 63, "a" * 38 + "-us-west-2-20261126120000"),
        ("nightly--copy-", "nightly-copy-us-west-2-20261126120000"),
    ],
)
def test_copy_names_fit_the_identifier_rules(snapshot, copy_name):
    from ops.identifiers import CLUSTER_SNAPSHOT, fit

    derived = fit(snapshot, "-us-west-2-20261126120000", CLUSTER_SNAPSHOT)
    assert derived == copy_name
    assert CLUSTER_SNAPSHOT.problem(derived) is None


def test_export_task_names_keep_their_time_and_stay_within_60_characters():
    from ops.identifiers import EXPORT_TASK, fit

    derived = fit("rds:" + "b" * 70, "-export-20261126120000", EXPORT_TASK)
    assert derived == "b" * 38 + "-export-20261126120000"
    assert len(derived) == 60
