"""`read` of the dynamic providers, what `pulumi refresh` and `pulumi preview --refresh` (the drift
workflow) call: gone with their cluster, otherwise their recorded outputs unchanged, and an error
(a denied call) raised rather than taken for a deletion.

Sources: botocore's RDS model (DescribeDBClusters takes "the user-supplied DB cluster identifier or
the Amazon Resource Name (ARN)" and its one modeled error is DBClusterNotFoundFault); Pulumi's
provider plugin (pkg/resource/plugin/provider_plugin.go, Read: "If the resource was missing, simply
return a nil property map" when the id read back is empty); the Python SDK's dynamic provider host
(pulumi/dynamic/__main__.py, Read: the result's id and outs become the ReadResponse).
"""

from __future__ import annotations

import boto3
import botocore.session
import pytest

from components.restore_completion import RestoreCompletionError, RestoreCompletionProvider
from components.sample_data import SampleDataError, SqlFilesProvider
from tests.helpers import create_moto_cluster

SAMPLE_DATA = {
    "cluster_arn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
    "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
    "region": "us-east-1",
    "files": [{"name": "01.sql", "statements": ["CREATE DATABASE IF NOT EXISTS tutorial"]}],
    "digest": "d1",
    "teardown_files": [{"name": "drop.sql", "statements": ["DROP DATABASE IF EXISTS tutorial"]}],
    "drop_on_delete": False,
}
RESTORE_COMPLETION = {
    "cluster_identifier": "aurora-prod",
    "data_api": True,
    "iam_authentication": True,
    "insights_mode": "standard",
    "insights_retention_days": 7,
    "region": "us-east-1",
    "applied": ["Data API enabled"],
}
# (provider, recorded outputs, id, the cluster it belongs to, how DescribeDBClusters is asked for it)
READERS = [
    (
        SqlFilesProvider,
        SAMPLE_DATA,
        "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev/d1",
        "aurora-dev",
        SAMPLE_DATA["cluster_arn"],
    ),
    (RestoreCompletionProvider, RESTORE_COMPLETION, "aurora-prod-restore-completion", "aurora-prod", "aurora-prod"),
]
IDS = ["sample-data", "restore-completion"]


def test_describe_db_clusters_takes_an_identifier_or_arn_and_answers_not_found_with_its_one_modeled_error():
    operation = botocore.session.get_session().get_service_model("rds").operation_model("DescribeDBClusters")
    assert "or the Amazon Resource Name (ARN)" in operation.input_shape.members["DBClusterIdentifier"].documentation
    assert [error.name for error in operation.error_shapes] == ["DBClusterNotFoundFault"]


@pytest.mark.parametrize(("provider", "outputs", "id_", "cluster", "_asked"), READERS, ids=IDS)
def test_read_keeps_the_recorded_outputs_while_the_cluster_exists(moto_rds, provider, outputs, id_, cluster, _asked):
    create_moto_cluster(moto_rds, cluster)
    result = provider().read(id_, dict(outputs))
    assert result.id == id_
    assert result.outs == outputs


@pytest.mark.parametrize(("provider", "outputs", "id_", "cluster", "_asked"), READERS, ids=IDS)
def test_read_reports_the_resource_gone_when_its_cluster_is_gone(moto_rds, provider, outputs, id_, cluster, _asked):
    create_moto_cluster(moto_rds, "some-other-cluster")
    result = provider().read(id_, dict(outputs))
    assert not result.id
    assert result.outs == {}


@pytest.mark.parametrize(("provider", "outputs", "id_", "_cluster", "asked"), READERS, ids=IDS)
def test_read_makes_one_read_only_call_for_its_own_cluster(monkeypatch, stub, provider, outputs, id_, _cluster, asked):
    """The drift role is read-only: no Data API, no secret, nothing but DescribeDBClusters of that cluster."""
    client, stubber = stub("rds")
    services = []
    monkeypatch.setattr(boto3, "client", lambda service, region_name: services.append((service, region_name)) or client)
    stubber.add_response("describe_db_clusters", {"DBClusters": [{"DBClusterIdentifier": "x"}]}, {"DBClusterIdentifier": asked})
    provider().read(id_, dict(outputs))
    assert services == [("rds", "us-east-1")]


@pytest.mark.parametrize(("provider", "outputs", "id_", "_cluster", "asked"), READERS, ids=IDS)
def test_a_denied_read_fails_the_refresh_instead_of_reporting_the_resource_gone(
    monkeypatch, stub, provider, outputs, id_, _cluster, asked
):
    client, stubber = stub("rds")
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    stubber.add_client_error("describe_db_clusters", "AccessDenied", "not authorized", 403, {"DBClusterIdentifier": asked})
    # Behind the provider boundary (components/provider_boundary.py) the failure is the resource's one-line error.
    error_type = SampleDataError if provider is SqlFilesProvider else RestoreCompletionError
    with pytest.raises(error_type, match="read: AccessDenied: not authorized"):
        provider().read(id_, dict(outputs))
