"""`python -m ops seed` through the Data API: targets from a stack's outputs or from flags."""

import io

import pytest
from botocore.stub import ANY

from ops.cli import main

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev"
TARGET = {"resourceArn": CLUSTER, "secretArn": SECRET}


class StubbedSession:
    region_name = "us-east-1"

    def __init__(self, client):
        self._client = client

    def client(self, service, region_name=None, config=None):
        assert service == "rds-data"
        return self._client


@pytest.fixture
def stubbed(stub):
    return stub("rds-data")


def expect_seed(stubber):
    for transaction, statements in (("tx-1", 2), ("tx-2", 1)):
        stubber.add_response("begin_transaction", {"transactionId": transaction}, TARGET)
        for _ in range(statements):
            stubber.add_response("execute_statement", {}, {**TARGET, "sql": ANY, "transactionId": transaction})
        stubber.add_response("commit_transaction", {}, {**TARGET, "transactionId": transaction})
    stubber.add_response(
        "execute_statement", {"records": [[{"longValue": 8}]]}, {**TARGET, "sql": "SELECT COUNT(*) FROM tutorial.planet"}
    )


def run(argv, client, outputs=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(
        argv, session=StubbedSession(client), stdout=out, stderr=err, read_outputs=lambda stack: outputs[stack], environ={}
    )
    return code, out.getvalue(), err.getvalue()


def test_seed_reads_the_cluster_and_secret_from_the_stack(stubbed):
    client, stubber = stubbed
    expect_seed(stubber)
    code, out, err = run(["--stack", "dev", "--json", "seed"], client, {"dev": {"clusterArn": CLUSTER, "secretArn": SECRET}})
    assert code == 0, err
    assert '"planets": 8' in out and '"path": "data-api"' in out
    assert "01-schema.sql: 2 statement(s) committed" in err


def test_seed_with_explicit_arns(stubbed):
    client, stubber = stubbed
    expect_seed(stubber)
    code, out, _ = run(["seed", "--cluster-arn", CLUSTER, "--secret-arn", SECRET], client)
    assert code == 0 and "\nplanets  8\n" in out


def test_seed_from_a_stack_that_was_never_deployed(stubbed):
    client, _ = stubbed
    code, out, err = run(["--stack", "dev", "seed"], client, {"dev": {}})
    assert (code, out) == (1, "")
    assert err == "error: stack 'dev' has no output 'clusterArn': run `pulumi up -s dev` first\n"


def test_seed_without_a_target_says_what_is_needed(stubbed):
    client, _ = stubbed
    code, _, err = run(["seed"], client)
    assert code == 1
    assert err == (
        "error: say where to seed: --stack NAME, --cluster ID, --cluster-arn with --secret-arn, or --host with --user\n"
    )
