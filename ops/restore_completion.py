"""Switching on what a snapshot restore leaves off.

The AWS provider's restore path does not apply the Data API, IAM authentication or Database
Insights on the first create (aws-facts: "Restoring from a snapshot"). These calls apply them right
after the restore, so one `pulumi up -s prod` gives the promoted cluster its full configuration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RestoredFeatures:
    cluster_identifier: str
    data_api: bool
    iam_authentication: bool
    insights_mode: str | None
    insights_retention_days: int | None


def complete_restore(rds: Any, features: RestoredFeatures, report: Callable[[str], None] = print) -> list[str]:
    """Apply the settings a restore skipped; idempotent, so a re-run after a failure is safe."""
    cluster = rds.describe_db_clusters(DBClusterIdentifier=features.cluster_identifier)["DBClusters"][0]
    done = []
    modify: dict[str, Any] = {}
    if features.iam_authentication and not cluster.get("IAMDatabaseAuthenticationEnabled"):
        modify["EnableIAMDatabaseAuthentication"] = True
    if features.insights_mode and cluster.get("DatabaseInsightsMode") != features.insights_mode:
        modify["DatabaseInsightsMode"] = features.insights_mode
        modify["EnablePerformanceInsights"] = True
        modify["PerformanceInsightsRetentionPeriod"] = features.insights_retention_days
    if modify:
        rds.modify_db_cluster(DBClusterIdentifier=features.cluster_identifier, ApplyImmediately=True, **modify)
        done.append("modified: " + ", ".join(sorted(modify)))
        report(f"{features.cluster_identifier}: {done[-1]}")
        rds.get_waiter("db_cluster_available").wait(
            DBClusterIdentifier=features.cluster_identifier, WaiterConfig={"Delay": 15, "MaxAttempts": 80}
        )
    if features.data_api and not cluster.get("HttpEndpointEnabled"):
        rds.enable_http_endpoint(ResourceArn=cluster["DBClusterArn"])
        done.append("Data API enabled")
        report(f"{features.cluster_identifier}: {done[-1]}")
    return done
