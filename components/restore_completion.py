"""RestoreCompletion: applies, right after a snapshot restore, what the restore itself skipped.

A dynamic resource that acts once, when the restored cluster is created (see
`awscalls/restored_cluster.py`). Later `up`s leave it alone: the cluster resource itself keeps those
settings from then on.

`pulumi.log` from a dynamic provider reaches only the provider host's stderr: what was applied is
the `applied` output (exported by the stack), and a failure raises one line that says what to do
(`provider_boundary`). A failed create records nothing, so `pulumi up` runs the completion again,
which resumes on whatever the failed run left in flight.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult

from awscalls.restored_cluster import Pacing, RestoredFeatures

from .provider_boundary import OneLineProvider, in_one_line

PACING = Pacing()
"""How the completion waits (a module attribute, so tests can run it on a fake clock)."""


class RestoreCompletionError(Exception):
    """The restored cluster exists but is not complete; the message says what to do."""


WHAT = "the restore completion"


class RestoreCompletionProvider(OneLineProvider):
    @in_one_line(RestoreCompletionError, WHAT)
    def create(self, props: dict[str, Any]) -> CreateResult:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        from awscalls.restored_cluster import CompletionError, complete_restore, own_master_secret

        features = RestoredFeatures(**{key: props[key] for key in RestoredFeatures.__dataclass_fields__})
        rds = boto3.client("rds", region_name=props["region"])
        try:
            applied = complete_restore(rds, features, report=pulumi.log.info, pacing=PACING)
            secret = (
                own_master_secret(
                    rds,
                    boto3.client("secretsmanager", region_name=props["region"]),
                    features.cluster_identifier,
                    report=pulumi.log.info,
                    pacing=PACING,
                )
                if features.managed_master_password
                else None
            )
        except CompletionError as error:
            raise RestoreCompletionError(f"{features.cluster_identifier} was restored, but not completed: {error}") from error
        except (ClientError, BotoCoreError) as error:
            raise RestoreCompletionError(
                f"{features.cluster_identifier} was restored, but switching on what the restore skips "
                f"(Data API, IAM authentication, Performance Insights, its own master secret) failed: {error}. Fix "
                "the cause and run `pulumi up` again: the completion is retried and only applies what is still missing"
            ) from error
        outs = {**props, "applied": applied, "master_secret_arn": secret}
        return CreateResult(id_=f"{features.cluster_identifier}-restore-completion", outs=outs)

    @in_one_line(RestoreCompletionError, WHAT)
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # One-shot: the cluster resource owns these settings after the first `up`.
        return DiffResult(changes=False, replaces=[], delete_before_replace=False)

    @in_one_line(RestoreCompletionError, WHAT)
    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Nothing to undo: the settings belong to the cluster."""

    @in_one_line(RestoreCompletionError, WHAT)
    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        """On refresh: gone when the restored cluster is gone, otherwise the recorded outputs unchanged.

        The settings it switched on are not compared with the cluster's: from the first `up` on
        they belong to the cluster resource, whose own refresh reads them and reports their drift.
        Reporting them here as well would be a second report that no `up` clears (`diff` is
        one-shot), which is false drift. A deleted cluster is reported (an empty id), so an `up` after
        the refresh completes the restore of the cluster that replaces it.
        """
        import boto3

        rds = boto3.client("rds", region_name=props["region"])
        try:
            rds.describe_db_clusters(DBClusterIdentifier=props["cluster_identifier"])
        except rds.exceptions.DBClusterNotFoundFault:
            return pulumi.dynamic.ReadResult(None, {})
        return pulumi.dynamic.ReadResult(id_, props)


class RestoreCompletion(pulumi.dynamic.Resource):
    applied: pulumi.Output[list[str] | None]
    """The restored cluster's end state for each setting the completion switches on (`Field: value`
    as DescribeDBClusters reports it), the same whether one run applied them or a re-run finished
    what a failed run began."""
    master_secret_arn: pulumi.Output[str | None]
    """The master secret RDS manages for this cluster, checked to be its own (`own_master_secret`);
    None when the password is not managed, or for a completion recorded before the check existed."""

    def __init__(self, name: str, features: RestoredFeatures, region: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__(
            RestoreCompletionProvider(),
            name,
            {**asdict(features), "region": region, "applied": None, "master_secret_arn": None},
            opts,
        )
