"""Shared test fixtures: the recording mock engine (from `plan.engine`) run over the real stack
files, a MariaDB server on 127.0.0.1, botocore Stubbers and moto credentials."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from plan.engine import (  # noqa: F401  (re-exported for the test modules)
    ACCOUNT,
    DEFAULT_SUBNETS,
    Deployment,
    Registration,
    run_program,
    stack_config,
)

DEV_SOURCE_OUTPUTS = {
    "organization/aurora/dev": {
        "clusterIdentifier": "aurora-dev",
        "clusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:aurora-dev",
        "engineVersion": "8.0.mysql_aurora.3.10.5",
    }
}


@pytest.fixture(scope="session")
def dev() -> Deployment:
    return run_program("dev")


@pytest.fixture(scope="session")
def prod() -> Deployment:
    return run_program("prod", stack_outputs=DEV_SOURCE_OUTPUTS)


@pytest.fixture
def program() -> Callable[..., Deployment]:
    return run_program


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory):
    import mariadb_server

    server, database = mariadb_server.start(tmp_path_factory.mktemp("mariadb"))
    yield database
    mariadb_server.stop(server)


@pytest.fixture
def empty_mariadb(mariadb):
    """The server with no `tutorial` database, whatever an earlier test left."""
    connection = mariadb.connect()
    with connection.cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS tutorial")
    connection.close()
    return mariadb


@pytest.fixture
def stub():
    """`stub("rds")` gives a boto3 client and its botocore Stubber, which checks each request
    against the service model; every queued response must have been used by the end of the test."""
    import boto3
    from botocore.stub import Stubber

    stubbers = []

    def make(service: str):
        client = boto3.client(service, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        stubber = Stubber(client)
        stubber.activate()
        stubbers.append(stubber)
        return client, stubber

    yield make
    for stubber in stubbers:
        stubber.deactivate()
        stubber.assert_no_pending_responses()


@pytest.fixture
def fake_aws_credentials(monkeypatch):
    """Credentials and region for moto: never real ones, whatever the environment holds."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
