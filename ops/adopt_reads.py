"""What `ops adopt` reads of a live cluster: the cluster, its instances, subnet group and VPC,
security groups, cluster parameters, storage key and log groups. Read-only; each read is one
described AWS call, and the answers are kept as AWS gives them (`Live`) for `adopt` to judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .cluster_ops import describe_cluster

# The CloudWatch Logs group an exported log type lands in (Aurora User Guide, "Publishing Aurora MySQL
# logs to Amazon CloudWatch Logs": /aws/rds/cluster/<cluster-name>/<log_type>).
LOG_GROUP_PREFIX = "/aws/rds/cluster/{cluster}/"

# RDS's own parameter groups are named default.<family> (default.aurora-mysql8.0).
DEFAULT_GROUP_PREFIX = "default."


@dataclass(frozen=True)
class Live:
    """A cluster as AWS describes it, with what it refers to."""

    cluster: dict[str, Any]
    """DescribeDBClusters' DBCluster."""
    instances: list[dict[str, Any]]
    """DescribeDBInstances' DBInstance of each member: the writer first, then readers by promotion tier."""
    subnet_group: dict[str, Any]
    """DescribeDBSubnetGroups' DBSubnetGroup."""
    vpc_is_default: bool
    """Whether the subnet group's VPC is the region's default VPC (DescribeVpcs IsDefault)."""
    security_groups: list[dict[str, Any]]
    """DescribeSecurityGroups' SecurityGroup of each VpcSecurityGroups member."""
    custom_parameters: dict[str, str]
    """The cluster parameter group's parameters a user set (DescribeDBClusterParameters Source=user)."""
    key_arn: str | None
    """The storage key's ARN (DescribeKey), None when unencrypted."""
    key_is_aws_managed: bool
    """KeyManager AWS: the account's aws/rds key, which the settings express by leaving kmsKeyId unset."""
    log_groups: dict[str, int | None]
    """Each existing /aws/rds/cluster/<id>/<type> group by type: its retention in days, None for never."""


def read_live(rds: Any, ec2: Any, kms: Any, logs: Any, cluster_id: str) -> Live:
    """Everything `adopt` judges, read once. A cluster that does not exist is an OperationError."""
    cluster = describe_cluster(rds, cluster_id)
    subnet_group = rds.describe_db_subnet_groups(DBSubnetGroupName=cluster["DBSubnetGroup"])["DBSubnetGroups"][0]
    vpc_id = subnet_group["VpcId"]
    group_ids = [group["VpcSecurityGroupId"] for group in cluster.get("VpcSecurityGroups", [])]
    key_id = cluster.get("KmsKeyId") if cluster.get("StorageEncrypted") else None
    key = kms.describe_key(KeyId=key_id)["KeyMetadata"] if key_id else None
    return Live(
        cluster=cluster,
        instances=_instances(rds, cluster),
        subnet_group=subnet_group,
        vpc_is_default=bool(ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0].get("IsDefault")),
        security_groups=ec2.describe_security_groups(GroupIds=group_ids)["SecurityGroups"] if group_ids else [],
        custom_parameters=_custom_parameters(rds, cluster["DBClusterParameterGroup"]),
        key_arn=key["Arn"] if key else None,
        key_is_aws_managed=bool(key and key.get("KeyManager") == "AWS"),
        log_groups=_log_groups(logs, cluster_id),
    )


def _instances(rds: Any, cluster: dict[str, Any]) -> list[dict[str, Any]]:
    """The members, writer first, then readers in the order Aurora promotes them: lowest tier first
    (Aurora User Guide, "Fault tolerance for an Aurora DB cluster"), then by identifier."""
    members = sorted(
        cluster.get("DBClusterMembers", []),
        key=lambda m: (not m.get("IsClusterWriter"), m.get("PromotionTier", 1), m["DBInstanceIdentifier"]),
    )
    return [rds.describe_db_instances(DBInstanceIdentifier=m["DBInstanceIdentifier"])["DBInstances"][0] for m in members]


def _custom_parameters(rds: Any, group_name: str) -> dict[str, str]:
    """A default group (default.<family>) has none: "You can't modify the parameter settings of a default
    parameter group" (Aurora User Guide, "Parameter groups for Amazon Aurora")."""
    found: dict[str, str] = {}
    if group_name.startswith(DEFAULT_GROUP_PREFIX):
        return found
    for page in rds.get_paginator("describe_db_cluster_parameters").paginate(
        DBClusterParameterGroupName=group_name, Source="user"
    ):
        found |= {p["ParameterName"]: p.get("ParameterValue", "") for p in page["Parameters"]}
    return found


def _log_groups(logs: Any, cluster_id: str) -> dict[str, int | None]:
    prefix = LOG_GROUP_PREFIX.format(cluster=cluster_id)
    found: dict[str, int | None] = {}
    for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
        for group in page["logGroups"]:
            log_type = group["logGroupName"][len(prefix) :]
            if log_type and "/" not in log_type:
                found[log_type] = group.get("retentionInDays")
    return found
