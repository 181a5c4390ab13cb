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
    performance_insights: bool
    insights_retention_days: int | None
    insights_kms_key_id: str | None = None
    """The stack's customer managed key for Performance Insights; None: the AWS managed aws/rds."""


def insights_changes(cluster: dict[str, Any], features: RestoredFeatures) -> dict[str, Any]:
    """ModifyDBCluster parameters that bring Database Insights and Performance Insights to what is
    declared. The mode alone says nothing: a cluster whose mode was never set reports `standard`
    with Performance Insights off (terraform-provider-aws TestAccRDSCluster_basic), which is what
    a restore leaves, so Performance Insights and its retention are compared too."""
    if features.insights_mode is None and not features.performance_insights:
        return {}
    matches = (
        cluster.get("DatabaseInsightsMode") == features.insights_mode
        and bool(cluster.get("PerformanceInsightsEnabled")) == features.performance_insights
        and (
            not features.performance_insights
            or cluster.get("PerformanceInsightsRetentionPeriod") == features.insights_retention_days
        )
    )
    if matches:
        return {}
    # Advanced mode needs Performance Insights in the same call: send the three together.
    changes: dict[str, Any] = {"EnablePerformanceInsights": features.performance_insights}
    if features.insights_mode is not None:
        changes["DatabaseInsightsMode"] = features.insights_mode
    if features.performance_insights and features.insights_retention_days is not None:
        changes["PerformanceInsightsRetentionPeriod"] = features.insights_retention_days
    # The key is chosen when Performance Insights is first switched on and can never change after
    # ("InvalidParameterCombination: You cannot change your Performance Insights KMS key";
    # terraform-provider-aws #9746, #44046): send it only then.
    if features.performance_insights and features.insights_kms_key_id and not cluster.get("PerformanceInsightsEnabled"):
        changes["PerformanceInsightsKMSKeyId"] = features.insights_kms_key_id
    return changes


def complete_restore(rds: Any, features: RestoredFeatures, report: Callable[[str], None] = print) -> list[str]:
    """Apply the settings a restore skipped; idempotent, so a re-run after a failure is safe."""
    cluster = rds.describe_db_clusters(DBClusterIdentifier=features.cluster_identifier)["DBClusters"][0]
    done = []
    modify: dict[str, Any] = {}
    if features.iam_authentication and not cluster.get("IAMDatabaseAuthenticationEnabled"):
        modify["EnableIAMDatabaseAuthentication"] = True
    modify.update(insights_changes(cluster, features))
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
