"""Opt-in twice (AURORA_INTEGRATION=1 and AURORA_INTEGRATION_GLOBAL=1): the global-mode shape
deploys. A provisioned primary without backtrack, a Global Database and a secondary in the DR
region; the master password is generated (Global Database members cannot use a managed one) and
the Data API signs in with the secret that holds it. About 60 minutes and US$2-4 (four db.r7g.large
instance-hours across two regions, plus replicated storage)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from .stacks import DR_REGION, REGION, RUN, delete_leftovers, deployed, enabled, settle

pytestmark = [
    enabled,
    pytest.mark.skipif(
        os.environ.get("AURORA_INTEGRATION_GLOBAL") != "1",
        reason="global-mode integration test: also set AURORA_INTEGRATION_GLOBAL=1 (costs more, see docs/testing.md)",
    ),
]

CLUSTER = f"aurora-it-{RUN}-global"


def test_global_mode_deploys_settles_and_its_secret_signs_in() -> None:
    import boto3

    from awscalls.data_api import DataApiSession

    rds = boto3.client("rds", region_name=REGION)
    config = {
        "aurora:capacityType": "provisioned",
        "aurora:clusterName": CLUSTER,
        "aurora:provisioned": '{"instanceClass": "db.r7g.large", "readers": 0, "backtrackHours": 0}',
        "aurora:deletionProtection": "false",
        "aurora:disasterRecovery": f'{{"region": "{DR_REGION}", "mode": "global", "instances": 1}}',
    }
    try:
        with deployed(f"it-{RUN}-global", config) as stack:
            outputs: dict[str, Any] = {key: value.value for key, value in stack.outputs().items()}
            cluster = rds.describe_db_clusters(DBClusterIdentifier=CLUSTER)["DBClusters"][0]
            assert "MasterUserSecret" not in cluster
            secondary = boto3.client("rds", region_name=DR_REGION).describe_db_clusters(
                DBClusterIdentifier=outputs["drClusterIdentifier"]
            )["DBClusters"][0]
            assert secondary["StorageEncrypted"] is True
            session = DataApiSession(boto3.client("rds-data", region_name=REGION), outputs["clusterArn"], outputs["secretArn"])
            assert session.query("SELECT 1") == [[1]]
            settle(stack)
    finally:
        delete_leftovers(rds, [CLUSTER])
        delete_leftovers(boto3.client("rds", region_name=DR_REGION), [f"{CLUSTER}-{DR_REGION}"])
