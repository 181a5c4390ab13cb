"""The stack's `aurora:*` configuration, declared once: like a Terraform module's `variables.tf`.

Each setting is one field: its type, its default, its rule (a pure function of `settings/checks.py`),
its camelCase key (generated from the field name) and a one-line description, from which the
reference table in docs/configuration.md and schema/stack-config.schema.json are generated
(`python -m settings.reference`). Unknown keys are refused at every level.

The two capacity shapes are the variants `ServerlessConfig` and `ProvisionedConfig`, chosen once by
`capacityType` (`StackConfig.shape`): code asks the variant instead of testing which section is
set. A default that differs by shape is declared with its field (`_by_shape`). Rules that join
several settings are the named entries of `rules.RULES`, run once over a model whose every field is
valid.

`loading.load_settings` validates with the stack's project, stack and region as context, and
`messages` writes every refusal as one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel

from awsfacts.identifiers import RDS_IDENTIFIER_LIMIT, instance_identifier, sanitised
from awsfacts.limits import DEFAULT_PAUSE_SECONDS

from . import checks as v
from .values import Flag, Number, Text, Whole, checked

# Aurora MySQL 3.10 is the long-term-support line; AWS advises against automatic minor
# upgrades on it, so the version is pinned and upgrades are deliberate config changes.
# Source: Aurora MySQL release notes, "Aurora MySQL 3.10.5 (2026-07-30)", LTS notice.
DEFAULT_ENGINE_VERSION = "8.0.mysql_aurora.3.10.5"

# Graviton r7g: cheaper and faster than the workshop's db.r5.large (still accepted).
DEFAULT_INSTANCE_CLASS = "db.r7g.large"

# The workshop's four log types, turned on for production by default.
WORKSHOP_LOG_EXPORTS = ("audit", "error", "general", "slowquery")


def _setting(**kwargs: Any) -> Any:
    """A field; `shown_default` documents a default that depends on other settings."""
    shown = kwargs.pop("shown_default", None)
    if shown is not None:
        kwargs["json_schema_extra"] = {**kwargs.get("json_schema_extra", {}), "x-default": shown}
    return Field(**kwargs)


def keys_of(model: type[BaseModel]) -> list[str]:
    """A model's stack keys, in the order they are declared."""
    return [field.alias or name for name, field in model.model_fields.items()]


def _by_shape(serverless: Any, provisioned: Any) -> Callable[[dict[str, Any]], Any]:
    """The default of a setting that differs by shape: the dev shape's or production's. Read from
    `capacityType`, validated before every field that follows it."""
    return lambda fields: provisioned if fields.get("capacity_type") == "provisioned" else serverless


def section_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a section's field (`ServerlessConfig | None`), None for a plain setting."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True, validate_default=False)

    @model_validator(mode="before")
    @classmethod
    def _null_is_unset(cls, data: Any) -> Any:
        """A null (`pulumi config set aurora:client null`, or a YAML key left empty) for a setting whose
        default the program works out (`shown_default`) leaves it unset, so the default applies.
        So does an empty `logExports`: it has always meant the shape's default, and reading it as
        "export nothing" would delete a running stack's log groups."""
        if not isinstance(data, dict):
            return data
        worked_out = {
            field.alias
            for field in cls.model_fields.values()
            if isinstance(field.json_schema_extra, dict) and "x-default" in field.json_schema_extra
        }
        return {
            key: value
            for key, value in data.items()
            if not ((value is None and key in worked_out) or (key == "logExports" and value == []))
        }


class ServerlessConfig(_Section):
    """Aurora Serverless v2 capacity (ACU) of the `db.serverless` writer."""

    min_capacity: Annotated[Number, checked(v.capacity(0))] = _setting(
        default=0, description="Lowest ACU, 0 to 256 in steps of 0.5; 0 lets the writer pause when idle (Aurora MySQL 3.08+)"
    )
    # AWS's smallest maximum is 1 ACU.
    max_capacity: Annotated[Number, checked(v.capacity(1))] = _setting(
        default=4, description="Highest ACU the writer may scale to, 1 to 256 in steps of 0.5"
    )
    seconds_until_auto_pause: Annotated[Whole, Field(ge=v.MIN_PAUSE_SECONDS, le=v.MAX_PAUSE_SECONDS)] | None = _setting(
        # None: the writer never pauses (minCapacity above 0).
        default_factory=lambda fields: DEFAULT_PAUSE_SECONDS if fields.get("min_capacity") == 0 else None,
        shown_default=f"{DEFAULT_PAUSE_SECONDS} when minCapacity is 0",
        description=f"Idle seconds before the writer pauses ({v.MIN_PAUSE_SECONDS} to {v.MAX_PAUSE_SECONDS}); only with minCapacity 0",
    )

    # The dev shape's answers to what production configures (`StackConfig.shape`).
    capacity_type: ClassVar[Literal["serverless"]] = "serverless"
    instance_classes: ClassVar[tuple[str, ...]] = ("db.serverless",)
    readers: ClassVar[int] = 0
    monitoring_interval: ClassVar[int] = 0
    # Backtrack is a provisioned feature: unset, not 0, on a serverless cluster.
    backtrack_seconds: ClassVar[int | None] = None
    insights: ClassVar[v.InsightsMode | None] = None
    proxy: ClassVar[bool] = False


class ProvisionedConfig(_Section):
    """The production shape: a provisioned writer and readers."""

    instance_class: Annotated[Text, checked(v.check_instance_class)] = _setting(
        default=DEFAULT_INSTANCE_CLASS,
        description=f"Instance class of the writer, and of each reader readerInstanceClasses does not set: db.FAMILY.SIZE, FAMILY one of {', '.join(v.PROVISIONED_CLASS_FAMILIES)}; no db.t*",
    )
    readers: Annotated[Whole, Field(ge=0, le=v.MAX_READERS)] = _setting(
        default=1, description=f"Readers (0 to {v.MAX_READERS}), each outside the writer's Availability Zone"
    )
    # Per-reader overrides, as terraform-aws-rds-aurora's `instances` map and CDK's `readers` allow.
    # Readers keep promotion tiers 1, 2, ... in order (components/aurora_cluster.py), so Aurora
    # promotes reader 1 first whatever its size: size only breaks ties between equal tiers.
    reader_instance_classes: tuple[Annotated[Text, checked(v.check_instance_class)], ...] = _setting(
        default=(),
        description="Instance class of each reader in order, the first for reader 1; readers past the list's end use instanceClass; at most `readers` items. A failover promotes reader 1 first whatever its class, so a smaller reader 1 becomes a smaller writer: list smaller classes last",
    )
    backtrack_hours: Annotated[Number, checked(v.check_backtrack_hours)] = _setting(
        default=24,
        description=f"Backtrack window in hours, 0 (off) to {v.MAX_BACKTRACK_HOURS}; refused with disasterRecovery.mode global",
    )
    monitoring_interval: Annotated[Whole, checked(v.one_of(v.MONITORING_INTERVALS))] = _setting(
        default=60,
        description="Enhanced Monitoring interval in seconds (0 turns it off)",
        json_schema_extra={"enum": list(v.MONITORING_INTERVALS)},
    )
    insights: v.InsightsMode = _setting(
        default=v.InsightsMode.Standard,
        description="Database Insights mode; advanced keeps 465 days of Performance Insights and is refused with mode global",
    )
    proxy: Flag = _setting(
        default=False,
        description="An RDS Proxy (TLS and IAM authentication required), billed per vCPU; not with Aurora MySQL 8.4, which RDS Proxy does not support yet; see docs/rds-proxy.md",
    )

    capacity_type: ClassVar[Literal["provisioned"]] = "provisioned"

    @property
    def backtrack_seconds(self) -> int:
        return int(self.backtrack_hours * 3600)

    @property
    def instance_classes(self) -> tuple[str, ...]:
        """The class of each instance: the writer's, then each reader's in promotion order."""
        own = self.reader_instance_classes
        return (self.instance_class, *own, *(self.instance_class,) * (self.readers - len(own)))


class RestoreFromConfig(_Section):
    """Where the provisioned cluster's data comes from: exactly one of the two."""

    stack: Annotated[Text, checked(v.check_stack_reference)] | None = _setting(
        default=None, description="Stack reference organization/aurora/dev whose clusterIdentifier is snapshotted"
    )
    snapshot_identifier: Annotated[Text, checked(v.check_snapshot_identifier)] | None = _setting(
        default=None, description="An existing cluster snapshot identifier or ARN"
    )


class _Placement(_Section):
    """Where a cluster lives and which private ranges reach it."""

    vpc_id: Annotated[Text, checked(v.check_vpc_id)] = _setting(
        default="default", description="default (the account's default VPC) or a VPC id vpc-..."
    )
    subnet_ids: Annotated[tuple[Text, ...], checked(v.distinct_ids("subnet"))] = _setting(
        default=(),
        description="Subnets of the DB subnet group (subnet-...); at least two Availability Zones outside the default VPC",
    )
    allowed_cidrs: tuple[Annotated[Text, checked(v.check_private_cidr)], ...] = _setting(
        default=(), description="Private IPv4 ranges admitted on the MySQL port; world-open and public ranges are refused"
    )

    @property
    def uses_default_vpc(self) -> bool:
        return self.vpc_id == "default"


class NetworkConfig(_Placement):
    """Where the cluster lives and who may reach it on the MySQL port."""

    allowed_security_group_ids: Annotated[tuple[Text, ...], checked(v.distinct_ids("sg"))] = _setting(
        default=(), description="Existing security groups (sg-...) admitted on the MySQL port: a bastion, an app tier"
    )
    client_subnet_id: Annotated[Text, checked(v.subnet_id)] | None = _setting(
        default=None, shown_default="the first usable database subnet", description="Subnet of the client host"
    )
    subnet_group_description: Text | None = _setting(
        default=None,
        shown_default="Aurora cluster subnets (managed by Pulumi)",
        description="Description of the DB subnet group; an adopted group keeps its own (ops adopt writes it)",
    )


class AppUserConfig(_Section):
    """An application user that signs in with IAM database authentication (pulumi-mysql)."""

    name: Annotated[Text, checked(v.check_mysql_user)] = _setting(
        default="app", description="MySQL user name, granted DML on the tutorial database"
    )
    endpoint: Annotated[Text, checked(v.check_endpoint)] = _setting(
        description="the host:port the MySQL provider reaches, for example 127.0.0.1:3307 forwarded through the client host (see docs/connecting.md)"
    )

    database: ClassVar[str] = "tutorial"
    """The only database the user is granted privileges on."""


class DisasterRecoveryConfig(_Placement):
    """Cross-region disaster recovery; the placement keys are the secondary's (mode global)."""

    region: Annotated[Text, checked(v.check_region)] = _setting(
        description="the region that receives the copies, such as us-west-2"
    )
    mode: v.DrMode = _setting(
        default="snapshot-copy",
        description="snapshot-copy (AWS Backup copies, works with backtrack) or global (an Aurora Global Database)",
    )
    retention_days: Annotated[Whole, Field(ge=1, le=35)] = _setting(
        default=7, description="Days the copies are kept in the DR region (1 to 35, snapshot-copy)"
    )
    instances: Annotated[Whole, Field(ge=1, le=v.MAX_READERS + 1)] = _setting(
        default=1,
        description=f"Instances of the secondary cluster (1 to {v.MAX_READERS + 1}, global); one becomes the writer after a failover",
    )

    @property
    def is_global(self) -> bool:
        return self.mode == "global"


class AdoptedInstance(_Section):
    """An instance of the adopted cluster: imported under its own name, in its own zone."""

    identifier: Annotated[Text, checked(v.check_identifier)] = _setting(description="The DB instance identifier")
    availability_zone: Annotated[Text, checked(v.check_availability_zone)] = _setting(
        description="The zone the instance runs in, such as us-east-1a (kept: a zone change replaces an instance)"
    )


class AdoptedSubnetGroup(_Section):
    """The adopted cluster's DB subnet group, imported under its name (network.subnetGroupDescription
    keeps its description, network.subnetIds its subnets)."""

    name: Annotated[Text, checked(v.check_subnet_group_name)] = _setting(description="The DB subnet group's name")


class LiveInstance(_Section):
    """An instance of the adopted cluster as `ops adopt` read it (DescribeDBInstances' DBInstance), for the guard."""

    identifier: Annotated[Text, checked(v.check_identifier)] = _setting(
        description="DBInstanceIdentifier: the instance of adopt.instances at the same place"
    )
    promotion_tier: Annotated[Whole, Field(ge=0, le=15)] = _setting(description="PromotionTier (0 to 15)")
    publicly_accessible: Flag = _setting(description="PubliclyAccessible")
    auto_minor_version_upgrade: Flag = _setting(description="AutoMinorVersionUpgrade")
    copy_tags_to_snapshot: Flag = _setting(description="CopyTagsToSnapshot")
    monitoring_interval: Whole = _setting(description="MonitoringInterval in seconds; 0 is off")
    monitoring_role_arn: Text | None = _setting(default=None, description="MonitoringRoleArn; absent without Enhanced Monitoring")
    tags: dict[Text, Text] = _setting(description="TagList, without the aws: and rds: tags AWS manages")


class LiveCluster(_Section):
    """The cluster as `ops adopt` read it (DescribeDBClusters), for the guard run before anything is declared."""

    engine_mode: Text = _setting(description="EngineMode: provisioned (Serverless v1 clusters cannot be adopted)")
    storage_encrypted: Flag = _setting(description="StorageEncrypted (an unencrypted cluster cannot be adopted)")
    kms_key_id: Text | None = _setting(default=None, description="KmsKeyId: the ARN of the storage key; absent unencrypted")
    master_username: Text = _setting(description="MasterUsername")
    manage_master_user_password: Flag = _setting(
        description="Whether Secrets Manager manages the master password (MasterUserSecret)"
    )
    iam_database_authentication_enabled: Flag = _setting(description="IAMDatabaseAuthenticationEnabled")
    vpc_security_group_ids: Annotated[tuple[Text, ...], checked(v.distinct_ids("sg"))] = _setting(
        description="VpcSecurityGroups' ids"
    )
    db_cluster_parameter_group_name: Text = _setting(description="DBClusterParameterGroup")
    global_cluster_identifier: Text | None = _setting(
        default=None, description="GlobalClusterIdentifier of a Global Database member (cannot be adopted)"
    )
    copy_tags_to_snapshot: Flag = _setting(description="CopyTagsToSnapshot")
    tags: dict[Text, Text] = _setting(description="TagList, without the aws: and rds: tags AWS manages")
    enabled_cloudwatch_logs_exports: tuple[Text, ...] = _setting(
        description="EnabledCloudwatchLogsExports: the log types exported, none when empty"
    )
    performance_insights_enabled: Flag = _setting(description="PerformanceInsightsEnabled of the cluster")
    database_insights_mode: Text | None = _setting(
        default=None, description="DatabaseInsightsMode (standard, advanced); absent when AWS reports none"
    )
    instances: Annotated[tuple[LiveInstance, ...], checked(v.check_not_empty)] = _setting(
        description="Each instance as DescribeDBInstances reports it, in the order of adopt.instances"
    )


class AdoptConfig(_Section):
    """A cluster built outside this program (the console), imported on the first `up`; see docs/adopt.md."""

    cluster: Annotated[Text, checked(v.check_identifier)] = _setting(
        description="The DB cluster identifier imported; must equal clusterName"
    )
    instances: Annotated[tuple[AdoptedInstance, ...], checked(v.check_not_empty)] = _setting(
        description="The instances imported: the writer first, then the readers in promotion order; as many as the shape has (serverless 1, provisioned 1 + readers)"
    )
    subnet_group: AdoptedSubnetGroup = _setting(description="The DB subnet group imported, with network.subnetIds its subnets")
    log_groups: Annotated[tuple[Text, ...], checked(v.check_log_exports)] = _setting(
        default=(),
        description="Log types of logExports whose group /aws/rds/cluster/<cluster>/<type> already exists: imported rather than created",
    )
    live: LiveCluster = _setting(
        description="The cluster as ops adopt read it, compared with the settings before anything is declared"
    )
    accept_changes: Annotated[tuple[Text, ...], checked(v.distinct_choices(v.ADOPTION_CHANGES))] = _setting(
        default=(),
        description=f"In-place changes the first `up` may make to the adopted cluster, by name: {', '.join(v.ADOPTION_CHANGES)}",
    )


def default_cluster_name(project: str, stack: str) -> str:
    """`<project>-<stack>`, lower-cased, as an RDS identifier (letters, digits, single hyphens).

    Cut at 63 characters, the cluster identifier's limit, and not at the shorter length the derived
    names of the stack allow (`derived_names.max_cluster_name_length`): that length depends on the
    settings (disasterRecovery snapshot-copy allows 42, a promotion 44, every stack 48), so a default
    cut to it would rename, and so replace, the cluster when such a setting is turned on, and would
    silently replace an existing stack's cluster whose name was longer. A default name that is too
    long is refused instead, by the same check as a configured one, which says the length to set.
    """
    return sanitised(f"{project}-{stack}".lower(), RDS_IDENTIFIER_LIMIT)


def to_snake(key: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), key)


class StackConfig(_Section):
    """Every `aurora:*` key of a stack file; validated, the settings components read.

    The stack's project, stack and region come from the validation context, not from the file.
    """

    _project: str = PrivateAttr(default="")
    _stack: str = PrivateAttr(default="")
    _region: str = PrivateAttr(default="")
    _shape: ServerlessConfig | ProvisionedConfig = PrivateAttr(default_factory=ServerlessConfig)

    capacity_type: v.CapacityType = _setting(
        description="serverless (the dev shape) or provisioned (the prod shape)",
    )
    cluster_name: Annotated[Text, checked(v.check_identifier)] = _setting(
        default_factory=str,  # `_context_defaults` sets it from the project and stack
        shown_default="project-stack, lower-cased",
        description="RDS identifier: lower-case letters, digits, hyphens; starts with a letter; at most 48 so every derived name fits, fewer with restoreFrom.stack (44) or disasterRecovery (snapshot-copy 42, global 47 minus the region's length)",
    )
    engine_version: Annotated[Text, checked(v.check_engine_version)] = _setting(
        default=DEFAULT_ENGINE_VERSION,
        description="Aurora MySQL 3 (8.0.mysql_aurora.3.xx.y) or 8.4 (8.4.mysql_aurora.8.4.x), one AWS offers in the region (asked before anything is declared); 5.6 and 5.7 are refused; scale to zero needs 3.08+; with restoreFrom.stack, the source's; a later major than the cluster runs needs majorVersionUpgradeAcknowledged",
    )
    major_version_upgrade_acknowledged: Flag = _setting(
        default=False,
        description="Allow an engineVersion of a later major than the deployed cluster runs (3 to 8.4): irreversible; snapshot first, see docs/major-upgrade.md",
    )
    master_username: Annotated[Text, checked(v.check_mysql_user)] = _setting(
        default="admin",
        description="1-16 letters, digits, _; not rdsadmin, root...; refused with restoreFrom (the snapshot's user stays)",
    )
    master_password_version: Annotated[Whole, Field(ge=1, le=v.MAX_PASSWORD_VERSION)] = _setting(
        default=1, description="disasterRecovery.mode global only: version of the generated master password; raise it to rotate"
    )
    # Each shape's section is there exactly when capacityType chooses it (the rules refuse a section
    # of the other shape, and a serverless stack without its own): `shape` is the one chosen.
    serverless: ServerlessConfig | None = _setting(
        default_factory=_by_shape(ServerlessConfig(), None),
        shown_default="required for serverless",
        description="Serverless v2 capacity",
    )
    provisioned: ProvisionedConfig | None = _setting(
        default_factory=_by_shape(None, ProvisionedConfig()),
        shown_default="{} for provisioned",
        description="The provisioned writer and readers",
    )
    restore_from: RestoreFromConfig | None = _setting(
        default=None, description="Provisioned only: restore from a stack's or a named snapshot"
    )
    data_api: Flag = _setting(default=True, description="RDS Data API on the writer")
    iam_authentication: Flag = _setting(default=True, description="IAM database authentication (needed by appUser)")
    network: NetworkConfig = _setting(default_factory=NetworkConfig, description="Where the cluster lives and who reaches it")
    client: v.ClientKind = _setting(
        default_factory=_by_shape("ssm", "none"),
        shown_default="ssm serverless, none provisioned",
        description="ssm: a client host managed by SSM; none",
    )
    client_idle_stop_minutes: Annotated[Whole, checked(v.check_idle_stop_minutes)] = _setting(
        default=30,
        description=f"client ssm only: stop the client host after this many minutes of low CPU; 0 never, else {v.IDLE_STOP_STEP_MINUTES} to {v.MAX_IDLE_STOP_MINUTES} in steps of {v.IDLE_STOP_STEP_MINUTES}",
    )
    backup_retention_days: Annotated[Whole, Field(ge=1, le=35)] = _setting(
        default=7, description="Days automated backups are kept (1 to 35)"
    )
    backup_window: Annotated[Text, checked(v.check_backup_window)] = _setting(
        default="03:00-04:00", description="hh:mm-hh:mm UTC, at least 30 minutes, outside the maintenance window"
    )
    maintenance_window: Annotated[Text, checked(v.check_maintenance_window)] = _setting(
        default="sun:05:00-sun:06:00", description="ddd:hh:mm-ddd:hh:mm UTC, at least 30 minutes"
    )
    deletion_protection: Flag = _setting(
        default_factory=_by_shape(False, True),
        shown_default="false serverless, true provisioned",
        description="RDS deletion protection (provisioned clusters are also Pulumi-protected)",
    )
    protect: Flag | None = _setting(
        default=None,
        shown_default="deletionProtection, and true for provisioned",
        description="Pulumi protect on the cluster and its instances: pulumi destroy and any replacement are refused; an adopted cluster needs true (ops adopt writes it)",
    )
    instance_identifiers: Annotated[tuple[Annotated[Text, checked(v.check_identifier)], ...], checked(v.check_distinct)] = (
        _setting(
            default=(),
            shown_default="clusterName-instance-N",
            description="The DB instance identifiers, the writer first, then each reader in promotion order; one per instance; a name never changes (a new one replaces the instance): for instances named in the console (ops adopt writes them)",
        )
    )
    # Production's changes wait for the maintenance window unless the stack says otherwise.
    apply_immediately: Flag = _setting(
        default_factory=_by_shape(True, False),
        shown_default="true serverless, false provisioned",
        description="Apply modifications now rather than in the maintenance window",
    )
    # A developer reads two logs; production exports the workshop's four.
    log_exports: Annotated[tuple[Text, ...], checked(v.check_log_exports)] = _setting(
        default_factory=_by_shape(("error", "slowquery"), WORKSHOP_LOG_EXPORTS),
        shown_default="[error, slowquery] serverless, [audit, error, general, slowquery] provisioned",
        description=f"CloudWatch log exports, distinct values from {', '.join(v.LOG_EXPORT_TYPES)}",
    )
    log_retention_days: Annotated[Whole, checked(v.one_of(v.LOG_RETENTION_DAYS))] = _setting(
        default=30,
        description="A CloudWatch Logs retention in days (1, 3, 5, 7, 14, 30, 60, 90, ...)",
        json_schema_extra={"enum": list(v.LOG_RETENTION_DAYS)},
    )
    kms_key_id: Annotated[Text, checked(v.check_kms_key)] | None = _setting(
        default=None,
        shown_default="the AWS-managed aws/rds key",
        description="KMS key ARN arn:...:key/ID in aws:region for storage encryption; not an alias or a key id (RDS reads back the key ARN)",
    )
    ca_certificate_identifier: v.CaCertificate = _setting(
        default=v.CaCertificate.RdsCaRsa2048G1,
        description="Certificate authority of the instances' TLS server certificate (clients verify against its bundle)",
    )
    # Dev opts out: a serverless stack is disposable and has no reason to pay for Extended Support.
    # Prod stays enrolled (AWS's own default): past the end of standard support a disabled cluster is
    # upgraded to the next major version by AWS on its own schedule, and an unplanned major upgrade
    # of the production database is worse than a charge that only starts after the date
    # (docs/upgrade-notes.md).
    engine_lifecycle_support: v.EngineLifecycleSupport = _setting(
        default_factory=_by_shape(v.EXTENDED_SUPPORT_DISABLED, v.EXTENDED_SUPPORT_ENABLED),
        shown_default="open-source-rds-extended-support-disabled serverless, open-source-rds-extended-support provisioned",
        description="RDS Extended Support past the engine's end of standard support: enrolled (charged per vCPU- or ACU-hour) or -disabled (AWS then upgrades the major version itself); applies when the cluster is created or restored",
    )
    storage_type: v.StorageType = _setting(
        default=v.StorageType.Aurora,
        description="aurora (Standard: I/O billed per request) or aurora-iopt1 (I/O-Optimized: no I/O charge, dearer instances and storage); AWS allows a switch to aurora-iopt1 once every 30 days, back to aurora at any time",
    )
    sample_data: Flag = _setting(default=False, description="Load sql/sample-data/*.sql through the Data API; needs dataApi")
    drop_sample_data_on_delete: Flag = _setting(
        default=False, description="DROP DATABASE tutorial when the SampleData resource is deleted"
    )
    app_user: AppUserConfig | None = _setting(
        default=None, description="An IAM-authenticated application user with DML on tutorial"
    )
    alarm_email: Annotated[Text, checked(v.check_email)] | None = _setting(
        default=None, description="E-mail address subscribed to the alarm topic"
    )
    disaster_recovery: DisasterRecoveryConfig | None = _setting(
        default=None, description="Cross-region disaster recovery; see docs/disaster-recovery.md"
    )
    adopt: AdoptConfig | None = _setting(
        default=None,
        description="Adopt a cluster built outside this program (the console) instead of creating one; see docs/adopt.md",
    )
    tags: dict[Annotated[Text, checked(v.check_tag_key)], Annotated[Text, checked(v.check_tag_value)]] = _setting(
        default_factory=dict, description="Tags added to Project, Stack, ManagedBy on every resource"
    )

    @property
    def project(self) -> str:
        return self._project

    @property
    def stack(self) -> str:
        return self._stack

    @property
    def region(self) -> str:
        return self._region

    @property
    def is_serverless(self) -> bool:
        return self.capacity_type == "serverless"

    @property
    def is_global(self) -> bool:
        return self.disaster_recovery is not None and self.disaster_recovery.is_global

    @property
    def resource_tags(self) -> dict[str, str]:
        """Tags on every resource: who owns it, then the user's own tags (which may override)."""
        return {"Project": self.project, "Stack": self.stack, "ManagedBy": "pulumi", **self.tags}

    @property
    def shape(self) -> Capacity:
        """The shape `capacityType` chose: its section, with its defaults when left out."""
        return self._shape

    @property
    def protected(self) -> bool:
        """Pulumi `protect` on the clusters: as `protect` says, else with deletion protection, and
        always for production."""
        if self.protect is not None:
            return self.protect
        return self.deletion_protection or not self.is_serverless

    @property
    def instance_names(self) -> tuple[str, ...]:
        """The identifier of each instance, the writer first: as the stack names them, else derived."""
        return self.instance_identifiers or tuple(
            instance_identifier(self.cluster_name, number) for number in range(1, 2 + self.shape.readers)
        )

    @model_validator(mode="after")
    def _stack_context(self, info: ValidationInfo) -> StackConfig:
        """The stack's project, stack and region, and the shape chosen once for the code that asks it."""
        context = info.context or {}
        self._project, self._stack, self._region = (context.get(key, "") for key in ("project", "stack", "region"))
        chosen = self.serverless if self.capacity_type == "serverless" else self.provisioned
        assert chosen is not None, "the section's default follows capacityType"
        self._shape = chosen
        return self

    @model_validator(mode="before")
    @classmethod
    def _context_defaults(cls, data: Any, info: ValidationInfo) -> Any:
        """The cluster name's default, from the stack's project and stack: validated like a configured one."""
        if isinstance(data, dict) and data.get("clusterName") is None:
            context = info.context or {}
            return {**data, "clusterName": default_cluster_name(context.get("project", ""), context.get("stack", ""))}
        return data


Capacity = ServerlessConfig | ProvisionedConfig
