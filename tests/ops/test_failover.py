"""failover through botocore's Stubber: the wait through intermediate states with a fake clock,
the promotion rule named in the confirmation, and `--probe`'s failed-write seconds."""

import json

import pytest

from ops.failover import promotion_candidates, size_of
from tests.helpers import FakeClock
from tests.ops.ops_harness import StubSession, Terminal, run

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-prod-AbCdEf"
TARGET = {"resourceArn": ARN, "secretArn": SECRET}
PROBE_SQL = "SELECT @@global.innodb_read_only"


def cluster(writer, status="available", readers=(("aurora-prod-instance-2", 1),), **fields):
    members = [{"DBInstanceIdentifier": writer, "IsClusterWriter": True, "PromotionTier": 0}] + [
        {"DBInstanceIdentifier": name, "IsClusterWriter": False, "PromotionTier": tier} for name, tier in readers
    ]
    return {
        "DBClusters": [
            {
                "DBClusterIdentifier": "aurora-prod",
                "DBClusterArn": ARN,
                "Status": status,
                "DBClusterMembers": members,
                "HttpEndpointEnabled": True,
                "MasterUserSecret": {"SecretArn": SECRET},
                **fields,
            }
        ]
    }


def expect_cluster(stubber, *args, **kwargs):
    stubber.add_response("describe_db_clusters", cluster(*args, **kwargs), {"DBClusterIdentifier": "aurora-prod"})


def expect_class(stubber, instance, instance_class):
    stubber.add_response(
        "describe_db_instances",
        {"DBInstances": [{"DBInstanceIdentifier": instance, "DBInstanceClass": instance_class}]},
        {"DBInstanceIdentifier": instance},
    )


def expect_no_recent_failover(stubber):
    stubber.add_response(
        "describe_events",
        {"Events": []},
        {"SourceIdentifier": "aurora-prod", "SourceType": "db-cluster", "EventCategories": ["failover"], "Duration": 15},
    )


def probe_answer(stubber, read_only):
    stubber.add_response("execute_statement", {"records": [[{"longValue": read_only}]]}, {**TARGET, "sql": PROBE_SQL})


def probe_failure(stubber):
    stubber.add_client_error(
        "execute_statement",
        service_error_code="BadRequestException",
        service_message="Communications link failure",
        http_status_code=400,
    )


@pytest.fixture
def rds(stub):
    return stub("rds")


def test_failover_waits_through_the_failing_over_states_and_reports_the_seconds(rds):
    client, stubber = rds
    expect_cluster(stubber, "aurora-prod-instance-1")
    expect_class(stubber, "aurora-prod-instance-2", "db.r7g.large")
    expect_no_recent_failover(stubber)
    stubber.add_response("failover_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod"})
    expect_cluster(stubber, "aurora-prod-instance-1", "failing-over")
    expect_cluster(stubber, "aurora-prod-instance-2", "failing-over")
    expect_cluster(stubber, "aurora-prod-instance-2", "available")
    expect_cluster(stubber, "aurora-prod-instance-2", "available")
    clock = FakeClock()
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "failover"], StubSession(rds=client), clock=clock)
    assert code == 0, err
    assert json.loads(out) == {
        "cluster": "aurora-prod",
        "previousWriter": "aurora-prod-instance-1",
        "writer": "aurora-prod-instance-2",
        "secondsUntilAvailable": 20.0,
    }
    assert clock.sleeps == [10, 10]
    assert "waiting for the new writer: cluster failing-over, writer aurora-prod-instance-1 (0s)" in err
    assert "waiting for the new writer: cluster failing-over, writer aurora-prod-instance-2 (10s)" in err


def test_failover_gives_up_after_the_timeout_with_the_last_state(rds):
    client, stubber = rds
    expect_cluster(stubber, "aurora-prod-instance-1")
    expect_class(stubber, "aurora-prod-instance-2", "db.r7g.large")
    expect_no_recent_failover(stubber)
    stubber.add_response("failover_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod"})
    for _ in range(4):
        expect_cluster(stubber, "aurora-prod-instance-1", "failing-over")
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "--timeout", "30", "failover"], StubSession(rds=client))
    assert code == 1
    assert err.splitlines()[-1] == (
        "error: gave up waiting for the new writer after 30s (last state: cluster failing-over, "
        "writer aurora-prod-instance-1); it may still finish in AWS; the failover of aurora-prod was started: run the "
        "same command again, it follows a failover under way or finished in the last 15 minutes and does not fail over again"
    )


@pytest.mark.parametrize(
    ("readers", "classes", "expected"),
    [
        # Lowest tier wins whatever the size.
        ([("r-a", 2), ("r-b", 1)], {"r-a": "db.r7g.4xlarge", "r-b": "db.r7g.large"}, "r-b becomes the writer"),
        # Same tier: the largest size.
        ([("r-a", 1), ("r-b", 1)], {"r-a": "db.r7g.large", "r-b": "db.r7g.2xlarge"}, "r-b becomes the writer"),
        # Same tier and size: AWS picks one of them.
        (
            [("r-a", 1), ("r-b", 1)],
            {"r-a": "db.r7g.xlarge", "r-b": "db.r6i.xlarge"},
            "one of r-a, r-b becomes the writer (same promotion tier and size: AWS picks one)",
        ),
    ],
)
def test_the_confirmation_names_the_reader_aws_will_promote(rds, readers, classes, expected):
    """The rule is the Aurora User Guide's, "Fault tolerance for an Aurora DB cluster": lowest
    promotion tier, then the largest size, then an arbitrary reader of that tier and size."""
    client, stubber = rds
    expect_cluster(stubber, "w", readers=readers)
    for name, _ in readers:
        expect_class(stubber, name, classes[name])
    expect_no_recent_failover(stubber)
    code, _, err = run(["--cluster", "aurora-prod", "failover"], StubSession(rds=client), stdin=Terminal("n\n"))
    assert code == 1
    assert f"Fail over aurora-prod: writer w becomes a reader, {expected}" in err


@pytest.mark.parametrize(
    ("writer_class", "advice"),
    [
        # The serverless shape (dev) is one db.serverless writer: no setting adds a reader there.
        (
            "db.serverless",
            "its writer is db.serverless, the serverless shape, which has no readers: "
            "fail over a provisioned stack such as prod instead",
        ),
        # The provisioned shape has its readers setting.
        ("db.r7g.large", "add one (aurora:provisioned.readers)"),
    ],
)
def test_a_cluster_without_a_reader_gets_advice_for_its_shape(rds, writer_class, advice):
    client, stubber = rds
    expect_cluster(stubber, "aurora-prod-instance-1", readers=())
    expect_class(stubber, "aurora-prod-instance-1", writer_class)
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "failover"], StubSession(rds=client))
    assert (code, out) == (1, "")
    assert err == f"error: cluster 'aurora-prod' has no reader to fail over to; {advice}\n"


@pytest.mark.parametrize(
    ("instance_class", "size"),
    [("db.r7g.large", 2), ("db.r7g.xlarge", 4), ("db.r7g.2xlarge", 8), ("db.r6i.16xlarge", 64), ("db.serverless", None)],
)
def test_instance_sizes_order_as_their_names_say(instance_class, size):
    assert size_of(instance_class) == size


def test_serverless_readers_of_one_tier_are_not_ranked_by_size():
    readers = [{"instance": "b", "tier": 0, "class": "db.serverless"}, {"instance": "a", "tier": 0, "class": "db.r7g.large"}]
    assert promotion_candidates(readers) == ["a", "b"]


def expect_probed_failover(stubber, data_stubber):
    """A failover the control plane reports done at t=3 while writes fail from t=0 to t=4."""
    expect_cluster(stubber, "aurora-prod-instance-1")  # the probe's check of the Data API
    expect_cluster(stubber, "aurora-prod-instance-1")  # failover itself
    expect_class(stubber, "aurora-prod-instance-2", "db.r7g.large")
    expect_no_recent_failover(stubber)
    stubber.add_response("failover_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod"})
    probe_answer(data_stubber, 0)  # t=0, before anything changed
    # t=0..3: the control plane reports failing-over while writes fail (connection lost, then read-only).
    expect_cluster(stubber, "aurora-prod-instance-1", "failing-over")
    probe_failure(data_stubber)
    expect_cluster(stubber, "aurora-prod-instance-1", "failing-over")
    probe_failure(data_stubber)
    expect_cluster(stubber, "aurora-prod-instance-2", "failing-over")
    probe_answer(data_stubber, 1)
    # t=3: the new writer is available; writes still fail one more second, then succeed.
    expect_cluster(stubber, "aurora-prod-instance-2", "available")
    probe_failure(data_stubber)
    probe_answer(data_stubber, 0)
    expect_cluster(stubber, "aurora-prod-instance-2", "available")


def test_probe_reports_the_seconds_writes_failed_beside_the_control_plane_time(rds, stub):
    client, stubber = rds
    data_api, data_stubber = stub("rds-data")
    expect_probed_failover(stubber, data_stubber)
    clock = FakeClock()
    session = StubSession(rds=client, rds_data=data_api)
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "failover", "--probe"], session, clock=clock)
    assert code == 0, err
    result = json.loads(out)
    assert result["secondsUntilAvailable"] == 3.0
    assert result["probe"] == {
        "secondsWritesFailed": 4.0,
        "probes": 6,
        "failedProbes": 4,
        "lastError": "BadRequestException: Communications link failure",
    }
    assert clock.sleeps == [1.0, 1.0, 1.0, 1.0]
    assert "waiting for the new writer: cluster failing-over, writer aurora-prod-instance-1, writes failing (0s)" in err


def test_probe_needs_the_data_api(rds):
    client, stubber = rds
    expect_cluster(stubber, "aurora-prod-instance-1", HttpEndpointEnabled=False)
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "failover", "--probe"], StubSession(rds=client))
    assert (code, err) == (
        1,
        "error: the Data API is off on cluster 'aurora-prod': turn it on with aws rds enable-http-endpoint "
        f"--resource-arn {ARN} (a stack's own cluster: aurora:dataApi: true, then pulumi up); or drop --probe, "
        "which writes through it\n",
    )


def test_probe_text_output_shows_both_numbers(rds, stub):
    client, stubber = rds
    data_api, data_stubber = stub("rds-data")
    expect_cluster(stubber, "aurora-prod-instance-1")
    expect_cluster(stubber, "aurora-prod-instance-1")
    expect_class(stubber, "aurora-prod-instance-2", "db.r7g.large")
    expect_no_recent_failover(stubber)
    stubber.add_response("failover_db_cluster", {}, {"DBClusterIdentifier": "aurora-prod"})
    probe_answer(data_stubber, 0)
    expect_cluster(stubber, "aurora-prod-instance-1", "failing-over")
    probe_failure(data_stubber)
    expect_cluster(stubber, "aurora-prod-instance-2", "available")
    probe_answer(data_stubber, 0)
    expect_cluster(stubber, "aurora-prod-instance-2", "available")
    session = StubSession(rds=client, rds_data=data_api)
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "failover", "--probe"], session)
    assert code == 0, err
    assert "secondsUntilAvailable  1\n" in out
    assert "  secondsWritesFailed  1\n" in out


def test_failed_write_seconds_are_measured_on_the_clock_not_counted():
    """A slow probe (a Data API call that hangs until its timeout) stretches the interval."""
    from ops.failover import WriteProbe

    times = iter([0.0, 0.5, 5.5, 6.0])
    answers = iter([True, False, False, True])
    probe = WriteProbe(lambda: next(answers), lambda: next(times))
    for _ in range(4):
        probe()
    assert probe.failed_seconds() == 5.5
    assert probe.summary() == {
        "secondsWritesFailed": 5.5,
        "probes": 4,
        "failedProbes": 2,
        "lastError": "the instance behind the writer endpoint is read-only",
    }
