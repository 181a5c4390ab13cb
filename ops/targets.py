"""Where Data API calls go: a cluster ARN and the Secrets Manager secret that signs in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from awscalls.errors import OperationError, error_code, error_message

from .cluster_ops import describe_cluster

# How RDS Data API says that the cluster's HTTP endpoint is off. botocore's rds-data model:
# HttpEndpointNotEnabledException, "The HTTP endpoint for using RDS Data API isn't enabled for the DB
# cluster"; before it, BadRequestException (now "deprecated" there) with the message the Aurora User
# Guide's "Troubleshooting RDS Data API" names, "HttpEndpoint is not enabled for cluster <cluster_ID>".
ENDPOINT_NOT_ENABLED = "HttpEndpointNotEnabledException"
ENDPOINT_NOT_ENABLED_MESSAGE = "httpendpoint is not enabled"
# A caller allowed rds-data but not rds:DescribeDBClusters: the statement's own answer then tells.
ACCESS_DENIED = ("AccessDenied", "AccessDeniedException")


@dataclass(frozen=True)
class DataApiTarget:
    cluster_arn: str
    secret_arn: str

    def request(self) -> dict[str, str]:
        return {"resourceArn": self.cluster_arn, "secretArn": self.secret_arn}

    @property
    def cluster(self) -> str:
        """The cluster identifier: the last part of its ARN, arn:PARTITION:rds:REGION:ACCOUNT:cluster:ID."""
        return self.cluster_arn.rsplit(":", 1)[-1]


def from_cluster(cluster: dict[str, Any]) -> DataApiTarget:
    """The target of a described cluster, through its RDS-managed master secret."""
    secret = (cluster.get("MasterUserSecret") or {}).get("SecretArn")
    if not secret:
        raise OperationError(
            f"cluster {cluster['DBClusterIdentifier']!r} has no managed master secret for the Data API to use; "
            "pass --cluster-arn and --secret-arn"
        )
    return DataApiTarget(cluster["DBClusterArn"], secret)


def data_api_off(cluster: str, cluster_arn: str) -> str:
    """One line for a cluster whose Data API is off, the same in every command that uses it: which
    cluster, and how to turn it on. RDS EnableHttpEndpoint works for any cluster; the stack setting
    only for a stack's own (a clone or a restore made by `ops` belongs to no stack)."""
    return (
        f"the Data API is off on cluster {cluster!r}: turn it on with aws rds enable-http-endpoint --resource-arn "
        f"{cluster_arn} (a stack's own cluster: aurora:dataApi: true, then pulumi up)"
    )


def says_data_api_off(error: Exception) -> bool:
    """Whether a Data API failure is its answer for a cluster whose HTTP endpoint is off."""
    if error_code(error) == ENDPOINT_NOT_ENABLED:
        return True
    return error_code(error) == "BadRequestException" and ENDPOINT_NOT_ENABLED_MESSAGE in error_message(error).lower()


def require_data_api(rds: Any, cluster_id_or_arn: str) -> None:
    """Refuse a cluster whose Data API is off (DescribeDBClusters' HttpEndpointEnabled) before any
    statement is sent: AWS would refuse the statement, and an endpoint that does not check the
    switch (moto) would answer as if it had run it (`wake` would report a false success)."""
    try:
        cluster = describe_cluster(rds, cluster_id_or_arn)
    except ClientError as error:
        if error_code(error) in ACCESS_DENIED:
            return
        raise
    if not cluster.get("HttpEndpointEnabled"):
        raise OperationError(data_api_off(cluster["DBClusterIdentifier"], cluster["DBClusterArn"]))
