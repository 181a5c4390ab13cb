"""DisasterRecovery (mode `snapshot-copy`): daily AWS Backup recovery points of the cluster, copied
into a vault in the DR region and encrypted there with a key of that region.

This is the mode that works with backtrack (a Global Database or a binlog replica does not), at
the price of a recovery point objective of up to a day plus the copy time.

The daily backup starts at a time derived from the cluster's windows, so that AWS Backup never
snapshots during the RDS backup window or the weekly maintenance window.

Both vaults keep `force_destroy` off: `pulumi destroy` of a stack with recovery points fails on
the vaults instead of deleting the only off-region copies of production. Removing DR is then a
deliberate step (docs/disaster-recovery.md): delete or keep the recovery points,
then destroy.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks
from settings.checks import daily_interval, daily_overlaps_daily, daily_overlaps_weekly, maintenance_interval
from settings.derived_names import backup_plan_name, backup_selection_name, backup_vault_name, dr_vault_name

from .arg_rules import Rule, check_tags, refuse_bad_args
from .iam import service_role
from .key_policies import backup_vault_key_policy
from .package_identity import released_identity, type_token

BACKUP_POLICY = "policy/service-role/AWSBackupServiceRolePolicyForBackup"
# AWS Backup's smallest start window (StartWindowMinutes): the job starts within this hour.
START_WINDOW_MINUTES = 60
# Room for the cluster snapshot itself after a late start (Aurora snapshots take minutes).
SNAPSHOT_MINUTES = 60


class BackupScheduleError(ValueError):
    """No hour of the day is free of both windows."""


def backup_start_hour(backup_window: str, maintenance_window: str) -> int:
    """The first full hour after the RDS backup window when a job that starts within the start
    window and runs for SNAPSHOT_MINUTES meets neither the backup nor the maintenance window."""
    backup = daily_interval(backup_window)
    maintenance = maintenance_interval(maintenance_window)
    first_hour = -(-backup[1] // 60)  # the backup window's end, rounded up to the hour
    for offset in range(24):
        hour = (first_hour + offset) % 24
        job = (hour * 60, hour * 60 + START_WINDOW_MINUTES + SNAPSHOT_MINUTES)
        if not daily_overlaps_daily(job, backup) and not daily_overlaps_weekly(job, maintenance):
            return hour
    raise BackupScheduleError(f"no hour avoids backup window {backup_window} and maintenance window {maintenance_window}")


def backup_schedule(backup_window: str, maintenance_window: str) -> str:
    """AWS Backup cron expression (UTC) for the daily backup."""
    return f"cron(0 {backup_start_hour(backup_window, maintenance_window)} ? * * *)"


class DisasterRecoveryArgs(TypedDict):
    """The cluster whose backups are copied, and where to; a dict from the program and from the package."""

    cluster_arn: pulumi.Input[str]
    """The cluster to protect."""
    cluster_identifier: str
    """Names of the vaults and plan derive from it."""
    dr_region: str
    """Region that receives the copies."""
    retention_days: int
    """How long recovery points are kept, in both regions."""
    backup_window: str
    """The cluster's daily RDS backup window; AWS Backup runs outside it."""
    maintenance_window: str
    """The cluster's weekly maintenance window; AWS Backup runs outside it."""
    tags: NotRequired[dict[str, str]]
    """Tags for every taggable resource; default none."""


# Each arg's rule is its setting's (settings/model.py).
DISASTER_RECOVERY_ARG_RULES: dict[str, Rule] = {
    "cluster_identifier": checks.check_identifier,
    "dr_region": checks.check_region,
    "backup_window": checks.check_backup_window,
    "maintenance_window": checks.check_maintenance_window,
    "tags": check_tags,
}


def account_and_partition() -> tuple[str, str]:
    """The deploying account and its partition, for key policies."""
    return aws.get_caller_identity().account_id, aws.get_partition().partition


def dr_region_key(
    resource_name: str,
    region: str,
    description: str,
    policy: str,
    tags: dict[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.kms.Key:
    """A rotating key in the DR region: KMS keys never cross regions, so copies need one there. Its
    policy is explicit (see `key_policies`), not the default that leaves every use to IAM."""
    return aws.kms.Key(
        resource_name,
        region=region,
        description=f"{description} in {region}",
        policy=policy,
        enable_key_rotation=True,
        # The longest wait: a key scheduled for deletion by mistake can still be recovered.
        deletion_window_in_days=30,
        tags=tags,
        opts=opts,
    )


class DisasterRecovery(pulumi.ComponentResource):
    """Daily AWS Backup recovery points of the cluster, copied to a vault in the DR region."""

    dr_vault_arn: pulumi.Output[str]
    """The vault in the DR region that holds the copies."""
    dr_key_arn: pulumi.Output[str]
    """The key of the DR region that encrypts the copies."""

    def __init__(self, name: str, args: DisasterRecoveryArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("DisasterRecovery", args, DISASTER_RECOVERY_ARG_RULES)
        super().__init__(type_token("DisasterRecovery"), name, None, released_identity(opts, "aurora:dr:DisasterRecovery"))
        tags = args.get("tags", {})
        child = pulumi.ResourceOptions(parent=self)
        account, partition = account_and_partition()
        # The children, for the program (not outputs of the package).
        self.dr_key: aws.kms.Key = dr_region_key(
            f"{name}-dr-key",
            args["dr_region"],
            f"{args['cluster_identifier']}: encrypts disaster-recovery copies",
            backup_vault_key_policy(partition, account, args["dr_region"]),
            tags,
            child,
        )
        primary_vault = aws.backup.Vault(
            f"{name}-vault", name=backup_vault_name(args["cluster_identifier"]), force_destroy=False, tags=tags, opts=child
        )
        self.dr_vault: aws.backup.Vault = aws.backup.Vault(
            f"{name}-dr-vault",
            name=dr_vault_name(args["cluster_identifier"]),
            region=args["dr_region"],
            kms_key_arn=self.dr_key.arn,
            force_destroy=False,
            tags=tags,
            opts=child,
        )
        lifecycle = aws.backup.PlanRuleLifecycleArgs(delete_after=args["retention_days"])
        self.plan: aws.backup.Plan = aws.backup.Plan(
            f"{name}-plan",
            name=backup_plan_name(args["cluster_identifier"]),
            rules=[
                aws.backup.PlanRuleArgs(
                    rule_name="daily-with-dr-copy",
                    target_vault_name=primary_vault.name,
                    schedule=backup_schedule(args["backup_window"], args["maintenance_window"]),
                    start_window=START_WINDOW_MINUTES,
                    lifecycle=lifecycle,
                    copy_actions=[
                        aws.backup.PlanRuleCopyActionArgs(
                            destination_vault_arn=self.dr_vault.arn,
                            lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(delete_after=args["retention_days"]),
                        )
                    ],
                )
            ],
            tags=tags,
            opts=child,
        )
        # No confused-deputy condition on this trust: AWS Backup's "Cross-service confused deputy
        # prevention" documents aws:SourceArn / aws:SourceAccount only for the resource policies of
        # what Backup calls (SNS topics, KMS keys for backup-storage.amazonaws.com), not for the
        # role it assumes; a condition on a key Backup does not send would stop every backup job.
        role, attachment = service_role(
            f"{name}-backup-role",
            f"{name}-backup-policy",
            "backup.amazonaws.com",
            "Lets AWS Backup snapshot the Aurora cluster",
            BACKUP_POLICY,
            tags,
            child,
        )
        aws.backup.Selection(
            f"{name}-selection",
            name=backup_selection_name(args["cluster_identifier"]),
            plan_id=self.plan.id,
            iam_role_arn=role.arn,
            resources=[args["cluster_arn"]],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[attachment]),
        )
        self.dr_vault_arn, self.dr_key_arn = self.dr_vault.arn, self.dr_key.arn
        self.register_outputs({"drVaultArn": self.dr_vault_arn, "drKeyArn": self.dr_key_arn})
