"""Switching on, after a restore, what RestoreDBClusterFromSnapshot skipped (Stubber: moto lacks
EnableHttpEndpoint and reports no pending modifications). Every wait runs on a fake clock: the
sleeps are recorded, never slept."""

import botocore.session
import pytest

from awscalls.restored_cluster import CompletionError, Pacing, RestoredFeatures, complete_restore
from tests.helpers import FakeClock

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
WRITER = "aurora-prod-instance-1"
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
# What the completion returns once everything is applied: the cluster's end state for each setting.
END_STATE = [
    "IAMDatabaseAuthenticationEnabled: True",
    "DatabaseInsightsMode: standard",
    "PerformanceInsightsEnabled: True",
    "PerformanceInsightsRetentionPeriod: 7",
    "HttpEndpointEnabled: True",
]
# What DescribeDBClusters reports once the modification is applied.
APPLIED = {
    "IAMDatabaseAuthenticationEnabled": True,
    "DatabaseInsightsMode": "standard",
    "PerformanceInsightsEnabled": True,
    "PerformanceInsightsRetentionPeriod": 7,
}


@pytest.fixture
def stubbed(stub):
    return stub("rds")


@pytest.fixture
def fake_time():
    return FakeClock()


def pacing(fake_time, **bounds):
    return Pacing(clock=fake_time, sleep=fake_time.sleep, **bounds)


def cluster(**fields):
    return {
        "DBClusters": [
            {
                "DBClusterIdentifier": "aurora-prod",
                "DBClusterArn": ARN,
                "Status": "available",
                "DBClusterMembers": [{"DBInstanceIdentifier": WRITER, "IsClusterWriter": True}],
                **fields,
            }
        ]
    }


def expect_cluster(stubber, **fields):
    stubber.add_response("describe_db_clusters", cluster(**fields), {"DBClusterIdentifier": "aurora-prod"})


def expect_look(stubber, member_status="available", member_pending=None, **fields):
    """One look of the waits: the cluster, then its member instances (filter db-cluster-id)."""
    expect_cluster(stubber, **fields)
    member = {"DBInstanceIdentifier": WRITER, "DBInstanceStatus": member_status}
    if member_pending:
        member["PendingModifiedValues"] = member_pending
    stubber.add_response(
        "describe_db_instances",
        {"DBInstances": [member]},
        {"Filters": [{"Name": "db-cluster-id", "Values": ["aurora-prod"]}]},
    )


def expect_modify(stubber, **parameters):
    stubber.add_response("modify_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod", "ApplyImmediately": True, **parameters})


def expect_data_api(stubber):
    stubber.add_response("enable_http_endpoint", {"ResourceArn": ARN, "HttpEndpointEnabled": True}, {"ResourceArn": ARN})


def busy(stubber, code="InvalidResourceStateFault"):
    stubber.add_client_error("enable_http_endpoint", code, "another operation is in progress", 400)


def test_a_fresh_restore_gets_iam_auth_insights_and_the_data_api(stubbed):
    client, stubber = stubbed
    expect_look(
        stubber,
        HttpEndpointEnabled=False,
        IAMDatabaseAuthenticationEnabled=False,
    )
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    expect_look(stubber, **APPLIED)
    expect_data_api(stubber)
    messages = []
    done = complete_restore(client, FEATURES, messages.append, pacing(FakeClock()))
    assert done == END_STATE
    assert messages[0] == (
        "aurora-prod: modified: DatabaseInsightsMode, EnableIAMDatabaseAuthentication, EnablePerformanceInsights, "
        "PerformanceInsightsRetentionPeriod"
    )
    assert messages[-1] == "aurora-prod: Data API enabled"


def test_standard_mode_reported_without_performance_insights_still_turns_them_on(stubbed):
    """A cluster whose insights mode was never set reports `standard` with Performance Insights off
    (terraform-provider-aws internal/service/rds/cluster_test.go, TestAccRDSCluster_basic), which is
    what a restore leaves: the mode alone must not count as done."""
    client, stubber = stubbed
    expect_look(
        stubber,
        HttpEndpointEnabled=True,
        IAMDatabaseAuthenticationEnabled=True,
        DatabaseInsightsMode="standard",
        PerformanceInsightsEnabled=False,
        PerformanceInsightsRetentionPeriod=7,
    )
    expect_modify(stubber, **INSIGHTS_ON)
    expect_look(stubber, HttpEndpointEnabled=True, **APPLIED)
    messages = []
    assert complete_restore(client, FEATURES, messages.append, pacing(FakeClock())) == END_STATE
    assert messages == [
        "aurora-prod: modified: DatabaseInsightsMode, EnablePerformanceInsights, PerformanceInsightsRetentionPeriod"
    ]


def test_a_different_retention_is_corrected(stubbed):
    client, stubber = stubbed
    expect_look(
        stubber,
        HttpEndpointEnabled=True,
        IAMDatabaseAuthenticationEnabled=True,
        DatabaseInsightsMode="standard",
        PerformanceInsightsEnabled=True,
        PerformanceInsightsRetentionPeriod=31,
    )
    expect_modify(stubber, **INSIGHTS_ON)
    expect_look(stubber, HttpEndpointEnabled=True, **APPLIED)
    messages = []
    assert complete_restore(client, FEATURES, messages.append, pacing(FakeClock())) == END_STATE
    assert messages == [
        "aurora-prod: modified: DatabaseInsightsMode, EnablePerformanceInsights, PerformanceInsightsRetentionPeriod"
    ]


def test_a_rerun_after_everything_was_applied_changes_nothing(stubbed):
    client, stubber = stubbed
    expect_look(
        stubber,
        HttpEndpointEnabled=True,
        IAMDatabaseAuthenticationEnabled=True,
        DatabaseInsightsMode="standard",
        PerformanceInsightsEnabled=True,
        PerformanceInsightsRetentionPeriod=7,
    )
    messages = []
    assert complete_restore(client, FEATURES, messages.append) == END_STATE
    assert messages == []


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


def test_a_successful_completion_records_the_clusters_end_state(monkeypatch, stubbed):
    import boto3

    from components.restore_completion import RestoreCompletionProvider

    client, stubber = stubbed
    expect_look(
        stubber,
        HttpEndpointEnabled=True,
        IAMDatabaseAuthenticationEnabled=False,
        DatabaseInsightsMode="standard",
        PerformanceInsightsEnabled=True,
        PerformanceInsightsRetentionPeriod=7,
    )
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True)
    expect_look(stubber, HttpEndpointEnabled=True, **APPLIED)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    monkeypatch.setattr("components.restore_completion.PACING", pacing(FakeClock()))
    messages = []
    monkeypatch.setattr("pulumi.log.info", lambda message, *args, **kwargs: messages.append(message))
    result = RestoreCompletionProvider().create({**FEATURES.__dict__, "region": "us-east-1", "applied": None})
    assert result.outs["applied"] == END_STATE
    assert messages == ["aurora-prod: modified: EnableIAMDatabaseAuthentication"]


def test_a_restore_with_a_stack_key_switches_performance_insights_on_with_that_key(stubbed):
    """ModifyDBCluster PerformanceInsightsKMSKeyId (botocore rds model): accepted only while
    Performance Insights is first switched on; the key can never change after."""
    client, stubber = stubbed
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    features = RestoredFeatures(**{**FEATURES.__dict__, "insights_kms_key_id": key})
    expect_look(
        stubber,
        HttpEndpointEnabled=True,
        IAMDatabaseAuthenticationEnabled=True,
    )
    expect_modify(stubber, **INSIGHTS_ON, PerformanceInsightsKMSKeyId=key)
    expect_look(stubber, HttpEndpointEnabled=True, PerformanceInsightsKMSKeyId=key, **APPLIED)
    messages = []
    assert complete_restore(client, features, messages.append, pacing(FakeClock())) == [
        *END_STATE[:4],
        f"PerformanceInsightsKMSKeyId: {key}",
        END_STATE[4],
    ]
    assert messages == [
        "aurora-prod: modified: DatabaseInsightsMode, EnablePerformanceInsights, PerformanceInsightsKMSKeyId, "
        "PerformanceInsightsRetentionPeriod"
    ]


def test_performance_insights_already_on_keeps_its_key():
    from awscalls.restored_cluster import insights_changes

    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    features = RestoredFeatures(**{**FEATURES.__dict__, "insights_retention_days": 465, "insights_kms_key_id": key})
    on = {"DatabaseInsightsMode": "standard", "PerformanceInsightsEnabled": True, "PerformanceInsightsRetentionPeriod": 7}
    assert "PerformanceInsightsKMSKeyId" not in insights_changes(on, features)


# --- waiting out the modification (item: the race after ModifyDBCluster) ---


def test_botocores_cluster_waiter_returns_at_once_on_available_with_a_modification_pending(stubbed):
    """Why the completion does not use `db_cluster_available`: botocore's RDS waiters-2.json accepts
    `available` (pathAll DBClusters[].Status) on its first DescribeDBClusters, before any delay and
    whatever PendingModifiedValues holds, so right after ModifyDBCluster it can return before the
    change has started."""
    client, stubber = stubbed
    expect_cluster(stubber, PendingModifiedValues={"IAMDatabaseAuthenticationEnabled": True})
    client.get_waiter("db_cluster_available").wait(DBClusterIdentifier="aurora-prod", WaiterConfig={"Delay": 3600})
    # One call, no sleep: a one-hour delay would have stalled the test.


def test_the_wait_follows_available_then_modifying_then_available(stubbed, fake_time):
    """The provider's pattern (rds/cluster.go, waitDBClusterUpdated): a 30 s first delay, then until
    the cluster is available with no PendingModifiedValues; the Data API is switched on only then."""
    client, stubber = stubbed
    expect_look(stubber, HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False)
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    expect_look(stubber, Status="modifying")
    expect_look(stubber, PendingModifiedValues={"IAMDatabaseAuthenticationEnabled": True})
    expect_look(stubber, **APPLIED)
    expect_data_api(stubber)
    messages = []
    done = complete_restore(client, FEATURES, messages.append, pacing(fake_time))
    assert done == END_STATE
    assert fake_time.sleeps == [30, 15, 15]
    assert messages[1:3] == [
        "aurora-prod: waiting, aurora-prod is modifying (0s)",
        "aurora-prod: waiting, aurora-prod has pending IAMDatabaseAuthenticationEnabled (15s)",
    ]


def test_a_modification_that_never_shows_is_waited_for_within_the_bound_only(stubbed, fake_time):
    """Still `available`, nothing pending, nothing applied: looked at every poll until
    `start_within` has passed since the modify, then the completion goes on."""
    client, stubber = stubbed
    expect_look(stubber, HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False)
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    for _ in range(3):
        expect_look(stubber)
    expect_data_api(stubber)
    messages = []
    complete_restore(client, FEATURES, messages.append, pacing(fake_time, start_within=60))
    assert fake_time.sleeps == [30, 15, 15]
    assert messages[1:4] == [
        "aurora-prod: still available, waiting for the modification to start (30s)",
        "aurora-prod: still available, waiting for the modification to start (45s)",
        "aurora-prod: the modification did not show within 60s; going on",
    ]


def test_a_member_instance_still_modifying_or_pending_is_waited_for(stubbed, fake_time):
    """The cluster reports the change, but its writer is still modifying, then has a pending value:
    both count as not settled (DescribeDBInstances DBInstanceStatus and PendingModifiedValues)."""
    client, stubber = stubbed
    expect_look(stubber, HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False)
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    expect_look(stubber, member_status="modifying", **APPLIED)
    expect_look(stubber, member_pending={"DBInstanceClass": "db.r7g.large"}, **APPLIED)
    expect_look(stubber, **APPLIED)
    expect_data_api(stubber)
    messages = []
    complete_restore(client, FEATURES, messages.append, pacing(fake_time))
    assert fake_time.sleeps == [30, 15, 15]
    assert messages[1:3] == [
        f"aurora-prod: waiting, {WRITER} is modifying (0s)",
        f"aurora-prod: waiting, {WRITER} has pending DBInstanceClass (15s)",
    ]


def test_a_cluster_that_never_settles_stops_with_one_line(stubbed, fake_time):
    client, stubber = stubbed
    expect_look(stubber, HttpEndpointEnabled=False, IAMDatabaseAuthenticationEnabled=False)
    expect_modify(stubber, EnableIAMDatabaseAuthentication=True, **INSIGHTS_ON)
    for _ in range(3):
        expect_look(stubber, Status="modifying")
    with pytest.raises(CompletionError) as caught:
        complete_restore(client, FEATURES, lambda _: None, pacing(fake_time, settle_within=30))
    assert str(caught.value) == (
        "aurora-prod was still not settled after 30s (aurora-prod is modifying): run `pulumi up` again once it "
        "is available; the completion then applies only what is still missing"
    )


def test_a_rerun_meeting_an_earlier_runs_modification_waits_before_switching_the_data_api(stubbed, fake_time):
    """Issue 29: the run that sent ModifyDBCluster failed; the re-run finds the cluster modifying with
    the values already reported, and EnableHttpEndpoint waits until it is available."""
    client, stubber = stubbed
    expect_look(stubber, Status="modifying", HttpEndpointEnabled=False, **APPLIED)
    expect_look(stubber, HttpEndpointEnabled=False, **APPLIED)
    expect_data_api(stubber)
    messages = []
    assert complete_restore(client, FEATURES, messages.append, pacing(fake_time)) == END_STATE
    assert fake_time.sleeps == [15]
    assert messages == ["aurora-prod: waiting, aurora-prod is modifying (0s)", "aurora-prod: Data API enabled"]


def test_a_rerun_does_not_send_again_what_an_earlier_run_has_pending(stubbed, fake_time):
    """Still pending, the earlier run's change is not in the values yet: the re-run waits for it to
    apply, and what is missing is worked out from the settled cluster (no second ModifyDBCluster)."""
    client, stubber = stubbed
    expect_look(stubber, HttpEndpointEnabled=False, PendingModifiedValues={"IAMDatabaseAuthenticationEnabled": True})
    expect_look(stubber, HttpEndpointEnabled=False, **APPLIED)
    expect_data_api(stubber)
    assert complete_restore(client, FEATURES, lambda _: None, pacing(fake_time)) == END_STATE
    assert fake_time.sleeps == [15]


# --- EnableHttpEndpoint on a busy cluster ---


def test_enable_http_endpoint_lists_invalid_resource_state_fault_as_its_state_fault():
    """botocore's RDS model: EnableHttpEndpoint's errors are ResourceNotFoundFault and
    InvalidResourceStateFault ("another operation is in progress"); InvalidDBClusterStateFault is
    ModifyDBCluster's, retried too because the provider retries on it (rds/cluster.go)."""
    model = botocore.session.get_session().get_service_model("rds")
    assert {e.name for e in model.operation_model("EnableHttpEndpoint").error_shapes} == {
        "ResourceNotFoundFault",
        "InvalidResourceStateFault",
    }
    assert "InvalidDBClusterStateFault" in {e.name for e in model.operation_model("ModifyDBCluster").error_shapes}


def already_modified(stubber):
    """A cluster with everything but the Data API, settled: the completion looks once, then switches."""
    expect_look(stubber, HttpEndpointEnabled=False, **APPLIED)


@pytest.mark.parametrize("code", ["InvalidResourceStateFault", "InvalidDBClusterStateFault"])
def test_the_data_api_switch_is_retried_when_the_cluster_is_busy(stubbed, fake_time, code):
    client, stubber = stubbed
    already_modified(stubber)
    busy(stubber, code)
    expect_data_api(stubber)
    messages = []
    assert complete_restore(client, FEATURES, messages.append, pacing(fake_time)) == END_STATE
    assert fake_time.sleeps == [10]
    assert messages[0] == f"aurora-prod: EnableHttpEndpoint answered {code}; retrying in 10s (attempt 1 of 8)"


def test_a_switch_still_refused_past_the_bound_stops_with_one_line(stubbed, fake_time):
    client, stubber = stubbed
    already_modified(stubber)
    for _ in range(3):
        busy(stubber)
    with pytest.raises(CompletionError) as caught:
        complete_restore(client, FEATURES, lambda _: None, pacing(fake_time, switch_delays=(10, 20)))
    assert fake_time.sleeps == [10, 20]
    assert str(caught.value) == (
        "aurora-prod: EnableHttpEndpoint answered InvalidResourceStateFault 3 times over 30s (the cluster stayed "
        "busy): run `pulumi up` again once it is available; the completion then only switches on the Data API"
    )
    assert "\n" not in str(caught.value)


def test_other_faults_of_the_switch_are_not_retried(stubbed, fake_time):
    from botocore.exceptions import ClientError

    client, stubber = stubbed
    already_modified(stubber)
    stubber.add_client_error("enable_http_endpoint", "ResourceNotFoundFault", "no such cluster", 404)
    with pytest.raises(ClientError):
        complete_restore(client, FEATURES, lambda _: None, pacing(fake_time))
    assert fake_time.sleeps == []


def test_the_provider_reports_a_bound_passed_in_one_line(monkeypatch, stubbed, fake_time):
    import boto3

    from components.restore_completion import RestoreCompletionError, RestoreCompletionProvider

    client, stubber = stubbed
    already_modified(stubber)
    busy(stubber)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    monkeypatch.setattr("components.restore_completion.PACING", pacing(fake_time, switch_delays=()))
    with pytest.raises(RestoreCompletionError) as caught:
        RestoreCompletionProvider().create({**FEATURES.__dict__, "region": "us-east-1", "applied": None})
    assert str(caught.value).startswith("aurora-prod was restored, but not completed: aurora-prod: EnableHttpEndpoint")
    assert "\n" not in str(caught.value)


# --- the master secret of a restored cluster (item: prod's secretArn is prod's own) ---

DEV_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
DEV_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1111aaaa-dev-AbCdEf"
PROD_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-2222bbbb-prod-GhIjKl"


def secret_of(secret_arn, status="active"):
    return {"MasterUserSecret": {"SecretArn": secret_arn, "SecretStatus": status}}


def expect_owner(stubber, secret_arn, cluster_arn):
    """DescribeSecret of an RDS-managed secret: RDS tags it with the cluster it belongs to."""
    stubber.add_response(
        "describe_secret",
        {
            "ARN": secret_arn,
            "OwningService": "rds",
            "Tags": [{"Key": "aws:rds:primaryDBClusterArn", "Value": cluster_arn}],
        },
        {"SecretId": secret_arn},
    )


def test_the_owner_tag_and_the_master_secret_are_in_the_models():
    """botocore's models: DBCluster.MasterUserSecret.SecretArn (rds), DescribeSecret's Tags and
    OwningService (secretsmanager). The tag name is the one the AWS managed policy
    AmazonRDSServiceRolePolicy lets RDS put on its `rds!*` secrets."""
    session = botocore.session.get_session()
    assert "SecretArn" in session.get_service_model("rds").shape_for("MasterUserSecret").members
    described = session.get_service_model("secretsmanager").operation_model("DescribeSecret").output_shape.members
    assert {"Tags", "OwningService"} <= set(described)


def test_a_restored_cluster_reporting_the_sources_secret_gets_its_own(stub, fake_time):
    """Right after RestoreDBClusterFromSnapshot the cluster can report the snapshot source's
    MasterUserSecret although its password is not managed (terraform-provider-aws PR #48901, July
    2026): dev's secret is recognised by its owner tag, RDS is asked to manage the password again,
    and the answer is the secret RDS then makes for prod."""
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(DEV_SECRET))
    expect_owner(secrets_stubber, DEV_SECRET, DEV_ARN)
    expect_modify(stubber, ManageMasterUserPassword=True)
    expect_look(stubber, Status="modifying", **secret_of(DEV_SECRET))
    expect_look(stubber, **secret_of(PROD_SECRET, "creating"))
    expect_owner(secrets_stubber, PROD_SECRET, ARN)
    messages = []
    assert own_master_secret(client, secrets, "aurora-prod", messages.append, pacing(fake_time)) == PROD_SECRET
    assert messages[0] == (
        f"aurora-prod: its master secret is not its own ({DEV_SECRET} belongs to {DEV_ARN}); asking RDS to manage its password"
    )


def test_a_cluster_reporting_its_own_secret_is_left_alone(stub, fake_time):
    """The provider's restore path already sends ManageMasterUserPassword after the restore
    (rds/cluster.go, resourceClusterCreate): usually the secret is prod's, and nothing is modified."""
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(PROD_SECRET))
    expect_owner(secrets_stubber, PROD_SECRET, ARN)
    assert own_master_secret(client, secrets, "aurora-prod", lambda _: None, pacing(fake_time)) == PROD_SECRET
    assert fake_time.sleeps == []


def test_a_source_secret_that_is_gone_counts_as_foreign(stub, fake_time):
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(DEV_SECRET))
    secrets_stubber.add_client_error("describe_secret", "ResourceNotFoundException", "gone", 400)
    expect_modify(stubber, ManageMasterUserPassword=True)
    expect_look(stubber, **secret_of(PROD_SECRET))
    expect_owner(secrets_stubber, PROD_SECRET, ARN)
    assert own_master_secret(client, secrets, "aurora-prod", lambda _: None, pacing(fake_time)) == PROD_SECRET


def test_a_secret_still_foreign_after_the_modify_stops_with_one_line(stub, fake_time):
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(DEV_SECRET))
    expect_owner(secrets_stubber, DEV_SECRET, DEV_ARN)
    expect_modify(stubber, ManageMasterUserPassword=True)
    for _ in range(2):
        expect_look(stubber, **secret_of(DEV_SECRET))
    expect_owner(secrets_stubber, DEV_SECRET, DEV_ARN)
    with pytest.raises(CompletionError) as caught:
        own_master_secret(client, secrets, "aurora-prod", lambda _: None, pacing(fake_time, start_within=40))
    assert str(caught.value) == (f"its master secret is still not its own ({DEV_SECRET} belongs to {DEV_ARN}): " + BY_HAND)


BY_HAND = (
    "turn management off and on again, `aws rds modify-db-cluster --db-cluster-identifier aurora-prod "
    "--no-manage-master-user-password --master-user-password <temporary> --apply-immediately`, then the same with "
    "`--manage-master-user-password` alone, and run `pulumi up` again"
)


def test_a_secret_without_an_owner_tag_is_taken_as_the_clusters_own(stub, fake_time):
    """Only a tag naming another cluster, or a secret that is gone, shows the secret is foreign:
    refusing an untagged one would stop every re-run of a healthy restore."""
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(PROD_SECRET))
    secrets_stubber.add_response("describe_secret", {"ARN": PROD_SECRET, "Tags": []}, {"SecretId": PROD_SECRET})
    assert own_master_secret(client, secrets, "aurora-prod", lambda _: None, pacing(fake_time)) == PROD_SECRET
    assert fake_time.sleeps == []


def test_rds_refusing_to_manage_the_password_anew_stops_with_the_way_by_hand(stub, fake_time):
    """ModifyDBCluster turns management on only for a cluster that "doesn't manage the master user
    password" (botocore's rds model, ManageMasterUserPassword): a refusal gives the manual way at once."""
    from awscalls.restored_cluster import own_master_secret

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, **secret_of(DEV_SECRET))
    expect_owner(secrets_stubber, DEV_SECRET, DEV_ARN)
    stubber.add_client_error("modify_db_cluster", "InvalidParameterCombination", "already managed", 400)
    with pytest.raises(CompletionError) as caught:
        own_master_secret(client, secrets, "aurora-prod", lambda _: None, pacing(fake_time))
    assert str(caught.value) == (
        f"{DEV_SECRET} belongs to {DEV_ARN}, and RDS refused to manage the password anew "
        "(InvalidParameterCombination: already managed): " + BY_HAND
    )
    assert fake_time.sleeps == []


def test_the_provider_records_the_checked_secret(monkeypatch, stub, fake_time):
    import boto3

    from components.restore_completion import RestoreCompletionProvider

    client, stubber = stub("rds")
    secrets, secrets_stubber = stub("secretsmanager")
    expect_look(stubber, HttpEndpointEnabled=True, **APPLIED)
    expect_look(stubber, **secret_of(PROD_SECRET))
    expect_owner(secrets_stubber, PROD_SECRET, ARN)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: {"rds": client, "secretsmanager": secrets}[service])
    monkeypatch.setattr("components.restore_completion.PACING", pacing(fake_time))
    features = {**FEATURES.__dict__, "managed_master_password": True}
    result = RestoreCompletionProvider().create({**features, "region": "us-east-1", "applied": None})
    assert result.outs["master_secret_arn"] == PROD_SECRET


def test_a_wait_looks_again_after_a_failed_look_and_gives_up_after_its_bound():
    """Issue 29: one failed poll never abandons a cluster that is settling; a failure that does not
    heal (or too many in a row) still ends the run (transient: botocore's standard retry rules)."""
    from botocore.exceptions import ClientError

    from awscalls.restored_cluster import Pacing, wait_until_settled

    settled = {"DBClusterIdentifier": "c", "Status": "available", "DBClusterMembers": []}
    throttled = ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "DescribeDBClusters")
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "DescribeDBClusters")

    class Rds:
        def __init__(self, failures):
            self.failures = list(failures)

        def describe_db_clusters(self, **_):
            if self.failures:
                raise self.failures.pop(0)
            return {"DBClusters": [settled]}

    pacing, notes = Pacing(clock=lambda: 0.0, sleep=lambda _: None), []
    assert wait_until_settled(Rds([throttled, throttled]), "c", pacing, notes.append) == settled
    assert [note.split(":")[1].strip() for note in notes] == ["a look failed (Throttling", "a look failed (Throttling"]
    with pytest.raises(ClientError, match="Throttling"):
        wait_until_settled(Rds([throttled] * 3), "c", pacing, notes.append)
    with pytest.raises(ClientError, match="AccessDenied"):
        wait_until_settled(Rds([denied]), "c", pacing, notes.append)
