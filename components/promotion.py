"""Promotion: the snapshot a production cluster is restored from (the workshop's "Deploy to
provisioned mode" step).

With `restoreFrom.stack`, the prod stack snapshots the dev stack's cluster itself. The snapshot is
a resource of the prod stack that is never deleted by Pulumi (`retain_on_delete`) and never
replaced because the dev cluster changed (`ignore_changes` on its source): once prod exists,
nothing dev does can touch it. With `restoreFrom.snapshotIdentifier`, an existing snapshot is used
as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .settings import RestoreSource

MISSING_SOURCE = "source-stack-has-no-clusterIdentifier-output"


@dataclass
class PromotionArgs:
    source: RestoreSource
    """The dev stack to snapshot, or an existing snapshot."""
    target_cluster_identifier: str
    """The production cluster's identifier; the snapshot is named after it."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags for the snapshot."""


class Promotion(pulumi.ComponentResource):
    """Resolves (and if needed takes) the snapshot the production cluster is restored from."""

    snapshot: aws.rds.ClusterSnapshot | None
    snapshot_identifier: pulumi.Output[str]

    def __init__(self, name: str, args: PromotionArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:database:Promotion", name, None, opts)
        self.snapshot = None
        source_name = args.source.stack
        if args.source.snapshot_identifier:
            self.snapshot_identifier = pulumi.Output.from_input(args.source.snapshot_identifier)
        elif source_name is None:
            raise ValueError("RestoreSource needs a stack or a snapshot identifier")
        else:
            source_stack = pulumi.StackReference(
                f"{name}-source", stack_name=source_name, opts=pulumi.ResourceOptions(parent=self)
            )
            self.snapshot = aws.rds.ClusterSnapshot(
                f"{name}-snapshot",
                db_cluster_identifier=source_stack.get_output("clusterIdentifier").apply(
                    lambda identifier: identifier or _missing_source(source_name)
                ),
                db_cluster_snapshot_identifier=f"{args.target_cluster_identifier}-promotion",
                tags={**args.tags, "PromotedFrom": source_name},
                opts=pulumi.ResourceOptions(
                    parent=self,
                    # Manual snapshots never expire: this one outlives the stack as the record of
                    # what production started from.
                    retain_on_delete=True,
                    # A new or renamed dev cluster must not replace the snapshot prod came from.
                    ignore_changes=["dbClusterIdentifier"],
                ),
            )
            self.snapshot_identifier = self.snapshot.db_cluster_snapshot_identifier
        self.register_outputs({"snapshotIdentifier": self.snapshot_identifier})


def _missing_source(stack: str) -> str:
    # Once prod exists the source is ignored, so a destroyed dev stack must not break `up`;
    # on a first promotion AWS then reports this placeholder as an unknown cluster.
    pulumi.log.warn(
        f"stack {stack} has no clusterIdentifier output: an existing promotion snapshot is kept as it is; "
        f"a first promotion needs `pulumi up -s {stack.rsplit('/', 1)[-1]}` first"
    )
    return MISSING_SOURCE
