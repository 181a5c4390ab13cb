"""The SampleData dynamic resource and the pulumi-mysql application user under the mock engine,
and the dynamic provider's create/diff/update/delete against a stubbed Data API."""

import json

import boto3
import pytest
from botocore.stub import ANY

from awscalls.sql_files import SAMPLE_DATA_DIR, digest, load_sql_files
from components.sample_data import SampleDataError, SqlFilesProvider

DYNAMIC = "pulumi-python:dynamic:Resource"
APP_USER = {"name": "app", "endpoint": "127.0.0.1:3307"}


def test_sample_data_is_declared_with_the_sql_and_its_digest(dev):
    resource = dev.one(DYNAMIC, "sample-data")
    files = load_sql_files(SAMPLE_DATA_DIR)
    assert resource.inputs["digest"] == digest(files)
    assert [f["name"] for f in resource.inputs["files"]] == ["01-schema.sql", "02-planets.sql"]
    assert resource.inputs["cluster_arn"] == "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
    assert resource.inputs["secret_arn"].startswith("arn:aws:secretsmanager:")
    assert resource.inputs["drop_on_delete"] is False
    assert resource.inputs["teardown_files"] == [{"name": "01-drop.sql", "statements": ["DROP DATABASE IF EXISTS tutorial"]}]


def test_sample_data_waits_for_the_writer(dev):
    resource = dev.one(DYNAMIC, "sample-data")
    assert dev.named("database-instance-1").urn in resource.dependencies


def test_sample_data_and_app_user_are_absent_when_off(program):
    deployment = program("dev", overrides={"aurora:sampleData": False})
    assert DYNAMIC not in deployment.types()
    assert not any(t.startswith("mysql:") for t in deployment.types())


def test_app_user_signs_in_with_iam_and_is_limited_to_tutorial(program):
    deployment = program("dev", overrides={"aurora:appUser": APP_USER})
    user = deployment.one("mysql:index/user:User").inputs
    assert user == {"user": "app", "host": "%", "authPlugin": "AWSAuthenticationPlugin", "tlsOption": "SSL"}
    grant = deployment.one("mysql:index/grant:Grant").inputs
    assert grant == {"user": "app", "host": "%", "database": "tutorial", "privileges": ["SELECT", "INSERT", "UPDATE", "DELETE"]}
    policy = json.loads(deployment.one("aws:iam/policy:Policy").inputs["policy"])
    assert policy["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "rds-db:connect",
            "Resource": "arn:aws:rds-db:us-east-1:123456789012:dbuser:cluster-ABCDEFGHIJKL/app",
        }
    ]


def test_app_user_provider_uses_the_configured_endpoint_and_a_secret_password(program):
    deployment = program("dev", overrides={"aurora:appUser": APP_USER})
    provider = deployment.one("pulumi:providers:mysql")
    assert provider.inputs["endpoint"] == "127.0.0.1:3307"
    assert provider.inputs["username"] == "admin"
    # A Pulumi secret: encrypted in the state, never plain text.
    assert provider.inputs["password"]["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
    for resource in deployment.of_type("mysql:index/user:User") + deployment.of_type("mysql:index/grant:Grant"):
        assert resource.inputs and "password" not in resource.inputs
    app_user = deployment.one("aurora:index:AppUser")
    assert deployment.named("database-instance-1").urn in app_user.dependencies


PROPS = {
    "cluster_arn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
    "cluster_resource_id": "cluster-ABCDEFGHIJKL",
    "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
    "region": "us-east-1",
    "files": [{"name": "01.sql", "statements": ["CREATE DATABASE IF NOT EXISTS tutorial"]}],
    "digest": "d1",
    "teardown_files": [{"name": "drop.sql", "statements": ["DROP DATABASE IF EXISTS tutorial"]}],
    "drop_on_delete": False,
}
TARGET = {"resourceArn": PROPS["cluster_arn"], "secretArn": PROPS["secret_arn"]}


@pytest.fixture
def data_api(monkeypatch, stub):
    client, stubber = stub("rds-data")
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    monkeypatch.setattr("pulumi.log.info", lambda *args, **kwargs: None)
    return stubber


def expect_file(stubber, statement):
    stubber.add_response("begin_transaction", {"transactionId": "tx"}, TARGET)
    stubber.add_response("execute_statement", {}, {**TARGET, "sql": statement, "transactionId": "tx"})
    stubber.add_response("commit_transaction", {}, {**TARGET, "transactionId": "tx"})


def test_create_applies_the_files(data_api):
    expect_file(data_api, "CREATE DATABASE IF NOT EXISTS tutorial")
    result = SqlFilesProvider().create(PROPS)
    assert result.id == f"{PROPS['cluster_arn']}/d1"
    assert result.outs["applied"] == ["01.sql: 1 statement(s) committed"]


def test_an_edited_file_is_an_update_never_a_replacement():
    diff = SqlFilesProvider().diff("id", PROPS, {**PROPS, "digest": "d2"})
    assert diff.changes is True and diff.replaces == []
    assert SqlFilesProvider().diff("id", PROPS, dict(PROPS)).changes is False


def test_update_reapplies_only_when_the_sql_or_cluster_changed(data_api):
    SqlFilesProvider().update("id", PROPS, {**PROPS, "drop_on_delete": True})
    expect_file(data_api, ANY)
    SqlFilesProvider().update("id", PROPS, {**PROPS, "digest": "d2"})


def test_delete_keeps_the_data_by_default(data_api):
    SqlFilesProvider().delete("id", PROPS)


def test_delete_drops_the_database_only_when_asked(data_api):
    expect_file(data_api, "DROP DATABASE IF EXISTS tutorial")
    SqlFilesProvider().delete("id", {**PROPS, "drop_on_delete": True})


def test_sample_data_is_keyed_on_the_clusters_incarnation(dev):
    """A cluster replaced under the same identifier keeps its ARN (arn:aws:rds:region:account:cluster:<id>)
    but gets a new DbClusterResourceId (botocore RDS model, shape DBCluster: DbClusterResourceId,
    "unique and immutable"); the provider records it as cluster_resource_id."""
    resource = dev.one(DYNAMIC, "sample-data")
    assert resource.inputs["cluster_resource_id"] == "cluster-ABCDEFGHIJKL"
    assert resource.property_dependencies["cluster_resource_id"] == [dev.named("database-cluster").urn]


def test_a_replaced_cluster_with_the_same_arn_gets_the_data_again(data_api):
    replaced = {**PROPS, "cluster_resource_id": "cluster-NEWNEWNEWNEW"}
    assert SqlFilesProvider().diff("id", PROPS, replaced).changes is True
    expect_file(data_api, ANY)
    result = SqlFilesProvider().update("id", PROPS, replaced)
    assert result.outs["applied"] == ["01.sql: 1 statement(s) committed"]


def test_a_failing_file_raises_a_message_saying_what_to_do(data_api):
    data_api.add_client_error("begin_transaction", "BadRequestException", "Database error", 400, expected_params=TARGET)
    with pytest.raises(SampleDataError) as caught:
        SqlFilesProvider().create(PROPS)
    message = str(caught.value)
    assert message.startswith(f"sample data on {PROPS['cluster_arn']}: could not start a transaction")
    assert message.endswith("fix the cause and run `pulumi up` again, or `python -m ops seed`")
