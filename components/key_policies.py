"""Key policies of the customer managed keys this program creates in the DR region, and the
CloudWatch Logs statement a key needs before log groups can be encrypted with it. Pure functions of
account, partition and region that return JSON text, tested without the mock engine.

Every policy starts with the account root holding `kms:*`: the account's IAM policies then decide
who administers the key, and no statement added later can lock the account out of it (AWS KMS
Developer Guide, "Default key policy"). Each service the key serves gets one statement limited to
this account and to calls that service makes on its behalf.
"""

from __future__ import annotations

import json
from typing import Any

from settings.derived_names import log_group_name

VERSION = "2012-10-17"
# What RDS does with a storage key, as in the AWS managed `aws/rds` key's own policy: any principal
# of this account, but only through RDS.
SERVICE_USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:DescribeKey",
]
# CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key Management
# Service", step 2 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
LOGS_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]


def account_administers_key(partition: str, account: str) -> dict[str, Any]:
    return {
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def cluster_log_groups_arn(partition: str, region: str, account: str, cluster_identifier: str) -> str:
    """The ARNs of every log group RDS writes for the cluster (`/aws/rds/cluster/<id>/<type>`), as an
    ArnLike pattern."""
    return f"arn:{partition}:logs:{region}:{account}:log-group:{log_group_name(cluster_identifier, '*')}"


def cloudwatch_logs_statement(partition: str, region: str, account: str, cluster_identifier: str) -> dict[str, Any]:
    """CloudWatch Logs of the key's region may use the key for the cluster's log groups only: the
    encryption context CloudWatch Logs sends is the log group's ARN (`kms:EncryptionContext:aws:logs:arn`)."""
    return {
        "Sid": "CloudWatchLogsEncryptClusterLogGroups",
        "Effect": "Allow",
        "Principal": {"Service": f"logs.{region}.amazonaws.com"},
        "Action": LOGS_ACTIONS,
        "Resource": "*",
        "Condition": {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": cluster_log_groups_arn(partition, region, account, cluster_identifier)
            }
        },
    }


def _used_through(sid: str, account: str, services: list[str]) -> dict[str, Any]:
    via = services[0] if len(services) == 1 else services
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": SERVICE_USE_ACTIONS,
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:CallerAccount": account, "kms:ViaService": via}},
    }


def global_secondary_key_policy(partition: str, account: str, region: str, cluster_identifier: str) -> str:
    """The global secondary's key: its storage and Performance Insights (through RDS of its region)
    and its log groups (CloudWatch Logs of its region)."""
    return json.dumps(
        {
            "Version": VERSION,
            "Statement": [
                account_administers_key(partition, account),
                _used_through("RdsUsesKeyForThisAccount", account, [f"rds.{region}.amazonaws.com"]),
                cloudwatch_logs_statement(partition, region, account, cluster_identifier),
            ],
        }
    )


def backup_vault_key_policy(partition: str, account: str, region: str) -> str:
    """The DR vault's key. AWS Backup does not fully manage Aurora: it has RDS copy the cluster
    snapshot into the DR region with the vault's key, so the key's calls come through AWS Backup or
    RDS of that region (AWS re:Post, "How are my backups and copies encrypted in AWS Backup?")."""
    return json.dumps(
        {
            "Version": VERSION,
            "Statement": [
                account_administers_key(partition, account),
                _used_through(
                    "BackupUsesKeyForThisAccount", account, [f"backup.{region}.amazonaws.com", f"rds.{region}.amazonaws.com"]
                ),
            ],
        }
    )
