"""`python -m ops sql`: against moto (the cluster's ARN and managed secret found by --cluster, the
Data API answering with queued results) and a Stubber (the exact request, the resuming retry, the
cluster's Data API switch read first)."""

import json

import pytest
import requests

from tests.helpers import FakeClock, create_moto_cluster
from tests.ops.local_aws import switch_data_api_on
from tests.ops.ops_harness import StubSession, Terminal, run

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev-AbCdEf"
TARGET = {"resourceArn": ARN, "secretArn": SECRET}
PLANETS = {
    "columnMetadata": [{"name": "id", "label": "id"}, {"name": "name", "label": "name"}, {"name": "moons", "label": "moons"}],
    "records": [
        [{"longValue": 1}, {"stringValue": "Mercury"}, {"longValue": 0}],
        [{"longValue": 3}, {"stringValue": "Earth"}, {"isNull": True}],
    ],
}


@pytest.fixture
def moto_cluster(moto_rds):
    create_moto_cluster(moto_rds, "aurora-dev")
    switch_data_api_on("aurora-dev")
    answer = requests.post("http://motoapi.amazonaws.com/moto-api/static/rds-data/statement-results", json={"results": [PLANETS]})
    assert answer.status_code == 201


def test_a_select_prints_a_table_through_moto(moto_cluster):
    code, out, err = run(["sql", "--cluster", "aurora-dev", "SELECT id, name, moons FROM tutorial.planet"])
    assert code == 0, err
    assert out == "id  name     moons\n1   Mercury  0\n3   Earth    -\n(2 rows)\n"


def test_json_output_keeps_columns_and_rows_through_moto(moto_cluster):
    code, out, err = run(["sql", "--cluster", "aurora-dev", "--json", "SELECT id, name, moons FROM tutorial.planet"])
    assert code == 0, err
    assert json.loads(out) == {
        "columns": ["id", "name", "moons"],
        "rows": [[1, "Mercury", 0], [3, "Earth", None]],
        "recordsUpdated": 0,
    }


@pytest.fixture
def data_api(stub):
    return stub("rds-data")


def described(data_api_on):
    return {
        "DBClusters": [
            {
                "DBClusterIdentifier": "aurora-dev",
                "DBClusterArn": ARN,
                "HttpEndpointEnabled": data_api_on,
                "MasterUserSecret": {"SecretArn": SECRET},
            }
        ]
    }


@pytest.fixture
def rds(stub):
    """RDS, answering one DescribeDBClusters (by the ARN the Data API is given) with the Data API on."""
    client, stubber = stub("rds")
    stubber.add_response("describe_db_clusters", described(True), {"DBClusterIdentifier": ARN})
    return client


@pytest.fixture
def rds_data_api_off(stub):
    client, stubber = stub("rds")
    stubber.add_response("describe_db_clusters", described(False), {"DBClusterIdentifier": ARN})
    return client


def test_the_request_asks_for_column_names_and_waits_out_a_resuming_cluster(data_api, rds):
    client, stubber = data_api
    stubber.add_client_error("execute_statement", service_error_code="DatabaseResumingException", http_status_code=400)
    stubber.add_response(
        "execute_statement",
        PLANETS,
        {**TARGET, "sql": "SELECT * FROM tutorial.planet", "includeResultMetadata": True, "database": "tutorial"},
    )
    clock = FakeClock()
    argv = ["sql", "SELECT * FROM tutorial.planet", "--database", "tutorial", "--cluster-arn", ARN, "--secret-arn", SECRET]
    code, out, err = run(argv, StubSession(rds=rds, rds_data=client), clock=clock)
    assert code == 0, err
    assert clock.sleeps == [2]
    assert "the database is resuming from auto-pause; retrying in 2s" in err
    assert out.endswith("(2 rows)\n")


def test_a_write_needs_confirmation(data_api, rds):
    client, _ = data_api  # nothing queued: the statement must not be sent
    argv = ["--stack", "dev", "sql", "DELETE FROM tutorial.planet"]
    code, out, err = run(argv, StubSession(rds=rds, rds_data=client), outputs={"dev": {"clusterArn": ARN, "secretArn": SECRET}})
    assert (code, out) == (1, "")
    assert err == "error: not confirmed: standard input is not a terminal; pass --yes to proceed\n"


def test_a_confirmed_write_reports_the_rows_changed(data_api, rds):
    client, stubber = data_api
    statement = "UPDATE tutorial.planet SET moons = 1 WHERE name = 'Earth'"
    stubber.add_response(
        "execute_statement", {"numberOfRecordsUpdated": 1}, {**TARGET, "sql": statement, "includeResultMetadata": True}
    )
    argv = ["--stack", "dev", "sql", statement]
    outputs = {"dev": {"clusterArn": ARN, "secretArn": SECRET}}
    code, out, err = run(argv, StubSession(rds=rds, rds_data=client), outputs=outputs, stdin=Terminal("y\n"))
    assert code == 0, err
    assert f"This statement may change data in {ARN}:\n  {statement}\nRun it? [y/N] " in err
    assert out == "1 row(s) affected\n"


@pytest.mark.parametrize("statement", ["SELECT 1; DROP TABLE tutorial.planet", "", "-- only a comment"])
def test_anything_but_one_statement_is_refused_before_any_call(data_api, statement):
    client, _ = data_api
    code, _, err = run(["sql", statement, "--cluster-arn", ARN, "--secret-arn", SECRET, "--yes"], StubSession(rds_data=client))
    assert code == 1
    assert err.startswith("error: give exactly one SQL statement (the Data API runs one per call); got ")


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT * FROM t", True),
        ("  show tables", True),
        ("EXPLAIN SELECT 1", True),
        ("SELECT * INTO OUTFILE '/tmp/x' FROM t", False),
        ("INSERT INTO t VALUES (1)", False),
        ("WITH x AS (SELECT 1) DELETE FROM t", False),
    ],
)
def test_only_plain_reads_skip_the_confirmation(statement, reads):
    from ops.query import reads_only

    assert reads_only(statement) is reads


def test_a_failing_statement_is_one_line(data_api, rds):
    client, stubber = data_api
    stubber.add_client_error(
        "execute_statement",
        service_error_code="BadRequestException",
        service_message="Table 'tutorial.nope' doesn't exist",
        http_status_code=400,
    )
    code, _, err = run(
        ["sql", "SELECT * FROM tutorial.nope", "--cluster-arn", ARN, "--secret-arn", SECRET],
        StubSession(rds=rds, rds_data=client),
    )
    assert (code, err) == (1, "error: the statement failed: BadRequestException: Table 'tutorial.nope' doesn't exist\n")


DATA_API_OFF = (
    "error: the Data API is off on cluster 'aurora-dev': turn it on with aws rds enable-http-endpoint "
    f"--resource-arn {ARN} (a stack's own cluster: aurora:dataApi: true, then pulumi up)\n"
)


def test_a_cluster_without_the_data_api_is_refused_before_the_statement_is_sent(moto_rds):
    """moto's Data API does not check the switch and answers `0 row(s) affected`: `sql` reads the
    switch (DescribeDBClusters HttpEndpointEnabled) first, whatever the endpoint would answer."""
    create_moto_cluster(moto_rds, "aurora-dev")  # moto leaves the Data API off
    code, out, err = run(["sql", "--cluster", "aurora-dev", "SELECT 1"])
    assert (code, out, err) == (1, "", DATA_API_OFF)


@pytest.mark.parametrize("how", ["--stack", "--cluster-arn"])
def test_the_switch_is_read_whichever_way_the_cluster_is_named(data_api, rds_data_api_off, how):
    client, _ = data_api  # nothing queued: no statement may be sent
    argv = (
        ["--stack", "dev", "sql", "SELECT 1"]
        if how == "--stack"
        else ["sql", "SELECT 1", "--cluster-arn", ARN, "--secret-arn", SECRET]
    )
    outputs = {"dev": {"clusterArn": ARN, "secretArn": SECRET}}
    code, out, err = run(argv, StubSession(rds=rds_data_api_off, rds_data=client), outputs=outputs)
    assert (code, out, err) == (1, "", DATA_API_OFF)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        # botocore's rds-data model: "The HTTP endpoint for using RDS Data API isn't enabled for the DB cluster."
        ("HttpEndpointNotEnabledException", f"HttpEndpoint is not enabled for resource {ARN}"),
        # The deprecated code with the message of the Aurora User Guide's "Troubleshooting RDS Data API".
        ("BadRequestException", "HttpEndpoint is not enabled for cluster aurora-dev"),
    ],
)
def test_the_data_apis_own_refusal_is_the_same_line(data_api, rds, code, message):
    """When the switch reads on but the Data API refuses anyway (a cluster renamed after the Data API
    was switched on, the guide says), or the switch could not be read."""
    client, stubber = data_api
    stubber.add_client_error("execute_statement", service_error_code=code, service_message=message, http_status_code=400)
    argv = ["sql", "SELECT 1", "--cluster-arn", ARN, "--secret-arn", SECRET]
    exit_code, out, err = run(argv, StubSession(rds=rds, rds_data=client))
    assert (exit_code, out, err) == (1, "", DATA_API_OFF)


def test_a_caller_who_may_not_describe_the_cluster_still_runs_the_statement(data_api, stub):
    rds, rds_stubber = stub("rds")
    rds_stubber.add_client_error("describe_db_clusters", service_error_code="AccessDenied", http_status_code=403)
    client, stubber = data_api
    stubber.add_response(
        "execute_statement", {"numberOfRecordsUpdated": 0}, {**TARGET, "sql": "SELECT 1", "includeResultMetadata": True}
    )
    code, out, err = run(["sql", "SELECT 1", "--cluster-arn", ARN, "--secret-arn", SECRET], StubSession(rds=rds, rds_data=client))
    assert (code, out) == (0, "0 row(s) affected\n"), err


def test_wake_refuses_a_cluster_without_the_data_api_instead_of_reporting_it_awake(data_api, stub):
    """`wake` sends `SELECT 1` through the Data API: an endpoint that does not check the switch (moto)
    would answer, and `wake` report a cluster awake that no Data API call can reach."""
    client, _ = data_api  # no response stubbed: any statement sent would fail the test
    rds, stubber = stub("rds")
    stubber.add_response("describe_db_clusters", described(False), {"DBClusterIdentifier": "aurora-dev"})
    code, out, err = run(["wake", "--cluster", "aurora-dev"], StubSession(rds=rds, rds_data=client))
    assert (code, out) == (1, "")
    assert err == DATA_API_OFF
