"""Names of the snapshots a stack leaves behind, unique per incarnation of the stack.

A manual cluster snapshot never expires, so a fixed name (`<cluster>-final`) collides the second
time: the second `pulumi destroy` of a re-created dev stack, or a re-created prod stack, fails with
DBClusterSnapshotAlreadyExists. Each name gets a random suffix that lives as long as the stack's
resources (a `RandomId`, the Pulumi equivalent of the `random_id` terraform-aws-modules uses): the
same on every `up`, new after a `destroy`. The names themselves, and the limit they must fit, are
in `derived_names`.
"""

from __future__ import annotations

import pulumi
import pulumi_random as random

from settings.derived_names import SUFFIX_BYTES


def incarnation_suffix(resource_name: str, cluster_identifier: str, opts: pulumi.ResourceOptions) -> random.RandomId:
    """A suffix that changes only when the resource is re-created (or the cluster is renamed)."""
    return random.RandomId(resource_name, byte_length=SUFFIX_BYTES, keepers={"clusterIdentifier": cluster_identifier}, opts=opts)
