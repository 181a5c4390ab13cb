"""RestoreCompletion: applies, right after a snapshot restore, what the restore itself skipped.

A dynamic resource that acts once, when the restored cluster is created (see
`awscalls/restored_cluster.py`). Later `up`s leave it alone: the cluster resource itself keeps those
settings from then on.

`pulumi.log` from a dynamic provider reaches only the provider host's stderr: what was applied is
the `applied` output (exported by the stack), and a failure raises a message that says what to do.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider

from awscalls.restored_cluster import Pacing, RestoredFeatures

PACING = Pacing()
"""How the completion waits (a module attribute, so tests can run it on a fake clock)."""


class RestoreCompletionError(Exception):
    """The restored cluster exists but is not complete; the message says what to do."""


class RestoreCompletionProvider(ResourceProvider):
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

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # One-shot: the cluster resource owns these settings after the first `up`.
        return DiffResult(changes=False, replaces=[], delete_before_replace=False)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Nothing to undo: the settings belong to the cluster."""

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
    """What the completion changed on the restored cluster, one line per call."""
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
