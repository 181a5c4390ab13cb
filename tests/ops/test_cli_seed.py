"""`python -m ops seed` through the Data API: targets from a stack's outputs or from flags."""

import io

import boto3
import certifi
import pytest
from botocore.stub import ANY, Stubber

from ops import seed
from ops.cli import main
from tests.ops.ops_harness import StubSession
from tests.ops.ops_harness import run as run_ops

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-aurora-dev"
TARGET = {"resourceArn": CLUSTER, "secretArn": SECRET}


class StubbedSession:
    """rds-data as the test stubs it; rds answers that the cluster's Data API is on (seed checks first)."""

    region_name = "us-east-1"

    def __init__(self, client):
        self._client = client

    def client(self, service, region_name=None, config=None):
        if service == "rds":
            return data_api_on()
        assert service == "rds-data"
        return self._client


def data_api_on():
    rds = boto3.client("rds", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(rds)
    cluster = {"DBClusterIdentifier": "aurora-dev", "DBClusterArn": CLUSTER, "HttpEndpointEnabled": True}
    stubber.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {"DBClusterIdentifier": CLUSTER})
    stubber.activate()
    return rds


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


@pytest.mark.subprocess
def test_seed_from_a_stack_that_was_never_deployed(stubbed):
    client, _ = stubbed
    code, out, err = run(["--stack", "dev", "seed"], client, {"dev": {}})
    assert (code, out) == (1, "")
    assert err == "error: stack 'dev' has no output 'clusterArn': run `pulumi up -s dev` first\n"


def test_seed_without_a_target_says_what_is_needed(stubbed):
    client, _ = stubbed
    code, _, err = run(["seed"], client)
    assert code == 2
    assert err == (
        "error: say where to seed: --stack NAME, --cluster ID, --cluster-arn with --secret-arn, or --host with --user\n"
    )


def test_seed_with_cluster_uses_its_arn_and_managed_secret(stub):
    rds, rds_stubber = stub("rds")
    data_api, data_stubber = stub("rds-data")
    cluster = {
        "DBClusterIdentifier": "aurora-dev",
        "DBClusterArn": CLUSTER,
        "MasterUserSecret": {"SecretArn": SECRET},
        "HttpEndpointEnabled": True,
    }
    rds_stubber.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {"DBClusterIdentifier": "aurora-dev"})
    rds_stubber.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {"DBClusterIdentifier": CLUSTER})
    expect_seed(data_stubber)
    code, out, err = run_ops(["seed", "--cluster", "aurora-dev"], StubSession(rds=rds, rds_data=data_api))
    assert code == 0, err
    assert "\nplanets  8\n" in out


def test_seed_through_a_cluster_without_the_data_api_sends_nothing_and_says_so(stub):
    rds, rds_stubber = stub("rds")
    data_api, _ = stub("rds-data")  # no response stubbed: any statement sent would fail the test
    cluster = {"DBClusterIdentifier": "aurora-dev", "DBClusterArn": CLUSTER, "HttpEndpointEnabled": False}
    rds_stubber.add_response("describe_db_clusters", {"DBClusters": [cluster]}, {"DBClusterIdentifier": CLUSTER})
    code, out, err = run_ops(["seed", "--cluster-arn", CLUSTER, "--secret-arn", SECRET], StubSession(rds=rds, rds_data=data_api))
    assert (code, out) == (1, "")
    assert err == (
        "error: the Data API is off on cluster 'aurora-dev': turn it on with aws rds enable-http-endpoint --resource-arn "
        f"{CLUSTER} (a stack's own cluster: aurora:dataApi: true, then pulumi up)\n"
    )


def test_seed_direct_without_a_ca_bundle_refuses_plaintext(monkeypatch, tmp_path):
    monkeypatch.setenv("MYSQL_PWD", "secret")
    monkeypatch.setattr(seed, "CLIENT_HOST_CA_BUNDLE", tmp_path / "absent.pem")
    code, out, err = run_ops(["seed", "--host", "db.example", "--user", "admin"], StubSession())
    assert (code, out) == (1, "")
    assert err == (
        "error: TLS is required: pass --ssl-ca with the RDS CA bundle "
        "(https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem), "
        "or --allow-plaintext for a server without TLS (a local test database)\n"
    )


def test_the_client_hosts_bundle_is_the_default(tmp_path):
    bundle = tmp_path / "global-bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    assert seed.ca_bundle(None, False, default=bundle) == str(bundle)
    assert seed.ca_bundle(None, True, default=tmp_path / "absent.pem") is None


@pytest.mark.subprocess
def test_a_server_that_offers_no_tls_is_refused_when_tls_is_asked_for(mariadb, monkeypatch):
    """The test MariaDB has no certificate, so it offers no TLS."""
    monkeypatch.setenv("MYSQL_PWD", mariadb.password)
    argv = ["seed", "--host", "127.0.0.1", "--port", str(mariadb.port), "--user", mariadb.user, "--ssl-ca", certifi.where()]
    code, _, err = run_ops(argv, StubSession())
    assert (code, err) == (
        1,
        f"error: cannot connect to 127.0.0.1:{mariadb.port}: SSL is required but the server doesn't support it\n",
    )
