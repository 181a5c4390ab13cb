"""Every name the program derives from the cluster name, with the limit AWS puts on it: one table.

A derived name that is too long fails only when its resource is created, in the middle of
`pulumi up`, after other resources exist; a snapshot name carries a random suffix unknown at
preview, so not even the provider's own validation sees it before then. `StackConfig` measures
the cluster name, before anything is declared, against the tightest limit among the entries of
`DERIVED_NAMES` that apply to the stack (`cluster_name_problem`), with every random suffix counted
at its full length, and gives that one limit.

Each entry says what the name is, how it is formed (the functions below, which the components call,
or the f-string the component writes, quoted in `formed`), its limit and the character rule where
it is stricter than the cluster identifier's (1-63 lower-case letters, digits, single hyphens),
where the limit comes from, and which settings make the program declare it.

Not in the table: IAM roles and policies, parameter groups, security groups, SNS topics, KMS keys
and the Secrets Manager secret's random part are named by Pulumi from the resource name (auto-naming)
or by the provider, not from the cluster name.

The snapshot names live here rather than in `snapshot_names` (which declares their `RandomId`) so
that validation can form them without importing Pulumi.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awsfacts.identifiers import RDS_IDENTIFIER_LIMIT, instance_identifier

from .model import StackConfig

# 4 bytes: 8 hex characters, enough to never meet an earlier incarnation's snapshot.
SUFFIX_BYTES = 4
# The longest suffix a `RandomId` of SUFFIX_BYTES can give, as hex.
LONGEST_SUFFIX = "f" * (2 * SUFFIX_BYTES)
# terraform-plugin-sdk `helper/id.UniqueIDSuffixLength`: what the provider appends to a name_prefix.
UNIQUE_ID_SUFFIX_LENGTH = 26
# The longest alarm key of `observability.alarm_rules` ("writer-memory"); the alarms are named
# `<cluster>-<key>` (observability imports pulumi_aws, which validation does not).
LONGEST_ALARM_KEY = "writer-memory"


def proxy_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy"


def proxy_reader_endpoint_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy-readers"


def global_cluster_identifier(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-global"


def secondary_cluster_identifier(cluster_identifier: str, dr_region: str) -> str:
    """The Global Database secondary is named after the primary and its region."""
    return f"{cluster_identifier}-{dr_region}"


def final_snapshot_identifier(cluster_identifier: str, suffix: str) -> str:
    return f"{cluster_identifier}-final-{suffix}"


def promotion_snapshot_identifier(cluster_identifier: str, suffix: str) -> str:
    return f"{cluster_identifier}-promotion-{suffix}"


def backup_vault_name(cluster_identifier: str) -> str:
    """The primary region's AWS Backup vault (mode snapshot-copy)."""
    return f"{cluster_identifier}-backups"


def dr_vault_name(cluster_identifier: str) -> str:
    """The DR region's vault, which receives the copies."""
    return f"{cluster_identifier}-dr"


def backup_plan_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-dr"


def backup_selection_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-cluster"


def master_secret_prefix(cluster_identifier: str) -> str:
    """`name_prefix` of the generated master secret; the provider appends 26 characters."""
    return f"{cluster_identifier}-master-"


def alarm_name(cluster_identifier: str, key: str) -> str:
    return f"{cluster_identifier}-{key}"


def client_idle_stop_alarm_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-client-idle-stop"


def replication_lag_alarm_name(secondary_identifier: str) -> str:
    return f"{secondary_identifier}-replication-lag"


def dashboard_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-aurora"


def log_group_name(cluster_identifier: str, log_type: str) -> str:
    """Where RDS writes an exported log type."""
    return f"/aws/rds/cluster/{cluster_identifier}/{log_type}"


@dataclass(frozen=True)
class DerivedName:
    """One name the program derives from the cluster name."""

    what: str
    """What it names, as the message says it: "promotion snapshot identifier"."""
    formed: str
    """How it is formed, `<cluster>` standing for the cluster name."""
    service: str
    """The AWS service whose limit applies."""
    limit: int
    """The longest name the service accepts."""
    source: str
    """Where the limit is written: botocore model shape or operation, or provider validation."""
    declared_by: str
    """The settings that make the program declare it, as `aurora:` keys; empty for every stack."""
    longest: Callable[[str, StackConfig], str | None]
    """The longest such name for a cluster name and a stack; None when the stack does not declare it.
    Reads the stack's settings only."""
    characters: str = ""
    """The character rule, where it is stricter than the cluster identifier's."""

    def problem(self, cluster_name: str, settings: StackConfig) -> str | None:
        """A one-line message when the longest name is over the limit, else None."""
        example = self.longest(cluster_name, settings)
        if example is None or len(example) <= self.limit:
            return None
        most = self.limit - (len(example) - len(cluster_name))
        return (
            f"aurora:clusterName is {cluster_name!r} ({len(cluster_name)} characters): the {self.what} {example!r} "
            f"derived from it would be {len(example)} characters, over the {self.limit} {self.service} allows "
            f"({self.source}); use a clusterName of at most {most} characters"
            + (f" (the name comes with {self.declared_by})" if self.declared_by else "")
        )

    def max_cluster_name_length(self, settings: StackConfig) -> int | None:
        """The longest cluster name this entry admits for the stack; None when it does not apply."""
        probe = "a"
        example = self.longest(probe, settings)
        return None if example is None else self.limit - (len(example) - len(probe))


def _secondary(cluster_name: str, settings: StackConfig) -> str | None:
    dr = settings.disaster_recovery
    return secondary_cluster_identifier(cluster_name, dr.region) if dr is not None and dr.is_global else None


def _snapshot_copies(settings: StackConfig) -> bool:
    return settings.disaster_recovery is not None and not settings.disaster_recovery.is_global


def _log_group(cluster_identifier: str, settings: StackConfig) -> str | None:
    if not settings.log_exports:
        return None
    longest_type = max(settings.log_exports, key=len)
    return log_group_name(cluster_identifier, longest_type)


def _secondary_instances(cluster_name: str, settings: StackConfig) -> str | None:
    secondary, dr = _secondary(cluster_name, settings), settings.disaster_recovery
    return None if secondary is None or dr is None else instance_identifier(secondary, dr.instances)


def _secondary_log_group(cluster_name: str, settings: StackConfig) -> str | None:
    secondary = _secondary(cluster_name, settings)
    return None if secondary is None else _log_group(secondary, settings)


_BACKUP_VAULT_CHARACTERS = "2-50 letters, digits, hyphens, underscores"
_BACKUP_NAME_CHARACTERS = "1-50 letters, digits, '-_.'"

DERIVED_NAMES: tuple[DerivedName, ...] = (
    DerivedName(
        what="instance identifier",
        formed="<cluster>-instance-<n>, n = 1 (the writer) to 1 + aurora:provisioned.readers",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, CreateDBInstance DBInstanceIdentifier: 1 to 63 letters, digits or hyphens",
        declared_by="",
        longest=lambda name, s: instance_identifier(name, 1 + s.shape.readers),
    ),
    DerivedName(
        what="final snapshot identifier",
        formed="<cluster>-final-<8 hex>",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        # DeleteDBCluster documents FinalDBSnapshotIdentifier as 1 to 255 and the provider checks no
        # length, but what it names is a DB cluster snapshot, whose identifier every other operation
        # caps at 63; a refusal there would come at `pulumi destroy`, when the cluster is deleted.
        source="botocore rds model, CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63 letters, digits or hyphens",
        declared_by="",
        longest=lambda name, s: final_snapshot_identifier(name, LONGEST_SUFFIX),
    ),
    DerivedName(
        what="promotion snapshot identifier",
        formed="<cluster>-promotion-<8 hex>",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="terraform-provider-aws rds/cluster_snapshot.go db_cluster_snapshot_identifier StringLenBetween(1, 63); "
        "botocore rds model, CreateDBClusterSnapshot",
        declared_by="aurora:restoreFrom.stack",
        longest=lambda name, s: (
            promotion_snapshot_identifier(name, LONGEST_SUFFIX)
            if s.restore_from is not None and s.restore_from.stack is not None
            else None
        ),
        characters="lower-case letters, digits, hyphens",
    ),
    DerivedName(
        what="proxy name",
        formed="<cluster>-proxy",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, DBProxyName: 1 to 63",
        declared_by="aurora:provisioned.proxy",
        longest=lambda name, s: proxy_name(name) if s.shape.proxy else None,
    ),
    DerivedName(
        what="proxy endpoint name",
        formed="<cluster>-proxy-readers",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, DBProxyEndpointName: 1 to 63",
        declared_by="aurora:provisioned.proxy with a reader",
        longest=lambda name, s: proxy_reader_endpoint_name(name) if s.shape.proxy and s.shape.readers > 0 else None,
    ),
    DerivedName(
        what="global cluster identifier",
        formed="<cluster>-global",
        service="RDS",
        limit=255,
        source="botocore rds model, GlobalClusterIdentifier: 1 to 255",
        declared_by="aurora:disasterRecovery.mode global",
        longest=lambda name, s: global_cluster_identifier(name) if s.is_global else None,
    ),
    DerivedName(
        what="secondary cluster identifier",
        formed="<cluster>-<disasterRecovery.region>",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, CreateDBCluster DBClusterIdentifier: 1 to 63 for Aurora",
        declared_by="aurora:disasterRecovery.mode global",
        longest=_secondary,
    ),
    DerivedName(
        what="secondary instance identifier",
        formed="<cluster>-<disasterRecovery.region>-instance-<n>, n = 1 to disasterRecovery.instances",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, CreateDBInstance DBInstanceIdentifier: 1 to 63 letters, digits or hyphens",
        declared_by="aurora:disasterRecovery.mode global",
        longest=_secondary_instances,
    ),
    DerivedName(
        what="secondary final snapshot identifier",
        formed="<cluster>-<disasterRecovery.region>-final-<8 hex>",
        service="RDS",
        limit=RDS_IDENTIFIER_LIMIT,
        source="botocore rds model, CreateDBClusterSnapshot DBClusterSnapshotIdentifier: 1 to 63 letters, digits or hyphens",
        declared_by="aurora:disasterRecovery.mode global",
        longest=lambda name, s: (
            None if (secondary := _secondary(name, s)) is None else final_snapshot_identifier(secondary, LONGEST_SUFFIX)
        ),
    ),
    DerivedName(
        what="backup vault name",
        formed="<cluster>-backups (the primary region's vault)",
        service="AWS Backup",
        limit=50,
        source="botocore backup model, BackupVaultName pattern ^[a-zA-Z0-9\\-\\_]{2,50}$",
        declared_by="aurora:disasterRecovery.mode snapshot-copy",
        longest=lambda name, s: backup_vault_name(name) if _snapshot_copies(s) else None,
        characters=_BACKUP_VAULT_CHARACTERS,
    ),
    DerivedName(
        what="disaster-recovery vault name",
        formed="<cluster>-dr (the DR region's vault)",
        service="AWS Backup",
        limit=50,
        source="botocore backup model, BackupVaultName pattern ^[a-zA-Z0-9\\-\\_]{2,50}$",
        declared_by="aurora:disasterRecovery.mode snapshot-copy",
        longest=lambda name, s: dr_vault_name(name) if _snapshot_copies(s) else None,
        characters=_BACKUP_VAULT_CHARACTERS,
    ),
    DerivedName(
        what="backup plan name",
        formed="<cluster>-dr",
        service="AWS Backup",
        limit=50,
        source="botocore backup model, BackupPlanInput BackupPlanName: 1 to 50 alphanumeric or '-_.' characters",
        declared_by="aurora:disasterRecovery.mode snapshot-copy",
        longest=lambda name, s: backup_plan_name(name) if _snapshot_copies(s) else None,
        characters=_BACKUP_NAME_CHARACTERS,
    ),
    DerivedName(
        what="backup selection name",
        formed="<cluster>-cluster",
        service="AWS Backup",
        limit=50,
        source="botocore backup model, BackupSelectionName pattern ^[a-zA-Z0-9\\-\\_\\.]{1,50}$",
        declared_by="aurora:disasterRecovery.mode snapshot-copy",
        longest=lambda name, s: backup_selection_name(name) if _snapshot_copies(s) else None,
        characters=_BACKUP_NAME_CHARACTERS,
    ),
    DerivedName(
        what="master secret name",
        formed="<cluster>-master-<26 characters the provider appends to name_prefix>",
        service="Secrets Manager",
        limit=512,
        source="botocore secretsmanager model, CreateSecret Name: 1 to 512; terraform-provider-aws "
        "secretsmanager validSecretNamePrefix: 512 - id.UniqueIDSuffixLength (26)",
        declared_by="aurora:disasterRecovery.mode global (a generated master password)",
        longest=lambda name, s: master_secret_prefix(name) + "0" * UNIQUE_ID_SUFFIX_LENGTH if s.is_global else None,
        characters="letters, digits, /_+=.@-",
    ),
    DerivedName(
        what="alarm name",
        formed="<cluster>-<alarm key> (writer-cpu, writer-memory, acu, replica-lag)",
        service="CloudWatch",
        limit=255,
        source="botocore cloudwatch model, PutMetricAlarm AlarmName: 1 to 255",
        declared_by="",
        longest=lambda name, s: alarm_name(name, LONGEST_ALARM_KEY),
    ),
    DerivedName(
        what="client idle-stop alarm name",
        formed="<cluster>-client-idle-stop",
        service="CloudWatch",
        limit=255,
        source="botocore cloudwatch model, PutMetricAlarm AlarmName: 1 to 255",
        declared_by="aurora:client ssm with aurora:clientIdleStopMinutes above 0",
        longest=lambda name, s: client_idle_stop_alarm_name(name) if s.client == "ssm" and s.client_idle_stop_minutes else None,
    ),
    DerivedName(
        what="replication lag alarm name",
        formed="<cluster>-<disasterRecovery.region>-replication-lag",
        service="CloudWatch",
        limit=255,
        source="botocore cloudwatch model, PutMetricAlarm AlarmName: 1 to 255",
        declared_by="aurora:disasterRecovery.mode global",
        longest=lambda name, s: None if (secondary := _secondary(name, s)) is None else replication_lag_alarm_name(secondary),
    ),
    DerivedName(
        what="dashboard name",
        formed="<cluster>-aurora",
        service="CloudWatch",
        limit=255,
        source="botocore cloudwatch model, PutDashboard DashboardName: at most 255, A-Z a-z 0-9 - _",
        declared_by="",
        longest=lambda name, s: dashboard_name(name),
    ),
    DerivedName(
        what="log group name",
        formed="/aws/rds/cluster/<cluster>/<log type>, one per aurora:logExports entry (every stack has a default)",
        service="CloudWatch Logs",
        limit=512,
        source="botocore logs model, CreateLogGroup LogGroupName: 1 to 512",
        declared_by="",
        longest=lambda name, s: _log_group(name, s),
    ),
    DerivedName(
        what="secondary log group name",
        formed="/aws/rds/cluster/<cluster>-<disasterRecovery.region>/<log type>",
        service="CloudWatch Logs",
        limit=512,
        source="botocore logs model, CreateLogGroup LogGroupName: 1 to 512",
        declared_by="aurora:disasterRecovery.mode global",
        longest=_secondary_log_group,
    ),
)


def _tightest(settings: StackConfig) -> tuple[int, DerivedName]:
    """The longest cluster name the binding derived name admits, and that name (the first in the
    table on a tie)."""
    applicable = [(limit, entry) for entry in DERIVED_NAMES if (limit := entry.max_cluster_name_length(settings)) is not None]
    return min(applicable, key=lambda pair: pair[0])


def binding(settings: StackConfig) -> DerivedName:
    """The derived name that admits the shortest cluster name for this stack: its limit is the one
    that applies. The final snapshot identifier applies to every stack and binds below RDS's own 63,
    so the cluster identifier's limit never binds first."""
    return _tightest(settings)[1]


def cluster_name_problem(cluster_name: str, settings: StackConfig) -> str | None:
    """One message when the cluster name is too long for this stack, naming the one limit that
    applies (the tightest) rather than each derived name it would break, or None."""
    return binding(settings).problem(cluster_name, settings)


def max_cluster_name_length(settings: StackConfig) -> int:
    """The longest cluster name every derived name of this stack fits with."""
    return min(RDS_IDENTIFIER_LIMIT, _tightest(settings)[0])
