"""Switching on, after a restore, what RestoreDBClusterFromSnapshot skipped (Stubber: moto lacks EnableHttpEndpoint)."""

import botocore.session
import pytest

from ops.restore_completion import RestoredFeatures, complete_restore

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
FEATURES = RestoredFeatures(
    "aurora-prod",
    data_api=True,
    iam_authentication=True,
    insights_mode="standard",
    performance_insights=True,
    insights_retention_days=7,
)
INSIGHTS_ON = {
    "DatabaseInsightsMode": "standard",
    "EnablePerformanceInsights": True,
    "PerformanceInsightsRetentionPeriod": 7,
}


@pytest.fixture
def stubbed(stub):
    return stub("rds")


def cluster(**fields):
    return {"DBClusters": [{"DBClusterIdentifier": "aurora-prod", "DBClusterArn": ARN, "Status": "available", **fields}]}


def expect_modify(stubber, **parameters):
    stubber.add_response("modify_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod", "ApplyImmediately": True, **parameters})
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})


def test_a_fresh_restore_gets_iam_auth_insights_and_the_data_api(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    stubber.add_response("enable_http_endpoint", {"ResourceArn": ARN, "HttpEndpointEnabled": True}, {"ResourceArn": ARN})
    messages = []
    done = complete_restore(client, FEATURES, messages.append)
    assert done == [
        "modified: DatabaseInsightsMode, EnableIAMDatabaseAuthentication, EnablePerformanceInsights, PerformanceInsightsRetentionPeriod",
        "Data API enabled",
    ]
    assert messages[-1] == "aurora-prod: Data API enabled"


def test_standard_mode_reported_without_performance_insights_still_turns_them_on(stubbed):
    """A cluster whose insights mode was never set reports `standard` with Performance Insights off
    (terraform-provider-aws internal/service/rds/cluster_test.go, TestAccRDSCluster_basic), which is
    what a restore leaves: the mode alone must not count as done."""
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(
            HttpEndpointEnabled=True,
            IAMDatabaseAuthenticationEnabled=True,
            DatabaseInsightsMode="standard",
            PerformanceInsightsEnabled=False,
            PerformanceInsightsRetentionPeriod=7,
        ),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    expect_modify(stubber, **INSIGHTS_ON)
    assert complete_restore(client, FEATURES, lambda _: None) == [
        "modified: DatabaseInsightsMode, EnablePerformanceInsights, PerformanceInsightsRetentionPeriod"
    ]


def test_a_different_retention_is_corrected(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(
            HttpEndpointEnabled=True,
            IAMDatabaseAuthenticationEnabled=True,
            DatabaseInsightsMode="standard",
            PerformanceInsightsEnabled=True,
            PerformanceInsightsRetentionPeriod=31,
        ),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    expect_modify(stubber, **INSIGHTS_ON)
    assert complete_restore(client, FEATURES, lambda _: None) != []


def test_a_rerun_after_everything_was_applied_changes_nothing(stubbed):
    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(
            HttpEndpointEnabled=True,
            IAMDatabaseAuthenticationEnabled=True,
            DatabaseInsightsMode="standard",
            PerformanceInsightsEnabled=True,
            PerformanceInsightsRetentionPeriod=7,
        ),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    assert complete_restore(client, FEATURES, lambda _: None) == []


def test_the_cluster_description_carries_every_field_the_completion_compares():
    """botocore's RDS model, shape DBCluster (DescribeDBClusters output): the fields read here exist."""
    shape = botocore.session.get_session().get_service_model("rds").shape_for("DBCluster")
    assert {
        "DatabaseInsightsMode",
        "PerformanceInsightsEnabled",
        "PerformanceInsightsRetentionPeriod",
        "IAMDatabaseAuthenticationEnabled",
        "HttpEndpointEnabled",
    } <= set(shape.members)


def test_a_failed_completion_says_the_cluster_exists_and_how_to_finish(monkeypatch, stubbed):
    """The dynamic provider host sends `pulumi.log` to its stderr only (delivery-facts): the error
    raised is what the user sees, so it names the cluster and the next step."""
    import boto3

    from components.restore_completion import RestoreCompletionError, RestoreCompletionProvider

    client, stubber = stubbed
    stubber.add_client_error("describe_db_clusters", "DBClusterNotFoundFault", "not found", 404)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    props = {**FEATURES.__dict__, "region": "us-east-1", "applied": None}
    with pytest.raises(RestoreCompletionError) as caught:
        RestoreCompletionProvider().create(props)
    assert str(caught.value).startswith("aurora-prod was restored, but switching on what the restore skips")
    assert str(caught.value).endswith("the completion is retried and only applies what is still missing")


def test_a_successful_completion_records_what_it_applied(monkeypatch, stubbed):
    import boto3

    from components.restore_completion import RestoreCompletionProvider

    client, stubber = stubbed
    stubber.add_response(
        "describe_db_clusters",
        cluster(
            HttpEndpointEnabled=True,
            IAMDatabaseAuthenticationEnabled=False,
            DatabaseInsightsMode="standard",
            PerformanceInsightsEnabled=True,
            PerformanceInsightsRetentionPeriod=7,
        ),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    monkeypatch.setattr("pulumi.log.info", lambda *args, **kwargs: None)
    result = RestoreCompletionProvider().create({**FEATURES.__dict__, "region": "us-east-1", "applied": None})
    assert result.outs["applied"] == ["modified: EnableIAMDatabaseAuthentication"]


def test_a_restore_with_a_stack_key_switches_performance_insights_on_with_that_key(stubbed):
    """ModifyDBCluster PerformanceInsightsKMSKeyId (botocore rds model): accepted only while
    Performance Insights is first switched on; the key can never change after."""
    client, stubber = stubbed
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    features = RestoredFeatures(**{**FEATURES.__dict__, "insights_kms_key_id": key})
    stubber.add_response(
        "describe_db_clusters",
        cluster(HttpEndpointEnabled=True, IAMDatabaseAuthenticationEnabled=True),
        {"DBClusterIdentifier": "aurora-prod"},
    )
    expect_modify(stubber, **INSIGHTS_ON, PerformanceInsightsKMSKeyId=key)
    assert complete_restore(client, features, lambda message: None) == [
        "modified: DatabaseInsightsMode, EnablePerformanceInsights, PerformanceInsightsKMSKeyId, PerformanceInsightsRetentionPeriod"
    ]


def test_performance_insights_already_on_keeps_its_key():
    from ops.restore_completion import insights_changes

    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    features = RestoredFeatures(**{**FEATURES.__dict__, "insights_retention_days": 465, "insights_kms_key_id": key})
    on = {"DatabaseInsightsMode": "standard", "PerformanceInsightsEnabled": True, "PerformanceInsightsRetentionPeriod": 7}
    assert "PerformanceInsightsKMSKeyId" not in insights_changes(on, features)
