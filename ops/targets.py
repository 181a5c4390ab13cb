"""Where Data API calls go: a cluster ARN and the Secrets Manager secret that signs in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import OperationError


@dataclass(frozen=True)
class DataApiTarget:
    cluster_arn: str
    secret_arn: str

    def request(self) -> dict[str, str]:
        return {"resourceArn": self.cluster_arn, "secretArn": self.secret_arn}


def from_cluster(cluster: dict[str, Any]) -> DataApiTarget:
    """The target of a described cluster, through its RDS-managed master secret."""
    secret = (cluster.get("MasterUserSecret") or {}).get("SecretArn")
    if not secret:
        raise OperationError(
            f"cluster {cluster['DBClusterIdentifier']!r} has no managed master secret for the Data API to use; "
            "pass --cluster-arn and --secret-arn"
        )
    return DataApiTarget(cluster["DBClusterArn"], secret)
