"""Opt-in (AURORA_INTEGRATION=1): a dev stack destroyed, brought up again with the same cluster
name and destroyed again. Each destroy leaves a final snapshot; their names differ per incarnation,
so the second destroy does not fail with DBClusterSnapshotAlreadyExists. About 30-40 minutes and
well under US$1 (a paused Serverless v2 writer)."""

from __future__ import annotations

from .stacks import REGION, RUN, SERVERLESS, delete_leftovers, destroy, enabled, stack

pytestmark = enabled

CLUSTER = f"aurora-it-{RUN}-again"


def test_a_recreated_dev_stack_destroys_again_without_a_snapshot_collision():
    import boto3

    rds = boto3.client("rds", region_name=REGION)
    config = {
        "aurora:capacityType": "serverless",
        "aurora:clusterName": CLUSTER,
        "aurora:serverless": SERVERLESS,
        "aurora:client": "none",
        "aurora:backupRetentionDays": "1",
    }
    dev = stack(f"it-{RUN}-again", config)
    try:
        for _ in range(2):
            dev.up(on_output=print)
            destroy(dev, remove=False)
        finals = [
            s["DBClusterSnapshotIdentifier"]
            for s in rds.describe_db_cluster_snapshots(DBClusterIdentifier=CLUSTER, SnapshotType="manual")["DBClusterSnapshots"]
        ]
        assert len(finals) == 2 and len(set(finals)) == 2
        assert all(name.startswith(f"{CLUSTER}-final-") for name in finals)
    finally:
        destroy(dev)
        delete_leftovers(rds, [CLUSTER])
