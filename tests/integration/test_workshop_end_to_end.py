"""End to end against a real AWS account (opt-in): deploy a throwaway dev stack, check it, promote
it to a throwaway prod stack, check that, prove both settle (a refreshed preview plans nothing),
destroy both and the snapshots they leave behind. About 60-90 minutes and US$1-3 (docs/testing.md,
"Integration test").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .stacks import REGION, RUN, SERVERLESS, delete_leftovers, deployed, enabled, qualified_name, settle

pytestmark = enabled

DEV_CLUSTER, PROD_CLUSTER = f"aurora-it-{RUN}-dev", f"aurora-it-{RUN}-prod"


@pytest.fixture(scope="module")
def rds() -> Any:
    import boto3

    return boto3.client("rds", region_name=REGION)


@pytest.fixture(scope="module")
def dev_stack(rds) -> Iterator[Any]:
    config = {
        "aurora:capacityType": "serverless",
        "aurora:clusterName": DEV_CLUSTER,
        "aurora:serverless": SERVERLESS,
        "aurora:sampleData": "true",
        "aurora:backupRetentionDays": "1",
    }
    try:
        with deployed(f"it-{RUN}-dev", config) as stack:
            yield stack
    finally:
        # Torn down last (prod depends on it): what both clusters left behind goes now.
        delete_leftovers(rds, [DEV_CLUSTER, PROD_CLUSTER])


@pytest.fixture(scope="module")
def prod_stack(dev_stack) -> Iterator[Any]:
    config = {
        "aurora:capacityType": "provisioned",
        "aurora:clusterName": PROD_CLUSTER,
        "aurora:restoreFrom": f'{{"stack": "{qualified_name(dev_stack)}"}}',
        "aurora:provisioned": '{"instanceClass": "db.r7g.large", "readers": 1, "backtrackHours": 1}',
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

    from awscalls.data_api import DataApiSession

    outputs = dev_stack.outputs()
    session = DataApiSession(
        boto3.client("rds-data", region_name=REGION), outputs["clusterArn"].value, outputs["secretArn"].value
    )
    assert session.query("SELECT COUNT(*) FROM tutorial.planet") == [[8]]


def test_dev_settles_after_up(dev_stack):
    settle(dev_stack)


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


def test_promoted_prod_has_performance_insights_and_what_the_restore_skipped(prod_stack, rds):
    cluster = rds.describe_db_clusters(DBClusterIdentifier=PROD_CLUSTER)["DBClusters"][0]
    assert cluster["PerformanceInsightsEnabled"] is True
    assert cluster["PerformanceInsightsRetentionPeriod"] == 7
    assert cluster["DatabaseInsightsMode"] == "standard"
    assert cluster["IAMDatabaseAuthenticationEnabled"] is True and cluster["HttpEndpointEnabled"] is True
    assert (
        cluster["MasterUsername"] == rds.describe_db_clusters(DBClusterIdentifier=DEV_CLUSTER)["DBClusters"][0]["MasterUsername"]
    )


def test_prod_settles_after_up(prod_stack):
    settle(prod_stack)
