"""The stack's `aurora:*` configuration, declared once: like a Terraform module's `variables.tf`.

Each setting is one field: its type, its default, its rule (a pure function of `validation.py`),
its camelCase key (generated from the field name) and a one-line description, from which the
reference table in docs/configuration.md and schema/stack-config.schema.json are generated
(`python -m components.config_docs`). Rules that join several settings are model validators next
to the fields they join. Unknown keys are refused at every level. The validated, frozen models
are the settings components read: once every rule passes, the defaults that depend on the
capacity type or the stack are filled in (`StackConfig._fill_defaults`), next to the fields.
`config.load_settings` validates with the stack's project, stack and region as context and turns
pydantic's errors into the project's one-line messages.

A rule's message names the setting `HERE` until `config.py` replaces it with the setting's full
key (`aurora:serverless.minCapacity`): the same model serves `network` and `disasterRecovery`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from . import derived_names
from . import validation as v
from .settings import DEFAULT_ENGINE_VERSION, DEFAULT_INSTANCE_CLASS, WORKSHOP_LOG_EXPORTS

HERE = "\x00"
RULE_ERROR = "aurora"
# Several messages from one cross-field validator (pydantic lets a validator raise one error).
RULES_ERROR = "aurora_rules"
SERVERLESS_V1_ERROR = "serverless_v1"

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


def _rule(check: Callable[..., str | None], *args: Any, convert: Callable[[Any], Any] = lambda x: x) -> BeforeValidator:
    """Runs a `validation.py` rule on the value; its message keeps the value as the user wrote it."""

    def validate(value: Any) -> Any:
        converted = convert(value)
        if check(HERE, converted, *args) is None:
            return converted
        raise PydanticCustomError(
            RULE_ERROR, "{message}", {"message": check(HERE, value, *args) or check(HERE, converted, *args)}
        )

    return BeforeValidator(validate)


def _optional(check: Callable[..., str | None]) -> Callable[..., str | None]:
    return lambda name, value, *args: None if value is None else check(name, value, *args)


def _choice(allowed: tuple[Any, ...]) -> Any:
    return _rule(v.check_choice, allowed, convert=as_number if isinstance(allowed[0], int) else lambda x: x)


def _whole(low: int, high: int) -> Any:
    return _rule(v.check_int_range, low, high, convert=as_number)


def _fail(message: str, kind: str = RULE_ERROR) -> PydanticCustomError:
    return PydanticCustomError(kind, "{message}", {"message": message})


def _raise_all(messages: list[str]) -> None:
    if messages:
        raise PydanticCustomError(RULES_ERROR, "{messages}", {"messages": messages})


Flag = Annotated[bool, _rule(v.check_bool, convert=as_flag)]


def _private_cidrs(value: Any) -> Any:
    if isinstance(value, list):
        return value
    raise _fail(f"{v.setting(HERE)} is {v.show(value)}: expected a list of private CIDR ranges")


PrivateCidrs = Annotated[tuple[Annotated[str, _rule(v.check_private_cidr)], ...], BeforeValidator(_private_cidrs)]


def _setting(**kwargs: Any) -> Any:
    """A field; `shown_default` documents a default that depends on other settings."""
    shown = kwargs.pop("shown_default", None)
    if shown is not None:
        kwargs["json_schema_extra"] = {"x-default": shown}
    return Field(**kwargs)


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
        shown_default="300 when minCapacity is 0",
        description=f"Idle seconds before the writer pauses ({v.MIN_PAUSE_SECONDS} to {v.MAX_PAUSE_SECONDS}); only with minCapacity 0",
    )

    @property
    def seconds_until_auto_pause(self) -> int | None:
        """None when the writer never pauses (minCapacity above 0)."""
        if self.min_capacity != 0:
            return None
        return 300 if self.configured_seconds_until_auto_pause is None else self.configured_seconds_until_auto_pause

    @model_validator(mode="after")
    def _capacity_range(self) -> ServerlessConfig:
        problems = []
        if self.min_capacity > self.max_capacity:
            problems.append(
                f"{v.setting(HERE + '.minCapacity')} {self.min_capacity:g} is above "
                f"{v.setting(HERE + '.maxCapacity')} {self.max_capacity:g}: the minimum must not exceed the maximum"
            )
        if self.configured_seconds_until_auto_pause is not None and self.min_capacity != 0:
            problems.append(
                f"{v.setting(HERE + '.secondsUntilAutoPause')} is {self.configured_seconds_until_auto_pause!r} but minCapacity is "
                f"{self.min_capacity:g}: the writer pauses only when minCapacity is 0; remove it or set minCapacity to 0"
            )
        _raise_all(problems)
        return self


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
        default=False, description="An RDS Proxy (TLS and IAM authentication required), billed per vCPU; see docs/rds-proxy.md"
    )

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

    @model_validator(mode="after")
    def _exactly_one(self) -> RestoreFromConfig:
        if (self.stack is None) == (self.snapshot_identifier is None):
            shown = self.model_dump(by_alias=True, exclude_none=True)
            raise _fail(
                f"{v.setting(HERE)} is {v.show(shown)}: set exactly one of stack (organization/aurora/dev) or snapshotIdentifier"
            )
        return self


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

    @model_validator(mode="after")
    def _two_subnets_outside_the_default_vpc(self) -> _Placement:
        if self.vpc_id != "default" and len(self.subnet_ids) < 2:
            raise _fail(
                f"{v.setting(HERE + '.subnetIds')} is {v.show(list(self.subnet_ids))}: a VPC other than the default "
                "needs at least two subnets in different Availability Zones"
            )
        return self


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

    @model_validator(mode="after")
    def _region_and_mode(self, info: ValidationInfo) -> DisasterRecoveryConfig:
        problems = []
        if self.region == (info.context or {}).get("region"):
            problems.append(
                f"{v.setting(HERE + '.region')} is {v.show(self.region)}, the same as aws:region: disaster recovery needs a different region"
            )
        if not self.is_global:
            # The secondary cluster's placement means nothing for backup copies: say so, not ignore it.
            for key in ("vpcId", "subnetIds", "allowedCidrs", "instances"):
                if to_snake(key) in self.model_fields_set:
                    problems.append(
                        f"{v.setting(HERE + '.' + key)} is set but {v.setting(HERE + '.mode')} is {v.show(self.mode)}: "
                        "it places the secondary cluster of mode global; remove it or use mode global"
                    )
        _raise_all(problems)
        return self


def default_cluster_name(project: str, stack: str) -> str:
    """`<project>-<stack>`, lower-cased, as an RDS identifier (letters, digits, single hyphens).

    Cut at 63 characters, the cluster identifier's limit, and not at the shorter length the derived
    names of the stack allow (`derived_names.max_cluster_name_length`): that length depends on the
    settings (disasterRecovery snapshot-copy allows 42, a promotion 44, every stack 48), so a default
    cut to it would rename, and so replace, the cluster when such a setting is turned on, and would
    silently replace an existing stack's cluster whose name was longer. A default name that is too
    long is refused instead, by the same check as a configured one, which says the length to set.
    """
    cleaned = "".join(c if c.isalnum() else "-" for c in f"{project}-{stack}".lower())
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-")[:63].rstrip("-")


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
        description="Aurora MySQL 3 (8.0.mysql_aurora.3.xx.y) or 8.4; 5.6 and 5.7 are refused; scale to zero needs 3.08+; with restoreFrom.stack, the source's",
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
    def provisioned(self) -> ProvisionedConfig | None:
        """The provisioned section with its defaults when the stack is provisioned and leaves it out."""
        return None if self.is_serverless else (self.configured_provisioned or ProvisionedConfig())

    @property
    def client(self) -> str:
        return self.configured_client or ("ssm" if self.is_serverless else "none")

    @property
    def deletion_protection(self) -> bool:
        configured = self.configured_deletion_protection
        return not self.is_serverless if configured is None else configured

    @property
    def apply_immediately(self) -> bool:
        configured = self.configured_apply_immediately
        return self.is_serverless if configured is None else configured

    @property
    def log_exports(self) -> tuple[str, ...]:
        return self.configured_log_exports or (("error", "slowquery") if self.is_serverless else WORKSHOP_LOG_EXPORTS)

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
        return v.EXTENDED_SUPPORT_DISABLED if self.is_serverless else v.EXTENDED_SUPPORT_ENABLED

    @model_validator(mode="after")
    def _settings_fit_together(self, info: ValidationInfo) -> StackConfig:
        context = info.context or {}
        self._project, self._stack, self._region = (context.get(key, "") for key in ("project", "stack", "region"))
        _raise_all(self._shape_problems() + self._combination_problems() + self._kms_problems() + self._derived_name_problems())
        return self

    def _shape_problems(self) -> list[str]:
        """Settings that belong to the other capacity type."""
        problems = []
        if self.is_serverless and self.serverless is None:
            problems.append(
                f"{v.setting('serverless')} is required for capacityType serverless, for example "
                "{minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: 300}"
            )
        if not self.is_serverless and self.serverless is not None:
            problems.append(
                f"{v.setting('serverless')} is set but {v.setting('capacityType')} is not serverless: remove it, or set capacityType to serverless"
            )
        if self.is_serverless and self.configured_provisioned is not None:
            problems.append(
                f"{v.setting('provisioned')} is set but {v.setting('capacityType')} is not provisioned: remove it, or set capacityType to provisioned"
            )
        if self.is_serverless and self.restore_from is not None:
            problems.append(
                f"{v.setting('restoreFrom')} is set but {v.setting('capacityType')} is not provisioned: "
                "promotion through a snapshot creates the provisioned production cluster"
            )
        return problems

    def _combination_problems(self) -> list[str]:
        problems = []
        if "client_idle_stop_minutes" in self.model_fields_set and self.client != "ssm":
            problems.append(
                f"{v.setting('clientIdleStopMinutes')} is set but {v.setting('client')} is {v.show(self.client)}: "
                "it stops the client host, which only client ssm creates; remove it or set client to ssm"
            )
        problems.append(v.check_windows_do_not_overlap(self.backup_window, self.maintenance_window) or "")
        if self.sample_data and not self.data_api:
            problems.append(
                f"{v.setting('sampleData')} is true but {v.setting('dataApi')} is false: the sample data "
                "is loaded through the Data API; turn dataApi on or sampleData off"
            )
        if self.app_user is not None and not self.iam_authentication:
            problems.append(
                f"{v.setting('appUser')} is set but {v.setting('iamAuthentication')} is false: the application "
                "user signs in with IAM database authentication, so no password exists; turn iamAuthentication on"
            )
        if self.restore_from is not None and "configured_master_username" in self.model_fields_set:
            problems.append(
                f"{v.setting('masterUsername')} is {v.show(self.configured_master_username)} but {v.setting('restoreFrom')} is set: "
                "a restored cluster keeps the snapshot's master user (RestoreDBClusterFromSnapshot has no "
                "MasterUsername); remove masterUsername from this stack"
            )
        if "master_password_version" in self.model_fields_set and not self.is_global:
            problems.append(
                f"{v.setting('masterPasswordVersion')} is set but {v.setting('disasterRecovery.mode')} is not global: "
                "outside a Global Database, Secrets Manager manages and rotates the master password; remove it"
            )
        if self.serverless is not None and self.serverless.min_capacity == 0:
            problems.append(v.check_engine_supports_auto_pause(self.engine_version) or "")
        if self.is_global:
            problems += self._global_problems()
        return [p for p in problems if p]

    def _global_problems(self) -> list[str]:
        """What AWS refuses on a Global Database primary, reported before anything is declared."""
        problems = []
        provisioned, serverless = self.provisioned, self.serverless
        if provisioned is not None and provisioned.backtrack_hours > 0:
            problems.append(
                f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.backtrackHours')} "
                f"is {provisioned.backtrack_hours:g}: AWS does not allow backtrack on a Global Database. "
                "Keep backtrack and use mode snapshot-copy (recovery from copied backups, minutes to hours "
                "of data loss), or set backtrackHours to 0 to get a global secondary (about a second of lag)"
            )
        if provisioned is not None and provisioned.insights == "advanced":
            problems.append(
                f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.insights')} is 'advanced': "
                "for a Global Database member the AWS provider sends DatabaseInsightsMode when it creates the "
                "secondary but Performance Insights only in a later modify, and AWS needs both in one call for "
                "advanced; use insights standard, or mode snapshot-copy"
            )
        if serverless is not None and serverless.min_capacity == 0:
            problems.append(
                f"{v.setting('disasterRecovery.mode')} is global but {v.setting('serverless.minCapacity')} is 0: "
                "a Global Database primary never auto-pauses; raise minCapacity to 0.5 or use mode snapshot-copy"
            )
        return problems

    def _kms_problems(self) -> list[str]:
        """RDS encrypts a cluster only with a key of the cluster's own region."""
        problem = None if self.kms_key_id is None else v.check_kms_key_region("kmsKeyId", self.kms_key_id, self.region)
        return [problem] if problem else []

    def _derived_name_problems(self) -> list[str]:
        """Every name derived from the cluster name, against its AWS limit (`derived_names`)."""
        return derived_names.problems(self.cluster_name, self)
