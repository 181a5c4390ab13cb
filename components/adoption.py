"""Resources that exist already (a cluster built in the console): what the program imports, under
the names they have.

Each is declared with Pulumi's `import` resource option: the first `up` adopts it into the state
instead of creating it. The cluster and its instances hold the data: the stack must protect them
(`aurora:protect`, a settings rule), so nothing in the same `up` or later may delete or replace
them; every name and option the program sends comes from the settings, not from this section, so
removing the section after the first `up` plans nothing. The
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


class AdoptedCluster(TypedDict):
    """A cluster that exists, imported with its instances and the log groups RDS already writes to."""

    instance_zones: Sequence[str]
    """The zone each instance runs in, the writer first (its instances keep their names, which the
    stack declares: `AuroraClusterArgs.instance_identifiers`). Kept: another zone replaces an instance."""
    log_types: Sequence[str]
    """Exported log types whose group /aws/rds/cluster/<cluster>/<type> exists: imported, not created."""
    storage_key_arn: NotRequired[str | None]
    """The cluster's storage key as RDS reports it (KmsKeyId), sent unchanged (ForceNew); absent (None)
    when the cluster is not encrypted (the program refuses to adopt one)."""


def imported(import_id: str | None) -> pulumi.ResourceOptions:
    """The option of a resource that exists: imported by `import_id` on the first `up` (None: the
    program creates it). Protection is the stack's own (`protect`, which an adoption needs on for the
    cluster and its instances), so removing the adoption section later changes no option."""
    return pulumi.ResourceOptions(import_=import_id)
