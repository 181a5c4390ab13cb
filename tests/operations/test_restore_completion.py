"""Switching on, after a restore, what RestoreDBClusterFromSnapshot skipped (Stubber: moto lacks EnableHttpEndpoint)."""

import pytest

from ops.restore_completion import RestoredFeatures, complete_restore

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
FEATURES = RestoredFeatures(
    "aurora-prod", data_api=True, iam_authentication=True, insights_mode="standard", insights_retention_days=7
)


@pytest.fixture
def stubbed(stub):
    return stub("rds")


def cluster(**fields):
    return {"DBClusters": [{"DBClusterIdentifier": "aurora-prod", "DBClusterArn": ARN, "Status": "available", **fields}]}


def test_a_fresh_restore_gets_iam_auth_insights_and_the_data_api(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    stubber.add_response(
        "modify_db_cluster",
        {},
        {
            "DBClusterIdentifier": "aurora-prod",
            "ApplyImmediately": True,
            "EnableIAMDatabaseAuthentication": True,
            "DatabaseInsightsMode": "standard",
            "EnablePerformanceInsights": True,
            "PerformanceInsightsRetentionPeriod": 7,
        },
    )
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    stubber.add_response("enable_http_endpoint", {"ResourceArn": ARN, "HttpEndpointEnabled": True}, {"ResourceArn": ARN})
    messages = []
    done = complete_restore(client, FEATURES, messages.append)
    assert done == [
        "modified: DatabaseInsightsMode, EnableIAMDatabaseAuthentication, EnablePerformanceInsights, PerformanceInsightsRetentionPeriod",
        "Data API enabled",
    ]
    assert messages[-1] == "aurora-prod: Data API enabled"


def test_a_rerun_after_everything_was_applied_changes_nothing(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(HttpEndpointEnabled=True, IAMDatabaseAuthenticationEnabled=True, DatabaseInsightsMode="standard"),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    assert complete_restore(client, FEATURES, lambda _: None) == []
