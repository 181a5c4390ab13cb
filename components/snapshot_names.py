"""Names of the snapshots a stack leaves behind, unique per incarnation of the stack.

A manual cluster snapshot never expires, so a fixed name (`<cluster>-final`) collides the second
time: the second `pulumi destroy` of a re-created dev stack, or a re-created prod stack, fails with
DBClusterSnapshotAlreadyExists. Each name gets a random suffix that lives as long as the stack's
resources (a `RandomId`, the Pulumi equivalent of the `random_id` terraform-aws-modules uses): the
same on every `up`, new after a `destroy`.
"""

from __future__ import annotations

import pulumi
import pulumi_random as random

# 4 bytes: 8 hex characters, enough to never meet an earlier incarnation's snapshot.
SUFFIX_BYTES = 4


def incarnation_suffix(resource_name: str, cluster_identifier: str, opts: pulumi.ResourceOptions) -> random.RandomId:
    """A suffix that changes only when the resource is re-created (or the cluster is renamed)."""
    return random.RandomId(resource_name, byte_length=SUFFIX_BYTES, keepers={"clusterIdentifier": cluster_identifier}, opts=opts)


def final_snapshot_identifier(cluster_identifier: str, suffix: str) -> str:
    return f"{cluster_identifier}-final-{suffix}"


def promotion_snapshot_identifier(cluster_identifier: str, suffix: str) -> str:
    return f"{cluster_identifier}-promotion-{suffix}"
