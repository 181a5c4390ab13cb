"""Promotion: the snapshot a production cluster is restored from (the workshop's "Deploy to
provisioned mode" step).

With `restoreFrom.stack`, the prod stack snapshots the dev stack's cluster itself. The snapshot is
a resource of the prod stack that is never deleted by Pulumi (`retain_on_delete`) and never
replaced because the dev cluster changed (`ignore_changes` on its source): once prod exists,
nothing dev does can touch it. With `restoreFrom.snapshotIdentifier`, an existing snapshot is used
as it is.

The snapshot is named `<cluster>-promotion-<suffix>`, the suffix new for each incarnation of the
prod stack (see `snapshot_names`): a retained snapshot of an earlier prod never blocks the next.
Its identifier is ForceNew on `rds.ClusterSnapshot`, so a stack promoted before the suffix existed
keeps its old name (`ignore_changes`), never replacing the snapshot it was restored from.

A snapshot restores at its own engine version: the dev stack exports `engineVersion`, and a first
promotion configured for another version is refused before the cluster is declared from it. Once
the production cluster exists, dev's version no longer matters (dev may be upgraded first).

Once the production cluster exists it does not need the snapshot either. The cluster records the
snapshot's identifier in its `PromotedFromSnapshot` tag; if someone deletes the snapshot, the next
run finds it gone and stops declaring it (one warning says so): nothing snapshots dev again, a
destroyed dev stack does not matter, and the cluster (which ignores `snapshotIdentifier`) is
untouched. Without a refresh the plan shows the snapshot leaving the state, as a retained delete
that calls no AWS API.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks
from settings.deployed import snapshot_exists
from settings.derived_names import promotion_snapshot_identifier

from .arg_rules import ArgError, Rule, check_tags, refuse_bad_args
from .package_identity import released_identity, type_token
from .snapshot_names import incarnation_suffix

MISSING_SOURCE = "source-stack-has-no-clusterIdentifier-output"


class PromotionError(pulumi.RunError):
    """The source stack cannot be promoted as configured (shown without a traceback)."""


def check_source_engine_version(stack: str, cluster: str | None, source_version: str | None, target_version: str) -> None:
    """A snapshot restores at its own engine version: refuse any other before asking AWS."""
    if not cluster:
        return  # dev is gone: an existing prod keeps its snapshot (see _missing_source)
    dev = stack.rsplit("/", 1)[-1]
    if not source_version:
        raise PromotionError(
            f"aurora:restoreFrom.stack {stack} exports no engineVersion output, so the snapshot's version "
            f"cannot be checked: run `pulumi up -s {dev}` once with this version of the program, then retry"
        )
    if source_version != target_version:
        raise PromotionError(
            f"aurora:engineVersion is {target_version!r} but {stack} runs {source_version!r}: a snapshot "
            f"restores at its own version; set aurora:engineVersion to {source_version!r} in this stack "
            "(upgrade after the promotion if you need a newer one)"
        )


class PromotionArgs(TypedDict):
    """Where the production cluster's data comes from; a dict from the program and from the package."""

    source_stack: NotRequired[str | None]
    """The stack (organization/project/stack) whose `clusterIdentifier` is snapshotted; or"""
    source_snapshot: NotRequired[str | None]
    """an existing cluster snapshot's identifier or ARN. Exactly one of the two."""
    target_cluster_identifier: str
    """The production cluster's identifier; the snapshot is named after it."""
    target_engine_version: str
    """The production cluster's engine version: it must be the snapshot's."""
    target_exists: NotRequired[bool]
    """The production cluster was restored by an earlier run: its source no longer matters; default false."""
    recorded_snapshot: NotRequired[str | None]
    """The snapshot the existing cluster says it was restored from (its `PromotedFromSnapshot` tag); default none."""
    tags: NotRequired[dict[str, str]]
    """Tags for the snapshot; default none."""


# Each arg's rule is its setting's (settings/model.py `RestoreFromConfig`).
PROMOTION_ARG_RULES: dict[str, Rule] = {
    "source_stack": checks.check_stack_reference,
    "source_snapshot": checks.check_snapshot_identifier,
    "target_cluster_identifier": checks.check_identifier,
    "target_engine_version": checks.check_engine_version,
    "tags": check_tags,
}


class Promotion(pulumi.ComponentResource):
    """Resolves (and if needed takes) the snapshot the production cluster is restored from."""

    snapshot_identifier: pulumi.Output[str]
    """The snapshot to restore the production cluster from (`AuroraCluster.snapshotIdentifier`)."""

    def __init__(self, name: str, args: PromotionArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("Promotion", args, PROMOTION_ARG_RULES)
        super().__init__(type_token("Promotion"), name, None, released_identity(opts, "aurora:database:Promotion"))
        # The child, for the program (not an output of the package).
        self.snapshot: aws.rds.ClusterSnapshot | None = None
        source_name, source_snapshot = args.get("source_stack"), args.get("source_snapshot")
        target_exists, recorded, tags = args.get("target_exists", False), args.get("recorded_snapshot"), args.get("tags", {})
        if source_snapshot:
            self.snapshot_identifier = pulumi.Output.from_input(source_snapshot)
        elif source_name is None:
            raise ArgError("Promotion args sourceStack and sourceSnapshot are both absent: give exactly one")
        else:
            source_stack = pulumi.StackReference(
                f"{name}-source", stack_name=source_name, opts=pulumi.ResourceOptions(parent=self)
            )
            # Checked before anything depends on the snapshot: outputs of a stack reference are known
            # in preview too, so a mismatch is reported before any resource changes.
            if not target_exists:
                check_source_engine_version(
                    source_name,
                    _output_value(source_stack, "clusterIdentifier"),
                    _output_value(source_stack, "engineVersion"),
                    args["target_engine_version"],
                )
            suffix = incarnation_suffix(
                f"{name}-snapshot-suffix", args["target_cluster_identifier"], pulumi.ResourceOptions(parent=self)
            )
            if target_exists and recorded and not snapshot_exists(recorded):
                pulumi.log.warn(
                    f"promotion snapshot {recorded} no longer exists: the production cluster does not need it, "
                    "so this stack stops tracking it (nothing is snapshotted again)"
                )
                self.snapshot_identifier = pulumi.Output.from_input(recorded)
                self.register_outputs({"snapshotIdentifier": self.snapshot_identifier})
                return
            self.snapshot = aws.rds.ClusterSnapshot(
                f"{name}-snapshot",
                db_cluster_identifier=source_stack.get_output("clusterIdentifier").apply(
                    lambda identifier: identifier or _missing_source(source_name)
                ),
                db_cluster_snapshot_identifier=suffix.hex.apply(
                    lambda hex_suffix: promotion_snapshot_identifier(args["target_cluster_identifier"], hex_suffix)
                ),
                tags={**tags, "PromotedFrom": source_name},
                opts=pulumi.ResourceOptions(
                    parent=self,
                    # Manual snapshots never expire: this one outlives the stack as the record of
                    # what production started from.
                    retain_on_delete=True,
                    # A new or renamed dev cluster must not replace the snapshot prod came from;
                    # nor may the suffixed name replace one taken before names had a suffix.
                    ignore_changes=["dbClusterIdentifier", "dbClusterSnapshotIdentifier"],
                ),
            )
            self.snapshot_identifier = self.snapshot.db_cluster_snapshot_identifier
        self.register_outputs({"snapshotIdentifier": self.snapshot_identifier})


def _output_value(stack: pulumi.StackReference, name: str) -> str | None:
    # Private API, kept on purpose: the value is needed while the program runs (to choose what to
    # declare), and pulumi offers it only as `get_output_details`, a coroutine; no public
    # synchronous helper exists (pulumi 3.x: StackReference.get_output / require_output return
    # Outputs, which cannot decide what is declared).
    from pulumi.runtime.sync_await import _sync_await

    return _sync_await(stack.get_output_details(name)).value


def _missing_source(stack: str) -> str:
    # Once prod exists the source is ignored, so a destroyed dev stack must not break `up`;
    # on a first promotion AWS then reports this placeholder as an unknown cluster.
    pulumi.log.warn(
        f"stack {stack} has no clusterIdentifier output: an existing promotion snapshot is kept as it is; "
        f"a first promotion needs `pulumi up -s {stack.rsplit('/', 1)[-1]}` first"
    )
    return MISSING_SOURCE
