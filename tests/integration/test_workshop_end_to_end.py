"""End to end against a real AWS account (opt-in): deploy a throwaway dev stack, check it, promote
it to a throwaway prod stack, check that, destroy both and the snapshots they leave behind.

Enabled only when AURORA_INTEGRATION=1. It needs the Pulumi CLI (logged in to a backend), AWS
credentials allowed to create everything the program declares, and about 60-90 minutes. It costs
roughly US$1-3 (a Serverless v2 writer for the dev part, two db.r7g.large for the prod part, and
snapshots deleted at the end). See the README, "Integration test".
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("AURORA_INTEGRATION") != "1",
    reason="real AWS integration test: set AURORA_INTEGRATION=1 (costs money, see README)",
)

PROJECT = Path(__file__).resolve().parents[2]
REGION = os.environ.get("AURORA_INTEGRATION_REGION", "us-east-1")
RUN = uuid.uuid4().hex[:6]
DEV_CLUSTER, PROD_CLUSTER = f"aurora-it-{RUN}-dev", f"aurora-it-{RUN}-prod"


def _stack(name: str, config: dict[str, str]):
    from pulumi import automation as auto

    stack = auto.create_or_select_stack(stack_name=name, work_dir=str(PROJECT))
    stack.set_all_config({key: auto.ConfigValue(value) for key, value in config.items()})
    return stack


def _qualified_name(stack) -> str:
    """`org/aurora/stack` as a StackReference needs it: self-managed backends use `organization`."""
    who = stack.workspace.who_am_i()
    self_managed = (who.url or "").split("://")[0] in ("s3", "file", "gs", "azblob")
    organization = os.environ.get("AURORA_INTEGRATION_ORG") or ("organization" if self_managed else who.user)
    return f"{organization}/aurora/{stack.name}"


def _destroy(stack) -> None:
    # Throwaway stacks only: protect exists to stop exactly this on real ones.
    subprocess.run(["pulumi", "state", "unprotect", "--all", "--yes", "--stack", stack.name], cwd=PROJECT, check=False)
    stack.destroy(on_output=print)
    stack.workspace.remove_stack(stack.name)


def _delete_leftovers(rds) -> None:
    """Final, promotion and retained automated backups of the throwaway clusters."""
    for cluster in (DEV_CLUSTER, PROD_CLUSTER):
        for snapshot in rds.describe_db_cluster_snapshots(DBClusterIdentifier=cluster, SnapshotType="manual")[
            "DBClusterSnapshots"
        ]:
            rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=snapshot["DBClusterSnapshotIdentifier"])
        for backup in rds.describe_db_cluster_automated_backups(DBClusterIdentifier=cluster).get("DBClusterAutomatedBackups", []):
            rds.delete_db_cluster_automated_backup(DbClusterResourceId=backup["DbClusterResourceId"])
    promotion = f"{PROD_CLUSTER}-promotion"
    if rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=promotion).get("DBClusterSnapshots"):
        rds.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=promotion)


@pytest.fixture(scope="module")
def rds():
    import boto3

    return boto3.client("rds", region_name=REGION)


@contextmanager
def deployed(name: str, config: dict[str, str]) -> Iterator:
    """A stack brought up for the test and always destroyed afterwards, even after a failed up."""
    stack = _stack(name, {"aws:region": REGION, "aurora:client": "none", **config})
    try:
        stack.up(on_output=print)
        yield stack
    finally:
        _destroy(stack)


@pytest.fixture(scope="module")
def dev_stack(rds) -> Iterator:
    serverless = '{"minCapacity": 0, "maxCapacity": 2, "secondsUntilAutoPause": 300}'
    dev_config = {"aurora:capacityType": "serverless", "aurora:clusterName": DEV_CLUSTER, "aurora:serverless": serverless}
    try:
        with deployed(f"it-{RUN}-dev", {**dev_config, "aurora:sampleData": "true", "aurora:backupRetentionDays": "1"}) as stack:
            yield stack
    finally:
        # Torn down last (prod depends on it): what both clusters left behind goes now.
        _delete_leftovers(rds)


@pytest.fixture(scope="module")
def prod_stack(dev_stack) -> Iterator:
    provisioned = '{"instanceClass": "db.r7g.large", "readers": 1, "backtrackHours": 1}'
    config = {
        "aurora:capacityType": "provisioned",
        "aurora:clusterName": PROD_CLUSTER,
        "aurora:restoreFrom": f'{{"stack": "{_qualified_name(dev_stack)}"}}',
        "aurora:provisioned": provisioned,
        # RDS deletion protection off, so the throwaway cluster can be destroyed.
        "aurora:deletionProtection": "false",
    }
    with deployed(f"it-{RUN}-prod", config) as stack:
        yield stack


def test_dev_cluster_is_available_and_pauses(dev_stack, rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier=DEV_CLUSTER)["DBClusters"][0]
    assert cluster["Status"] == "available"
    assert cluster["StorageEncrypted"] is True
    assert cluster["ServerlessV2ScalingConfiguration"]["MinCapacity"] == 0
    assert cluster["ServerlessV2ScalingConfiguration"]["SecondsUntilAutoPause"] == 300
    assert cluster["HttpEndpointEnabled"] is True


def test_dev_has_the_eight_planets_through_the_data_api(dev_stack):
    import boto3

    from ops.data_api import DataApiSession

    outputs = dev_stack.outputs()
    session = DataApiSession(
        boto3.client("rds-data", region_name=REGION), outputs["clusterArn"].value, outputs["secretArn"].value
    )
    assert session.query("SELECT COUNT(*) FROM tutorial.planet") == [[8]]


def test_promoted_prod_backtracks_and_reads_from_another_zone(prod_stack, rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier=PROD_CLUSTER)["DBClusters"][0]
    assert cluster["BacktrackWindow"] == 3600
    members = {m["DBInstanceIdentifier"]: m["IsClusterWriter"] for m in cluster["DBClusterMembers"]}
    zones = {
        identifier: rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0]["AvailabilityZone"]
        for identifier in members
    }
    writer_zone = next(zones[i] for i, is_writer in members.items() if is_writer)
    reader_zones = [zones[i] for i, is_writer in members.items() if not is_writer]
    assert reader_zones and all(zone != writer_zone for zone in reader_zones)
