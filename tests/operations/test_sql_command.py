"""`python -m ops sql`: against moto (the cluster's ARN and managed secret found by --cluster, the
Data API answering with queued results) and a Stubber (the exact request, the resuming retry)."""

import json

import pytest
import requests
from conftest import create_moto_cluster
from ops_harness import FakeClock, StubSession, Terminal, run

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


def test_the_request_asks_for_column_names_and_waits_out_a_resuming_cluster(data_api):
    client, stubber = data_api
    stubber.add_client_error("execute_statement", service_error_code="DatabaseResumingException", http_status_code=400)
    stubber.add_response(
        "execute_statement",
        PLANETS,
        {**TARGET, "sql": "SELECT * FROM tutorial.planet", "includeResultMetadata": True, "database": "tutorial"},
    )
    clock = FakeClock()
    argv = ["sql", "SELECT * FROM tutorial.planet", "--database", "tutorial", "--cluster-arn", ARN, "--secret-arn", SECRET]
    code, out, err = run(argv, StubSession(rds_data=client), clock=clock)
    assert code == 0, err
    assert clock.sleeps == [2]
    assert "the database is resuming from auto-pause; retrying in 2s" in err
    assert out.endswith("(2 rows)\n")


def test_a_write_needs_confirmation(data_api):
    client, _ = data_api  # nothing queued: the statement must not be sent
    argv = ["--stack", "dev", "sql", "DELETE FROM tutorial.planet"]
    code, out, err = run(argv, StubSession(rds_data=client), outputs={"dev": {"clusterArn": ARN, "secretArn": SECRET}})
    assert (code, out) == (1, "")
    assert err == "error: not confirmed: standard input is not a terminal; pass --yes to proceed\n"


def test_a_confirmed_write_reports_the_rows_changed(data_api):
    client, stubber = data_api
    statement = "UPDATE tutorial.planet SET moons = 1 WHERE name = 'Earth'"
    stubber.add_response(
        "execute_statement", {"numberOfRecordsUpdated": 1}, {**TARGET, "sql": statement, "includeResultMetadata": True}
    )
    argv = ["--stack", "dev", "sql", statement]
    outputs = {"dev": {"clusterArn": ARN, "secretArn": SECRET}}
    code, out, err = run(argv, StubSession(rds_data=client), outputs=outputs, stdin=Terminal("y\n"))
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


def test_a_failing_statement_is_one_line(data_api):
    client, stubber = data_api
    stubber.add_client_error(
        "execute_statement",
        service_error_code="BadRequestException",
        service_message="Table 'tutorial.nope' doesn't exist",
        http_status_code=400,
    )
    code, _, err = run(
        ["sql", "SELECT * FROM tutorial.nope", "--cluster-arn", ARN, "--secret-arn", SECRET], StubSession(rds_data=client)
    )
    assert (code, err) == (1, "error: the statement failed: BadRequestException: Table 'tutorial.nope' doesn't exist\n")
