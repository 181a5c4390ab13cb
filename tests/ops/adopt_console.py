"""Clusters as the RDS console builds them, in moto, for `ops adopt`'s tests.

What moto does not do as AWS does is set here as AWS does it, each with its source:
- the default VPC's default security group carries a rule admitting all traffic from the group itself
  (Amazon VPC User Guide, "Default security groups for your VPCs": "Allows inbound traffic from
  network interfaces (and their associated instances) that are assigned to the same security group");
  moto creates the group without it;
- the aws/rds key is AWS managed, KeyManager AWS (botocore kms model, KeyMetadata.KeyManager); moto
  answers the alias with a key whose KeyManager is CUSTOMER;
- an Aurora cluster's storage type is `aurora` (Standard) or `aurora-iopt1` (botocore rds model,
  CreateDBCluster StorageType, "Valid Values: Aurora DB clusters - aurora | aurora-iopt1"); moto
  refuses `aurora` at create and reports `gp2`;
- the Data API switched on at create (see tests/ops/local_aws.py, `switch_data_api_on`).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import boto3

from tests.ops.local_aws import switch_data_api_on

REGION = "us-east-1"
ENGINE_VERSION = "8.0.mysql_aurora.3.10.5"
CA = "rds-ca-rsa2048-g1"
# The console's own description of the subnet group it makes in the default VPC.
CONSOLE_SUBNET_GROUP_DESCRIPTION = "Created from the RDS Management Console"


@dataclass(frozen=True)
class Account:
    """moto's account as the console leaves it: the default VPC, its subnets and default group, the aws/rds key."""

    vpc_id: str
    subnet_ids: list[str]
    default_group_id: str
    subnet_group: str
    aws_rds_key_arn: str


def console(rds: Any) -> SimpleNamespace:
    """The clients a test builds clusters with (rds from the `moto_rds` fixture) and the console's account."""
    ec2, kms, logs = (boto3.client(service, region_name=REGION) for service in ("ec2", "kms", "logs"))
    return SimpleNamespace(rds=rds, ec2=ec2, kms=kms, logs=logs, account=console_account(rds, ec2, kms))


def console_account(rds: Any, ec2: Any, kms: Any) -> Account:
    vpc_id = next(vpc["VpcId"] for vpc in ec2.describe_vpcs()["Vpcs"] if vpc["IsDefault"])
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    subnet_ids = sorted(subnet["SubnetId"] for subnet in subnets)
    group = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]}]
    )["SecurityGroups"][0]
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"], IpPermissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group["GroupId"]}]}]
    )
    subnet_group = f"default-{vpc_id}"
    rds.create_db_subnet_group(
        DBSubnetGroupName=subnet_group, DBSubnetGroupDescription=CONSOLE_SUBNET_GROUP_DESCRIPTION, SubnetIds=subnet_ids
    )
    key = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]
    _make_aws_managed(key["KeyId"])
    return Account(vpc_id, subnet_ids, group["GroupId"], subnet_group, key["Arn"])


def _make_aws_managed(key_id: str) -> None:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.kms.models import kms_backends

    kms_backends[DEFAULT_ACCOUNT_ID][REGION].keys[key_id].key_manager = "AWS"


def create_cluster(rds: Any, account: Account, identifier: str, **fields: Any) -> None:
    """A cluster with the console's defaults (a plain master password, the default VPC's subnet group
    and default security group, encrypted with aws/rds); `fields` override or add CreateDBCluster parameters."""
    parameters = {
        "DBClusterIdentifier": identifier,
        "Engine": "aurora-mysql",
        "EngineVersion": ENGINE_VERSION,
        "MasterUsername": "admin",
        "MasterUserPassword": "console-typed-password",
        "DBSubnetGroupName": account.subnet_group,
        "VpcSecurityGroupIds": [account.default_group_id],
        "StorageEncrypted": True,
        "KmsKeyId": account.aws_rds_key_arn,
        "BackupRetentionPeriod": 1,
        "PreferredBackupWindow": "07:00-07:30",
        "PreferredMaintenanceWindow": "sat:09:00-sat:09:30",
        **fields,
    }
    rds.create_db_cluster(**{key: value for key, value in parameters.items() if value is not None})
    _report_aurora_storage(identifier)
    if fields.get("EnableHttpEndpoint"):
        switch_data_api_on(identifier)


def _report_aurora_storage(identifier: str) -> None:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.rds.models import rds_backends

    rds_backends[DEFAULT_ACCOUNT_ID][REGION].clusters[identifier].storage_type = "aurora"


def create_instance(rds: Any, cluster: str, identifier: str, instance_class: str, zone: str, **fields: Any) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=identifier,
        DBClusterIdentifier=cluster,
        Engine="aurora-mysql",
        DBInstanceClass=instance_class,
        AvailabilityZone=zone,
        CACertificateIdentifier=CA,
        **fields,
    )


def console_serverless(rds: Any, account: Account, identifier: str = "database-1") -> None:
    """The console's Serverless v2 template: 0.5 to 4 ACU, the Data API, one db.serverless writer."""
    create_cluster(
        rds, account, identifier, ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 4}, EnableHttpEndpoint=True
    )
    create_instance(rds, identifier, f"{identifier}-instance-1", "db.serverless", "us-east-1a")


def console_provisioned(rds: Any, logs: Any, account: Account, identifier: str = "orders") -> None:
    """Provisioned with a reader in another zone (the console names it after the writer and its zone),
    backtrack 24 hours, the four log exports whose groups CloudWatch already made (never expire)."""
    exports = ["audit", "error", "general", "slowquery"]
    create_cluster(rds, account, identifier, BacktrackWindow=86400, EnableCloudwatchLogsExports=exports)
    create_instance(rds, identifier, f"{identifier}-instance-1", "db.r7g.large", "us-east-1a", PromotionTier=1)
    create_instance(rds, identifier, f"{identifier}-instance-1-us-east-1b", "db.r7g.large", "us-east-1b", PromotionTier=1)
    for log_type in exports:
        logs.create_log_group(logGroupName=f"/aws/rds/cluster/{identifier}/{log_type}")
