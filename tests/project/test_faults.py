"""The fault injector itself (tests/faults.py), against moto: each kind does what it says."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from moto import mock_aws

from tests.faults import Faults, every_fault


@pytest.fixture
def rds(fake_aws_credentials):
    with mock_aws():
        yield boto3.client("rds", region_name="us-east-1")


def _clusters(rds) -> list[str]:
    return [cluster["DBClusterIdentifier"] for cluster in rds.describe_db_clusters()["DBClusters"]]


def _create(client, name: str) -> None:
    client.create_db_cluster(
        DBClusterIdentifier=name, Engine="aurora-mysql", MasterUsername="admin", MasterUserPassword="password1"
    )


def test_a_call_failing_before_it_takes_effect_changes_nothing(rds):
    faults = Faults(fail_at=1, kind="before")
    with pytest.raises(ClientError, match="Throttling"):
        _create(faults.wrap(rds), "clone")
    assert _clusters(rds) == [] and faults.calls == ["rds.CreateDBCluster"]


def test_a_call_whose_answer_is_lost_has_taken_effect(rds):
    faults = Faults(fail_at=1, kind="lost")
    with pytest.raises(ReadTimeoutError):
        _create(faults.wrap(rds), "clone")
    assert _clusters(rds) == ["clone"]


def test_a_retried_call_answers_with_its_second_answer(rds):
    faults = Faults(fail_at=1, kind="retried")
    with pytest.raises(ClientError, match="AlreadyExists"):
        _create(faults.wrap(rds), "clone")
    assert _clusters(rds) == ["clone"]


def test_only_the_chosen_call_fails_and_every_call_is_counted(rds):
    faults = Faults(fail_at=2, kind="before")
    client = faults.wrap(rds)
    assert client.describe_db_clusters()["DBClusters"] == []
    with pytest.raises(ClientError):
        client.describe_db_clusters()
    assert client.describe_db_clusters()["DBClusters"] == []
    assert faults.calls == ["rds.DescribeDBClusters"] * 3 and faults.fired


def test_every_fault_covers_each_call_in_each_kind():
    assert [(f.fail_at, f.kind) for f in every_fault(2)] == [
        (1, "before"),
        (1, "lost"),
        (1, "retried"),
        (2, "before"),
        (2, "lost"),
        (2, "retried"),
    ]
