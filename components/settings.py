"""Typed, validated stack settings: what `config.load_settings` produces and components consume.

Each field's meaning, default and rule are declared once, in `config_models.py`; here the values
are resolved (a default that depends on the capacity type is filled in) and frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Aurora MySQL 3.10 is the long-term-support line; AWS advises against automatic minor
# upgrades on it, so the version is pinned and upgrades are deliberate config changes.
# Source: Aurora MySQL release notes, "Aurora MySQL 3.10.5 (2026-07-30)", LTS notice.
DEFAULT_ENGINE_VERSION = "8.0.mysql_aurora.3.10.5"

# Graviton r7g: cheaper and faster than the workshop's db.r5.large (still accepted).
DEFAULT_INSTANCE_CLASS = "db.r7g.large"

# The workshop's four log types, turned on for production by default.
WORKSHOP_LOG_EXPORTS = ("audit", "error", "general", "slowquery")


def instance_identifier(cluster_identifier: str, number: int) -> str:
    """Identifier of a cluster's `number`th instance (1 is the intended writer)."""
    return f"{cluster_identifier}-instance-{number}"


def proxy_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy"


def proxy_reader_endpoint_name(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-proxy-readers"


def global_cluster_identifier(cluster_identifier: str) -> str:
    return f"{cluster_identifier}-global"


def secondary_cluster_identifier(cluster_identifier: str, dr_region: str) -> str:
    """The Global Database secondary is named after the primary and its region."""
    return f"{cluster_identifier}-{dr_region}"


@dataclass(frozen=True)
class ServerlessSettings:
    """Aurora Serverless v2 capacity (ACU) for the `db.serverless` writer."""

    min_capacity: float
    max_capacity: float
    seconds_until_auto_pause: int | None


@dataclass(frozen=True)
class NetworkSettings:
    """Where the cluster lives and who may reach it on the MySQL port."""

    vpc_id: str
    subnet_ids: tuple[str, ...]
    allowed_security_group_ids: tuple[str, ...]
    allowed_cidrs: tuple[str, ...]
    client_subnet_id: str | None

    @property
    def uses_default_vpc(self) -> bool:
        return self.vpc_id == "default"


@dataclass(frozen=True)
class ProvisionedSettings:
    """The production shape: a provisioned writer and readers."""

    instance_class: str
    readers: int
    backtrack_hours: float
    monitoring_interval: int
    insights: str
    proxy: bool = False

    @property
    def backtrack_seconds(self) -> int:
        return int(self.backtrack_hours * 3600)


@dataclass(frozen=True)
class RestoreSource:
    """Where a provisioned cluster's data comes from; exactly one field is set."""

    stack: str | None = None
    snapshot_identifier: str | None = None


@dataclass(frozen=True)
class AppUserSettings:
    """An application user managed with the pulumi-mysql provider."""

    name: str
    endpoint: str
    database: str = "tutorial"
    """The only database the user is granted privileges on."""


@dataclass(frozen=True)
class DisasterRecoverySettings:
    """Cross-region disaster recovery."""

    region: str
    mode: str
    retention_days: int
    vpc_id: str = "default"
    subnet_ids: tuple[str, ...] = ()
    allowed_cidrs: tuple[str, ...] = ()
    instances: int = 1

    @property
    def is_global(self) -> bool:
        return self.mode == "global"


@dataclass(frozen=True)
class StackSettings:
    """Everything one stack's configuration asks for, validated."""

    project: str
    stack: str
    region: str
    capacity_type: str
    cluster_name: str
    engine_version: str
    master_username: str | None
    """None when the cluster is restored: it keeps the snapshot's master user."""
    serverless: ServerlessSettings | None
    provisioned: ProvisionedSettings | None
    restore_from: RestoreSource | None
    data_api: bool
    iam_authentication: bool
    network: NetworkSettings
    client: str
    backup_retention_days: int
    backup_window: str
    maintenance_window: str
    deletion_protection: bool
    apply_immediately: bool
    log_exports: tuple[str, ...]
    log_retention_days: int
    kms_key_id: str | None
    sample_data: bool
    drop_sample_data_on_delete: bool
    app_user: AppUserSettings | None
    alarm_email: str | None
    disaster_recovery: DisasterRecoverySettings | None
    tags: dict[str, str] = field(default_factory=dict)
    master_password_version: int = 1
    client_idle_stop_minutes: int = 30

    @property
    def uses_generated_password(self) -> bool:
        """A Global Database member cannot have a Secrets Manager-managed master password."""
        return self.disaster_recovery is not None and self.disaster_recovery.is_global

    @property
    def is_serverless(self) -> bool:
        return self.capacity_type == "serverless"

    @property
    def resource_tags(self) -> dict[str, str]:
        """Tags on every resource: who owns it, then the user's own tags (which may override)."""
        return {"Project": self.project, "Stack": self.stack, "ManagedBy": "pulumi", **self.tags}

    @property
    def engine_family(self) -> str:
        """Parameter group family: `aurora-mysql8.0` or `aurora-mysql8.4`."""
        return "aurora-mysql" + self.engine_version[:3]
