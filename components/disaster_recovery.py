"""DisasterRecovery (mode `snapshot-copy`): daily AWS Backup recovery points of the cluster, copied
into a vault in the DR region and encrypted there with a key of that region.

This is the mode that works with backtrack (a Global Database or a binlog replica does not), at
the price of a recovery point objective of up to a day plus the copy time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from .iam import service_role

BACKUP_POLICY = "policy/service-role/AWSBackupServiceRolePolicyForBackup"
# Daily at 05:00 UTC, after the default RDS backup window (03:00-04:00).
BACKUP_SCHEDULE = "cron(0 5 ? * * *)"


@dataclass
class DisasterRecoveryArgs:
    cluster_arn: pulumi.Input[str]
    """The cluster to protect."""
    cluster_identifier: str
    """Names of the vaults and plan derive from it."""
    dr_region: str
    """Region that receives the copies."""
    retention_days: int
    """How long recovery points are kept, in both regions."""
    tags: dict[str, str] = field(default_factory=dict)
    """Tags for every taggable resource."""


def dr_region_key(
    resource_name: str, region: str, description: str, tags: dict[str, str], opts: pulumi.ResourceOptions
) -> aws.kms.Key:
    """A rotating key in the DR region: KMS keys never cross regions, so copies need one there."""
    return aws.kms.Key(
        resource_name,
        region=region,
        description=f"{description} in {region}",
        enable_key_rotation=True,
        # The longest wait: a key scheduled for deletion by mistake can still be recovered.
        deletion_window_in_days=30,
        tags=tags,
        opts=opts,
    )


class DisasterRecovery(pulumi.ComponentResource):
    dr_key: aws.kms.Key
    dr_vault: aws.backup.Vault
    plan: aws.backup.Plan

    def __init__(self, name: str, args: DisasterRecoveryArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aurora:dr:DisasterRecovery", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.dr_key = dr_region_key(
            f"{name}-dr-key", args.dr_region, f"{args.cluster_identifier}: encrypts disaster-recovery copies", args.tags, child
        )
        primary_vault = aws.backup.Vault(f"{name}-vault", name=f"{args.cluster_identifier}-backups", tags=args.tags, opts=child)
        self.dr_vault = aws.backup.Vault(
            f"{name}-dr-vault",
            name=f"{args.cluster_identifier}-dr",
            region=args.dr_region,
            kms_key_arn=self.dr_key.arn,
            tags=args.tags,
            opts=child,
        )
        lifecycle = aws.backup.PlanRuleLifecycleArgs(delete_after=args.retention_days)
        self.plan = aws.backup.Plan(
            f"{name}-plan",
            name=f"{args.cluster_identifier}-dr",
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="daily-with-dr-copy",
                    target_vault_name=primary_vault.name,
                    schedule=BACKUP_SCHEDULE,
                    lifecycle=lifecycle,
                    copy_actions=[
                        aws.backup.PlanRuleCopyActionArgs(
                            destination_vault_arn=self.dr_vault.arn,
                            lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(delete_after=args.retention_days),
                        )
                    ],
                )
            ],
            tags=args.tags,
            opts=child,
        )
        role, attachment = service_role(
            f"{name}-backup-role",
            f"{name}-backup-policy",
            "backup.amazonaws.com",
            "Lets AWS Backup snapshot the Aurora cluster",
            BACKUP_POLICY,
            args.tags,
            child,
        )
        aws.backup.Selection(
            f"{name}-selection",
            name=f"{args.cluster_identifier}-cluster",
            plan_id=self.plan.id,
            iam_role_arn=role.arn,
            resources=[args.cluster_arn],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[attachment]),
        )
        self.register_outputs({"drVaultArn": self.dr_vault.arn, "drKeyArn": self.dr_key.arn})
