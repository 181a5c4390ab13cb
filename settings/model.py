"""The stack's `aurora:*` configuration, declared once: like a Terraform module's `variables.tf`.

Each setting is one field: its type, its default, its rule (a pure function of `settings/checks.py`),
its camelCase key (generated from the field name) and a one-line description, from which the
reference table in docs/configuration.md and schema/stack-config.schema.json are generated
(`python -m settings.reference`). Unknown keys are refused at every level.

The two capacity shapes are the variants `ServerlessConfig` and `ProvisionedConfig`, chosen by
`capacityType` (`StackConfig.capacity`); each holds its own settings and the defaults that depend
on the shape, so code asks the variant instead of testing which section is set. Rules that join
several settings are the named entries of `RULES` (condition and message, with the setting they
refuse), run once over the typed model after every field is valid, the way CDK's
`validate-database-cluster-props.ts` reads.

`config.load_settings` validates with the stack's project, stack and region as context and turns
pydantic's errors into the project's one-line messages. A field's rule cannot know where its
section sits (the same model serves `network` and `disasterRecovery`), so it hands `settings.loading` a
function that writes its message for the setting's full key (`aurora:serverless.minCapacity`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from awsfacts.engine_versions import engine_major
from awsfacts.identifiers import RDS_IDENTIFIER_LIMIT, sanitised
from awsfacts.limits import DEFAULT_PAUSE_SECONDS

from . import checks as v
from . import derived_names

RULE_ERROR = "aurora"
# The messages of the rules that join settings (pydantic lets a validator raise one error).
RULES_ERROR = "aurora_rules"

T = TypeVar("T")

# Aurora MySQL 3.10 is the long-term-support line; AWS advises against automatic minor
# upgrades on it, so the version is pinned and upgrades are deliberate config changes.
# Source: Aurora MySQL release notes, "Aurora MySQL 3.10.5 (2026-07-30)", LTS notice.
DEFAULT_ENGINE_VERSION = "8.0.mysql_aurora.3.10.5"

# Graviton r7g: cheaper and faster than the workshop's db.r5.large (still accepted).
DEFAULT_INSTANCE_CLASS = "db.r7g.large"

# The workshop's four log types, turned on for production by default.
WORKSHOP_LOG_EXPORTS = ("audit", "error", "general", "slowquery")

_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d*\.\d+$")


def as_number(value: Any) -> Any:
    """`pulumi config set --path aurora:x.y 0.5` stores "0.5": numeric text counts as the number."""
    if isinstance(value, str):
        if _INTEGER.match(value):
            return int(value)
        if _DECIMAL.match(value):
            return float(value)
    return value


def as_flag(value: Any) -> Any:
    """`pulumi config set aurora:x true` without --path stores the text "true"."""
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


def _refused(write: Callable[[str], str]) -> PydanticCustomError:
    """A field's refusal; `write(key)` is its message for the setting's full key."""
    return PydanticCustomError(RULE_ERROR, "{message}", {"message": write("<setting>"), "write": write})


def _rule(check: Callable[..., str | None], *args: Any, convert: Callable[[Any], Any] = lambda x: x) -> BeforeValidator:
    """Runs a `settings/checks.py` rule on the value; its message keeps the value as the user wrote it."""

    def validate(value: Any) -> Any:
        converted = convert(value)
        if check("", converted, *args) is None:
            return converted
        raise _refused(lambda key: check(key, value, *args) or check(key, converted, *args) or "")

    return BeforeValidator(validate)


def _optional(check: Callable[..., str | None]) -> Callable[..., str | None]:
    return lambda name, value, *args: None if value is None else check(name, value, *args)


def _choice(allowed: tuple[Any, ...]) -> Any:
    return _rule(v.check_choice, allowed, convert=as_number if isinstance(allowed[0], int) else lambda x: x)


def _whole(low: int, high: int) -> Any:
    return _rule(v.check_int_range, low, high, convert=as_number)


Flag = Annotated[bool, _rule(v.check_bool, convert=as_flag)]


def _private_cidrs(value: Any) -> Any:
    if isinstance(value, list):
        return value
    raise _refused(lambda key: f"{v.setting(key)} is {v.show(value)}: expected a list of private CIDR ranges")


PrivateCidrs = Annotated[tuple[Annotated[str, _rule(v.check_private_cidr)], ...], BeforeValidator(_private_cidrs)]


def _setting(**kwargs: Any) -> Any:
    """A field; `shown_default` documents a default that depends on other settings."""
    shown = kwargs.pop("shown_default", None)
    if shown is not None:
        kwargs["json_schema_extra"] = {"x-default": shown}
    return Field(**kwargs)


def section_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a section's field (`ServerlessConfig | None`), None for a plain setting."""
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, frozen=True, validate_default=False)


class ServerlessConfig(_Section):
    """Aurora Serverless v2 capacity (ACU) of the `db.serverless` writer."""

    min_capacity: Annotated[float, _rule(v.check_capacity, 0, convert=as_number)] = _setting(
        default=0, description="Lowest ACU, 0 to 256 in steps of 0.5; 0 lets the writer pause when idle (Aurora MySQL 3.08+)"
    )
    # AWS's smallest maximum is 1 ACU.
    max_capacity: Annotated[float, _rule(v.check_capacity, 1, convert=as_number)] = _setting(
        default=4, description="Highest ACU the writer may scale to, 1 to 256 in steps of 0.5"
    )
    configured_seconds_until_auto_pause: Annotated[
        int | None, _rule(_optional(v.check_int_range), v.MIN_PAUSE_SECONDS, v.MAX_PAUSE_SECONDS, convert=as_number)
    ] = _setting(
        default=None,
        alias="secondsUntilAutoPause",
        shown_default=f"{DEFAULT_PAUSE_SECONDS} when minCapacity is 0",
        description=f"Idle seconds before the writer pauses ({v.MIN_PAUSE_SECONDS} to {v.MAX_PAUSE_SECONDS}); only with minCapacity 0",
    )

    # The variant's answers to what the other shape configures (`StackConfig.capacity`).
    capacity_type: ClassVar[Literal["serverless"]] = "serverless"
    instance_class: ClassVar[str] = "db.serverless"
    readers: ClassVar[int] = 0
    monitoring_interval: ClassVar[int] = 0
    # Backtrack is a provisioned feature: unset, not 0, on a serverless cluster.
    backtrack_seconds: ClassVar[int | None] = None
    insights: ClassVar[str | None] = None
    proxy: ClassVar[bool] = False
    # Defaults of stack-wide settings for the dev shape: changes apply now, nothing is protected,
    # and only the two logs a developer reads are exported.
    default_apply_immediately: ClassVar[bool] = True
    default_deletion_protection: ClassVar[bool] = False
    default_log_exports: ClassVar[tuple[str, ...]] = ("error", "slowquery")
    default_client: ClassVar[str] = "ssm"
    default_engine_lifecycle_support: ClassVar[str] = v.EXTENDED_SUPPORT_DISABLED

    @property
    def seconds_until_auto_pause(self) -> int | None:
        """None when the writer never pauses (minCapacity above 0)."""
        if self.min_capacity != 0:
            return None
        if self.configured_seconds_until_auto_pause is None:
            return DEFAULT_PAUSE_SECONDS
        return self.configured_seconds_until_auto_pause


class ProvisionedConfig(_Section):
    """The production shape: a provisioned writer and readers."""

    instance_class: Annotated[str, _rule(v.check_instance_class)] = _setting(
        default=DEFAULT_INSTANCE_CLASS,
        description=f"Instance class of the writer and readers: db.FAMILY.SIZE, FAMILY one of {', '.join(v.PROVISIONED_CLASS_FAMILIES)}; no db.t*",
    )
    readers: Annotated[int, _whole(0, v.MAX_READERS)] = _setting(
        default=1, description=f"Readers (0 to {v.MAX_READERS}), each outside the writer's Availability Zone"
    )
    backtrack_hours: Annotated[float, _rule(v.check_backtrack_hours, convert=as_number)] = _setting(
        default=24,
        description=f"Backtrack window in hours, 0 (off) to {v.MAX_BACKTRACK_HOURS}; refused with disasterRecovery.mode global",
    )
    monitoring_interval: Annotated[int, _choice(v.MONITORING_INTERVALS)] = _setting(
        default=60,
        description="Enhanced Monitoring interval in seconds (0 turns it off)",
        json_schema_extra={"enum": list(v.MONITORING_INTERVALS)},
    )
    insights: Annotated[str, _choice(v.INSIGHTS_MODES)] = _setting(
        default="standard",
        description="Database Insights mode; advanced keeps 465 days of Performance Insights and is refused with mode global",
        json_schema_extra={"enum": list(v.INSIGHTS_MODES)},
    )
    proxy: Flag = _setting(
        default=False,
        description="An RDS Proxy (TLS and IAM authentication required), billed per vCPU; not with Aurora MySQL 8.4, which RDS Proxy does not support yet; see docs/rds-proxy.md",
    )

    capacity_type: ClassVar[Literal["provisioned"]] = "provisioned"
    # Defaults of stack-wide settings for production: changes wait for the maintenance window, the
    # cluster is protected, and the workshop's four logs are exported.
    default_apply_immediately: ClassVar[bool] = False
    default_deletion_protection: ClassVar[bool] = True
    default_log_exports: ClassVar[tuple[str, ...]] = WORKSHOP_LOG_EXPORTS
    default_client: ClassVar[str] = "none"
    default_engine_lifecycle_support: ClassVar[str] = v.EXTENDED_SUPPORT_ENABLED

    @property
    def backtrack_seconds(self) -> int:
        return int(self.backtrack_hours * 3600)


class RestoreFromConfig(_Section):
    """Where the provisioned cluster's data comes from: exactly one of the two."""

    stack: Annotated[str | None, _rule(_optional(v.check_stack_reference))] = _setting(
        default=None, description="Stack reference organization/aurora/dev whose clusterIdentifier is snapshotted"
    )
    snapshot_identifier: Annotated[str | None, _rule(_optional(v.check_snapshot_identifier))] = _setting(
        default=None, description="An existing cluster snapshot identifier or ARN"
    )


class _Placement(_Section):
    """Where a cluster lives and which private ranges reach it."""

    vpc_id: Annotated[str, _rule(v.check_vpc_id)] = _setting(
        default="default", description="default (the account's default VPC) or a VPC id vpc-..."
    )
    subnet_ids: Annotated[tuple[str, ...], _rule(v.check_ids, "subnet")] = _setting(
        default=(),
        description="Subnets of the DB subnet group (subnet-...); at least two Availability Zones outside the default VPC",
    )
    allowed_cidrs: PrivateCidrs = _setting(
        default=(), description="Private IPv4 ranges admitted on the MySQL port; world-open and public ranges are refused"
    )

    @property
    def uses_default_vpc(self) -> bool:
        return self.vpc_id == "default"


def _subnet_id(name: str, value: Any) -> str | None:
    return v.check_ids(name, [value], "subnet")


class NetworkConfig(_Placement):
    """Where the cluster lives and who may reach it on the MySQL port."""

    allowed_security_group_ids: Annotated[tuple[str, ...], _rule(v.check_ids, "sg")] = _setting(
        default=(), description="Existing security groups (sg-...) admitted on the MySQL port: a bastion, an app tier"
    )
    client_subnet_id: Annotated[str | None, _rule(_optional(_subnet_id))] = _setting(
        default=None, shown_default="the first usable database subnet", description="Subnet of the client host"
    )


class AppUserConfig(_Section):
    """An application user that signs in with IAM database authentication (pulumi-mysql)."""

    name: Annotated[str, _rule(v.check_mysql_user)] = _setting(
        default="app", description="MySQL user name, granted DML on the tutorial database"
    )
    endpoint: Annotated[str, _rule(v.check_endpoint)] = _setting(
        description="the host:port the MySQL provider reaches, for example 127.0.0.1:3307 forwarded through the client host (see docs/connecting.md)"
    )

    database: ClassVar[str] = "tutorial"
    """The only database the user is granted privileges on."""


class DisasterRecoveryConfig(_Placement):
    """Cross-region disaster recovery; the placement keys are the secondary's (mode global)."""

    region: Annotated[str, _rule(v.check_region)] = _setting(description="the region that receives the copies, such as us-west-2")
    mode: Annotated[str, _choice(v.DR_MODES)] = _setting(
        default="snapshot-copy",
        description="snapshot-copy (AWS Backup copies, works with backtrack) or global (an Aurora Global Database)",
        json_schema_extra={"enum": list(v.DR_MODES)},
    )
    retention_days: Annotated[int, _whole(1, 35)] = _setting(
        default=7, description="Days the copies are kept in the DR region (1 to 35, snapshot-copy)"
    )
    instances: Annotated[int, _whole(1, v.MAX_READERS + 1)] = _setting(
        default=1,
        description=f"Instances of the secondary cluster (1 to {v.MAX_READERS + 1}, global); one becomes the writer after a failover",
    )

    @property
    def is_global(self) -> bool:
        return self.mode == "global"


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

    capacity_type: Annotated[str, _rule(v.check_capacity_type)] = _setting(
        description="serverless (the dev shape) or provisioned (the prod shape)",
        json_schema_extra={"enum": list(v.CAPACITY_TYPES)},
    )
    configured_cluster_name: Annotated[str | None, _rule(_optional(v.check_identifier))] = _setting(
        default=None,
        alias="clusterName",
        shown_default="project-stack, lower-cased",
        description="RDS identifier: lower-case letters, digits, hyphens; starts with a letter; at most 48 so every derived name fits, fewer with restoreFrom.stack (44) or disasterRecovery (snapshot-copy 42, global 47 minus the region's length)",
    )
    engine_version: Annotated[str, _rule(v.check_engine_version)] = _setting(
        default=DEFAULT_ENGINE_VERSION,
        description="Aurora MySQL 3 (8.0.mysql_aurora.3.xx.y) or 8.4 (8.4.mysql_aurora.8.4.x), one AWS offers in the region (asked before anything is declared); 5.6 and 5.7 are refused; scale to zero needs 3.08+; with restoreFrom.stack, the source's; a later major than the cluster runs needs majorVersionUpgradeAcknowledged",
    )
    major_version_upgrade_acknowledged: Flag = _setting(
        default=False,
        description="Allow an engineVersion of a later major than the deployed cluster runs (3 to 8.4): irreversible; snapshot first, see docs/major-upgrade.md",
    )
    configured_master_username: Annotated[str, _rule(v.check_mysql_user)] = _setting(
        default="admin",
        alias="masterUsername",
        description="1-16 letters, digits, _; not rdsadmin, root...; refused with restoreFrom (the snapshot's user stays)",
    )
    master_password_version: Annotated[int, _whole(1, v.MAX_PASSWORD_VERSION)] = _setting(
        default=1, description="disasterRecovery.mode global only: version of the generated master password; raise it to rotate"
    )
    serverless: ServerlessConfig | None = _setting(
        default=None, shown_default="required for serverless", description="Serverless v2 capacity"
    )
    configured_provisioned: ProvisionedConfig | None = _setting(
        default=None, alias="provisioned", shown_default="{} for provisioned", description="The provisioned writer and readers"
    )
    restore_from: RestoreFromConfig | None = _setting(
        default=None, description="Provisioned only: restore from a stack's or a named snapshot"
    )
    data_api: Flag = _setting(default=True, description="RDS Data API on the writer")
    iam_authentication: Flag = _setting(default=True, description="IAM database authentication (needed by appUser)")
    network: NetworkConfig = _setting(default_factory=NetworkConfig, description="Where the cluster lives and who reaches it")
    configured_client: Annotated[str | None, _rule(_optional(v.check_choice), v.CLIENT_KINDS)] = _setting(
        default=None,
        alias="client",
        shown_default="ssm serverless, none provisioned",
        description="ssm: a client host managed by SSM; none",
        json_schema_extra={"enum": list(v.CLIENT_KINDS)},
    )
    client_idle_stop_minutes: Annotated[int, _rule(v.check_idle_stop_minutes, convert=as_number)] = _setting(
        default=30,
        description=f"client ssm only: stop the client host after this many minutes of low CPU; 0 never, else {v.IDLE_STOP_STEP_MINUTES} to {v.MAX_IDLE_STOP_MINUTES} in steps of {v.IDLE_STOP_STEP_MINUTES}",
    )
    backup_retention_days: Annotated[int, _whole(1, 35)] = _setting(
        default=7, description="Days automated backups are kept (1 to 35)"
    )
    backup_window: Annotated[str, _rule(v.check_backup_window)] = _setting(
        default="03:00-04:00", description="hh:mm-hh:mm UTC, at least 30 minutes, outside the maintenance window"
    )
    maintenance_window: Annotated[str, _rule(v.check_maintenance_window)] = _setting(
        default="sun:05:00-sun:06:00", description="ddd:hh:mm-ddd:hh:mm UTC, at least 30 minutes"
    )
    configured_deletion_protection: Annotated[bool | None, _rule(_optional(v.check_bool), convert=as_flag)] = _setting(
        default=None,
        alias="deletionProtection",
        shown_default="false serverless, true provisioned",
        description="RDS deletion protection (provisioned clusters are also Pulumi-protected)",
    )
    configured_apply_immediately: Annotated[bool | None, _rule(_optional(v.check_bool), convert=as_flag)] = _setting(
        default=None,
        alias="applyImmediately",
        shown_default="true serverless, false provisioned",
        description="Apply modifications now rather than in the maintenance window",
    )
    configured_log_exports: Annotated[tuple[str, ...] | None, _rule(_optional(v.check_log_exports))] = _setting(
        default=None,
        alias="logExports",
        shown_default="[error, slowquery] serverless, [audit, error, general, slowquery] provisioned",
        description=f"CloudWatch log exports, distinct values from {', '.join(v.LOG_EXPORT_TYPES)}",
    )
    log_retention_days: Annotated[int, _choice(v.LOG_RETENTION_DAYS)] = _setting(
        default=30,
        description="A CloudWatch Logs retention in days (1, 3, 5, 7, 14, 30, 60, 90, ...)",
        json_schema_extra={"enum": list(v.LOG_RETENTION_DAYS)},
    )
    kms_key_id: Annotated[str | None, _rule(_optional(v.check_kms_key))] = _setting(
        default=None,
        shown_default="the AWS-managed aws/rds key",
        description="KMS key ARN arn:...:key/ID in aws:region for storage encryption; not an alias or a key id (RDS reads back the key ARN)",
    )
    ca_certificate_identifier: Annotated[str, _choice(v.CA_CERTIFICATES)] = _setting(
        default=v.CA_CERTIFICATES[0],
        description="Certificate authority of the instances' TLS server certificate (clients verify against its bundle)",
        json_schema_extra={"enum": list(v.CA_CERTIFICATES)},
    )
    configured_engine_lifecycle_support: Annotated[str | None, _rule(_optional(v.check_choice), v.ENGINE_LIFECYCLE_SUPPORTS)] = (
        _setting(
            default=None,
            alias="engineLifecycleSupport",
            shown_default="open-source-rds-extended-support-disabled serverless, open-source-rds-extended-support provisioned",
            description="RDS Extended Support past the engine's end of standard support: enrolled (charged per vCPU- or ACU-hour) or -disabled (AWS then upgrades the major version itself); applies when the cluster is created or restored",
            json_schema_extra={"enum": list(v.ENGINE_LIFECYCLE_SUPPORTS)},
        )
    )
    storage_type: Annotated[str, _choice(v.STORAGE_TYPES)] = _setting(
        default="aurora",
        description="aurora (Standard: I/O billed per request) or aurora-iopt1 (I/O-Optimized: no I/O charge, dearer instances and storage); AWS allows a switch to aurora-iopt1 once every 30 days, back to aurora at any time",
        json_schema_extra={"enum": list(v.STORAGE_TYPES)},
    )
    sample_data: Flag = _setting(default=False, description="Load sql/sample-data/*.sql through the Data API; needs dataApi")
    drop_sample_data_on_delete: Flag = _setting(
        default=False, description="DROP DATABASE tutorial when the SampleData resource is deleted"
    )
    app_user: AppUserConfig | None = _setting(
        default=None, description="An IAM-authenticated application user with DML on tutorial"
    )
    alarm_email: Annotated[str | None, _rule(_optional(v.check_email))] = _setting(
        default=None, description="E-mail address subscribed to the alarm topic"
    )
    disaster_recovery: DisasterRecoveryConfig | None = _setting(
        default=None, description="Cross-region disaster recovery; see docs/disaster-recovery.md"
    )
    tags: Annotated[dict[str, str], _rule(v.check_tags)] = _setting(
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
    def uses_generated_password(self) -> bool:
        """A Global Database member cannot have a Secrets Manager-managed master password."""
        return self.is_global

    @property
    def resource_tags(self) -> dict[str, str]:
        """Tags on every resource: who owns it, then the user's own tags (which may override)."""
        return {"Project": self.project, "Stack": self.stack, "ManagedBy": "pulumi", **self.tags}

    @property
    def engine_family(self) -> str:
        """Parameter group family: `aurora-mysql8.0` or `aurora-mysql8.4`."""
        return "aurora-mysql" + self.engine_version[:3]

    # The defaults that depend on the capacity type or the stack (each field's `shown_default`).

    @property
    def cluster_name(self) -> str:
        return self.configured_cluster_name or default_cluster_name(self.project, self.stack)

    @property
    def master_username(self) -> str | None:
        """None when the cluster is restored: it keeps the snapshot's master user."""
        return None if self.restore_from is not None else self.configured_master_username

    @property
    def capacity(self) -> Capacity:
        """The shape `capacityType` chooses, with its defaults when its section is left out."""
        if self.capacity_type == "provisioned":
            return self.configured_provisioned or ProvisionedConfig()
        # A serverless stack without its section is refused (`serverless-needs-its-section`); the
        # other rules still see a shape.
        return self.serverless or ServerlessConfig()

    @property
    def client(self) -> str:
        return self.configured_client or self.capacity.default_client

    @property
    def deletion_protection(self) -> bool:
        configured = self.configured_deletion_protection
        return self.capacity.default_deletion_protection if configured is None else configured

    @property
    def apply_immediately(self) -> bool:
        configured = self.configured_apply_immediately
        return self.capacity.default_apply_immediately if configured is None else configured

    @property
    def log_exports(self) -> tuple[str, ...]:
        return self.configured_log_exports or self.capacity.default_log_exports

    @property
    def engine_lifecycle_support(self) -> str:
        """Dev opts out: a serverless stack is disposable and has no reason to pay for Extended
        Support. Prod stays enrolled (AWS's own default): past the end of standard support a
        disabled cluster is upgraded to the next major version by AWS on its own schedule, and an
        unplanned major upgrade of the production database is worse than a charge that only starts
        after the date (docs/upgrade-notes.md)."""
        configured = self.configured_engine_lifecycle_support
        if configured is not None:
            return configured
        return self.capacity.default_engine_lifecycle_support

    @model_validator(mode="after")
    def _settings_fit_together(self, info: ValidationInfo) -> StackConfig:
        """Every rule of `RULES`, once, over the valid fields; all their messages together."""
        context = info.context or {}
        self._project, self._stack, self._region = (context.get(key, "") for key in ("project", "stack", "region"))
        messages = [message for rule in RULES for message in rule.problems(self)]
        if messages:
            raise PydanticCustomError(RULES_ERROR, "{messages}", {"messages": messages})
        return self


Capacity = ServerlessConfig | ProvisionedConfig


@dataclass(frozen=True)
class Rule:
    """A rule that joins settings: when `breaks` holds, `setting` is refused with `message`.

    `setting` is the key the message names first; `message` is written only for a broken rule."""

    name: str
    setting: str
    breaks: Callable[[StackConfig], bool]
    message: Callable[[StackConfig], str]

    def problems(self, config: StackConfig) -> Iterator[str]:
        if self.breaks(config):
            yield self.message(config)


@dataclass(frozen=True)
class Check:
    """A rule whose condition and message are one `settings/checks.py` or `derived_names` check."""

    name: str
    setting: str
    check: Callable[[StackConfig], str | None]

    def problems(self, config: StackConfig) -> Iterator[str]:
        message = self.check(config)
        if message is not None:
            yield message


def _is_set(section: BaseModel, field: str) -> bool:
    """Whether the stack file sets the field (not only its default)."""
    return field in section.model_fields_set


def _present(section: T | None) -> T:
    """A section a broken rule's condition has already found set."""
    assert section is not None
    return section


def _network(config: StackConfig) -> _Placement | None:
    return config.network


def _secondary(config: StackConfig) -> _Placement | None:
    return config.disaster_recovery


def _needs_two_subnets(placement: Callable[[StackConfig], _Placement | None], config: StackConfig) -> bool:
    found = placement(config)
    return found is not None and not found.uses_default_vpc and len(found.subnet_ids) < 2


def _two_subnets_message(section: str, placement: Callable[[StackConfig], _Placement | None], config: StackConfig) -> str:
    return (
        f"{v.setting(section + '.subnetIds')} is {v.show(list(_present(placement(config)).subnet_ids))}: a VPC other than the "
        "default needs at least two subnets in different Availability Zones"
    )


def _secondary_key_without_global(key: str, config: StackConfig) -> bool:
    """The secondary cluster's placement means nothing for backup copies: say so, not ignore it."""
    dr = config.disaster_recovery
    return dr is not None and not dr.is_global and _is_set(dr, to_snake(key))


def _secondary_key_message(key: str, config: StackConfig) -> str:
    return (
        f"{v.setting('disasterRecovery.' + key)} is set but {v.setting('disasterRecovery.mode')} is "
        f"{v.show(_present(config.disaster_recovery).mode)}: it places the secondary cluster of mode global; "
        "remove it or use mode global"
    )


# The MySQL majors of the Aurora MySQL versions RDS Proxy supports, of those this program accepts
# (Aurora MySQL 3 is MySQL 8.0; see the rule `proxy-needs-a-listed-engine`).
PROXY_ENGINE_MAJORS = ("8.0",)


def _min_capacity(config: StackConfig) -> float | None:
    return config.serverless.min_capacity if config.serverless is not None else None


def _provisioned(config: StackConfig) -> ProvisionedConfig | None:
    return config.capacity if isinstance(config.capacity, ProvisionedConfig) else None


# Every rule that joins settings, in the order its messages are reported: the sections' own rules
# in the order of the sections, then the shape, the combinations, a Global Database's limits, the
# key's region and the names derived from the cluster name.
RULES: tuple[Rule | Check, ...] = (
    Rule(
        "serverless-min-not-above-max",
        "serverless.minCapacity",
        lambda c: c.serverless is not None and c.serverless.min_capacity > c.serverless.max_capacity,
        lambda c: (
            f"{v.setting('serverless.minCapacity')} {_present(c.serverless).min_capacity:g} is above "
            f"{v.setting('serverless.maxCapacity')} {_present(c.serverless).max_capacity:g}: the minimum must not exceed the maximum"
        ),
    ),
    Rule(
        "auto-pause-needs-min-capacity-zero",
        "serverless.secondsUntilAutoPause",
        lambda c: (
            c.serverless is not None
            and c.serverless.configured_seconds_until_auto_pause is not None
            and c.serverless.min_capacity != 0
        ),
        lambda c: (
            f"{v.setting('serverless.secondsUntilAutoPause')} is {_present(c.serverless).configured_seconds_until_auto_pause!r} "
            f"but minCapacity is {_present(c.serverless).min_capacity:g}: the writer pauses only when minCapacity is 0; "
            "remove it or set minCapacity to 0"
        ),
    ),
    Rule(
        "restore-from-exactly-one-source",
        "restoreFrom",
        lambda c: c.restore_from is not None and (c.restore_from.stack is None) == (c.restore_from.snapshot_identifier is None),
        lambda c: (
            f"{v.setting('restoreFrom')} is {v.show(_present(c.restore_from).model_dump(by_alias=True, exclude_none=True))}: "
            "set exactly one of stack (organization/aurora/dev) or snapshotIdentifier"
        ),
    ),
    # The rules built here, at import, hold only data and module functions: mutmut switches a
    # mutant in when a function is called, which a function run at import never is.
    Rule(
        "network-needs-two-subnets",
        "network.subnetIds",
        partial(_needs_two_subnets, _network),
        partial(_two_subnets_message, "network", _network),
    ),
    Rule(
        "secondary-needs-two-subnets",
        "disasterRecovery.subnetIds",
        partial(_needs_two_subnets, _secondary),
        partial(_two_subnets_message, "disasterRecovery", _secondary),
    ),
    Rule(
        "disaster-recovery-in-another-region",
        "disasterRecovery.region",
        lambda c: c.disaster_recovery is not None and c.disaster_recovery.region == c.region,
        lambda c: (
            f"{v.setting('disasterRecovery.region')} is {v.show(c.region)}, the same as aws:region: "
            "disaster recovery needs a different region"
        ),
    ),
    Rule(
        "disaster-recovery-in-the-same-partition",
        "disasterRecovery.region",
        lambda c: (
            c.disaster_recovery is not None
            and c.region in v.PARTITION_OF_REGION  # an unknown aws:region has its own refusal
            and v.PARTITION_OF_REGION[c.disaster_recovery.region] != v.PARTITION_OF_REGION[c.region]
        ),
        lambda c: (
            f"{v.setting('disasterRecovery.region')} is {v.show(_present(c.disaster_recovery).region)}, in the "
            f"{v.PARTITION_OF_REGION[_present(c.disaster_recovery).region]} partition, but aws:region {c.region} is in "
            f"{v.PARTITION_OF_REGION[c.region]}: snapshot copies and Global Database members stay within one "
            "partition; choose a region of the same partition"
        ),
    ),
    *(
        Rule(
            f"secondary-{to_snake(key).replace('_', '-')}-needs-mode-global",
            f"disasterRecovery.{key}",
            partial(_secondary_key_without_global, key),
            partial(_secondary_key_message, key),
        )
        for key in ("vpcId", "subnetIds", "allowedCidrs", "instances")
    ),
    Rule(
        "serverless-needs-its-section",
        "serverless",
        lambda c: c.capacity_type == "serverless" and c.serverless is None,
        lambda c: (
            f"{v.setting('serverless')} is required for capacityType serverless, for example "
            f"{{minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: {DEFAULT_PAUSE_SECONDS}}}"
        ),
    ),
    Rule(
        "serverless-section-needs-serverless",
        "serverless",
        lambda c: c.capacity_type != "serverless" and c.serverless is not None,
        lambda c: (
            f"{v.setting('serverless')} is set but {v.setting('capacityType')} is not serverless: "
            "remove it, or set capacityType to serverless"
        ),
    ),
    Rule(
        "provisioned-section-needs-provisioned",
        "provisioned",
        lambda c: c.capacity_type == "serverless" and c.configured_provisioned is not None,
        lambda c: (
            f"{v.setting('provisioned')} is set but {v.setting('capacityType')} is not provisioned: "
            "remove it, or set capacityType to provisioned"
        ),
    ),
    Rule(
        "restore-needs-provisioned",
        "restoreFrom",
        lambda c: c.capacity_type == "serverless" and c.restore_from is not None,
        lambda c: (
            f"{v.setting('restoreFrom')} is set but {v.setting('capacityType')} is not provisioned: "
            "promotion through a snapshot creates the provisioned production cluster"
        ),
    ),
    Rule(
        "idle-stop-needs-client-ssm",
        "clientIdleStopMinutes",
        lambda c: _is_set(c, "client_idle_stop_minutes") and c.client != "ssm",
        lambda c: (
            f"{v.setting('clientIdleStopMinutes')} is set but {v.setting('client')} is {v.show(c.client)}: "
            "it stops the client host, which only client ssm creates; remove it or set client to ssm"
        ),
    ),
    Check(
        "backup-window-outside-maintenance-window",
        "backupWindow",
        lambda c: v.check_windows_do_not_overlap(c.backup_window, c.maintenance_window),
    ),
    Rule(
        "sample-data-needs-data-api",
        "sampleData",
        lambda c: c.sample_data and not c.data_api,
        lambda c: (
            f"{v.setting('sampleData')} is true but {v.setting('dataApi')} is false: the sample data "
            "is loaded through the Data API; turn dataApi on or sampleData off"
        ),
    ),
    Rule(
        "app-user-needs-iam-authentication",
        "appUser",
        lambda c: c.app_user is not None and not c.iam_authentication,
        lambda c: (
            f"{v.setting('appUser')} is set but {v.setting('iamAuthentication')} is false: the application "
            "user signs in with IAM database authentication, so no password exists; turn iamAuthentication on"
        ),
    ),
    Rule(
        "restore-keeps-the-master-user",
        "masterUsername",
        lambda c: c.restore_from is not None and _is_set(c, "configured_master_username"),
        lambda c: (
            f"{v.setting('masterUsername')} is {v.show(c.configured_master_username)} but {v.setting('restoreFrom')} "
            "is set: a restored cluster keeps the snapshot's master user (RestoreDBClusterFromSnapshot has no "
            "MasterUsername); remove masterUsername from this stack"
        ),
    ),
    Rule(
        "password-version-needs-mode-global",
        "masterPasswordVersion",
        lambda c: _is_set(c, "master_password_version") and not c.is_global,
        lambda c: (
            f"{v.setting('masterPasswordVersion')} is set but {v.setting('disasterRecovery.mode')} is not global: "
            "outside a Global Database, Secrets Manager manages and rotates the master password; remove it"
        ),
    ),
    Check(
        "auto-pause-needs-engine-3.08",
        "serverless.minCapacity",
        lambda c: v.check_engine_supports_auto_pause(c.engine_version) if _min_capacity(c) == 0 else None,
    ),
    # What AWS refuses on a Global Database primary, reported before anything is declared.
    Rule(
        "global-refuses-backtrack",
        "disasterRecovery.mode",
        lambda c: c.is_global and (p := _provisioned(c)) is not None and p.backtrack_hours > 0,
        lambda c: (
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.backtrackHours')} "
            f"is {_present(_provisioned(c)).backtrack_hours:g}: AWS does not allow backtrack on a Global Database. "
            "Keep backtrack and use mode snapshot-copy (recovery from copied backups, minutes to hours "
            "of data loss), or set backtrackHours to 0 to get a global secondary (about a second of lag)"
        ),
    ),
    Rule(
        "global-refuses-advanced-insights",
        "disasterRecovery.mode",
        lambda c: c.is_global and (p := _provisioned(c)) is not None and p.insights == "advanced",
        lambda c: (
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.insights')} is 'advanced': "
            "for a Global Database member the AWS provider sends DatabaseInsightsMode when it creates the "
            "secondary but Performance Insights only in a later modify, and AWS needs both in one call for "
            "advanced; use insights standard, or mode snapshot-copy"
        ),
    ),
    Rule(
        "global-refuses-auto-pause",
        "disasterRecovery.mode",
        lambda c: c.is_global and _min_capacity(c) == 0,
        lambda c: (
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('serverless.minCapacity')} is 0: "
            "a Global Database primary never auto-pauses; raise minCapacity to 0.5 or use mode snapshot-copy"
        ),
    ),
    # Aurora User Guide, "Supported Regions and Aurora DB engines for Amazon RDS Proxy" (Amazon RDS
    # Proxy with Aurora MySQL): the table lists Aurora MySQL version 3 (3.01.0 and higher) and version 2,
    # not 8.4. Refused, with a major upgrade to 8.4 too, until AWS lists it (docs/rds-proxy.md).
    Rule(
        "proxy-needs-a-listed-engine",
        "provisioned.proxy",
        lambda c: c.capacity.proxy and engine_major(c.engine_version) not in PROXY_ENGINE_MAJORS,
        lambda c: (
            f"{v.setting('provisioned.proxy')} is true but {v.setting('engineVersion')} is {v.show(c.engine_version)}: "
            "RDS Proxy supports Aurora MySQL 2 and 3 (MySQL 5.7 and 8.0), not yet Aurora MySQL 8.4 (Aurora User Guide, "
            '"Supported Regions and Aurora DB engines for Amazon RDS Proxy"); keep an Aurora MySQL 3 version '
            "or turn the proxy off"
        ),
    ),
    # RDS encrypts a cluster only with a key of the cluster's own region.
    Check(
        "storage-key-in-the-cluster-region",
        "kmsKeyId",
        lambda c: None if c.kms_key_id is None else v.check_kms_key_region("kmsKeyId", c.kms_key_id, c.region),
    ),
    # Every name derived from the cluster name, against its AWS limit: one message with the tightest.
    Check("cluster-name-fits", "clusterName", lambda c: derived_names.cluster_name_problem(c.cluster_name, c)),
)
