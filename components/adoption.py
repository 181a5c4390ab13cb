"""Resources that exist already (a cluster built in the console): what the program imports, under
the names they have.

Each is declared with Pulumi's `import` resource option and `protect`: the first `up` adopts it into
the state instead of creating it, and nothing in the same `up` may delete or replace it. The
import id is what each provider resource's importer reads the resource by (terraform-provider-aws,
which pulumi-aws bridges): the DB cluster identifier (internal/service/rds/cluster.go,
`resourceClusterImport` then `resourceClusterRead`, DescribeDBClusters by the id), the DB instance
identifier (rds/cluster_instance.go, passthrough importer), the DB subnet group's name
(rds/subnet_group.go, passthrough) and the log group's name (logs/group.go, passthrough).

What may differ between the program and the live resources is judged before anything is declared
(`settings/adoption.py`); these values only say which resources exist and how to send what must
not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class ExistingInstance:
    """An instance of the adopted cluster."""

    identifier: str
    """The DB instance identifier, kept (ForceNew: a new one replaces the instance)."""
    availability_zone: str
    """The zone it runs in, kept (ForceNew: another zone replaces the instance)."""


@dataclass(frozen=True)
class AdoptedCluster:
    """A cluster that exists, imported with its instances and the log groups RDS already writes to."""

    instances: Sequence[ExistingInstance]
    """The writer first, then the readers in promotion order: one per instance the shape declares."""
    log_types: Sequence[str]
    """Exported log types whose group /aws/rds/cluster/<cluster>/<type> exists: imported, not created."""
    storage_key_arn: str | None
    """The cluster's storage key as RDS reports it (KmsKeyId), sent unchanged (ForceNew); None when
    the cluster is not encrypted (refused before this point)."""


@dataclass(frozen=True)
class ExistingSubnetGroup:
    """The adopted cluster's DB subnet group, imported and kept as it is."""

    name: str
    """Its name (ForceNew, rds/subnet_group.go)."""
    description: str
    """Its description as RDS has it (updated in place otherwise)."""


def imported(import_id: str) -> pulumi.ResourceOptions:
    """The options of a resource that exists: imported by `import_id` on the first `up`, and protected."""
    return pulumi.ResourceOptions(import_=import_id, protect=True)


def imported_if(import_id: str | None) -> pulumi.ResourceOptions:
    """`imported(import_id)`, or no option for a resource the program creates (None)."""
    return imported(import_id) if import_id is not None else pulumi.ResourceOptions()
