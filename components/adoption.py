"""Resources that exist already (a cluster built in the console): what the program imports, under
the names they have.

Each is declared with Pulumi's `import` resource option and `protect`: the first `up` adopts it into
the state instead of creating it, and nothing in the same `up` may delete or replace it. The
import id is what each provider resource's importer reads the resource by (terraform-provider-aws,
which pulumi-aws bridges): the DB cluster identifier (internal/service/rds/cluster.go,
`resourceClusterImport` then `resourceClusterRead`, DescribeDBClusters by the id), the DB instance
identifier (rds/cluster_instance.go, passthrough importer), the DB subnet group's name
(rds/subnet_group.go, passthrough) and the log group's name (logs/group.go, passthrough).

An import honours `ignore_changes` (pulumi/pulumi #5878, fixed by #5976 in CLI 2.16): what the
program ignores after creation (the cluster's availabilityZones, an instance's zone) is taken as it is.
What may differ between the program and the live resources is judged before anything is declared
(`settings/adoption.py`); these values only say which resources exist and how to send what must
not change.

The values are TypedDicts, nested types of the package's schema (`aurora:index:AdoptedCluster`, ...):
the component host hands a component nested objects as dicts, and the program passes the same.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads these types, not text (package/).
from collections.abc import Sequence
from typing import NotRequired, TypedDict

import pulumi


class ExistingInstance(TypedDict):
    """An instance of the adopted cluster."""

    identifier: str
    """The DB instance identifier, kept (ForceNew: a new one replaces the instance)."""
    availability_zone: str
    """The zone it runs in, kept (ForceNew: another zone replaces the instance)."""


class AdoptedCluster(TypedDict):
    """A cluster that exists, imported with its instances and the log groups RDS already writes to."""

    instances: Sequence[ExistingInstance]
    """The writer first, then the readers in promotion order: one per instance the shape declares."""
    log_types: Sequence[str]
    """Exported log types whose group /aws/rds/cluster/<cluster>/<type> exists: imported, not created."""
    storage_key_arn: NotRequired[str | None]
    """The cluster's storage key as RDS reports it (KmsKeyId), sent unchanged (ForceNew); absent (None)
    when the cluster is not encrypted (the program refuses to adopt one)."""


class ExistingSubnetGroup(TypedDict):
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
