"""Reads the stack's `aurora:*` configuration and turns it into validated `StackSettings`.

`read_stack_config` is the only function here that touches Pulumi; `load_settings` is pure, so
every rule and default can be tested without the engine. All problems are reported together,
before any resource is declared.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Mapping
from typing import Any

from . import validation as v
from .settings import (
    DEFAULT_ENGINE_VERSION,
    DEFAULT_INSTANCE_CLASS,
    WORKSHOP_LOG_EXPORTS,
    AppUserSettings,
    DisasterRecoverySettings,
    NetworkSettings,
    ProvisionedSettings,
    RestoreSource,
    ServerlessSettings,
    StackSettings,
    instance_identifier,
    proxy_reader_endpoint_name,
    secondary_cluster_identifier,
)

NAMESPACE = "aurora"

# Every key the program reads, with the JSON shape it expects. A key not listed here is a typo.
KEY_KINDS: dict[str, type] = {
    "capacityType": str,
    "clusterName": str,
    "engineVersion": str,
    "masterUsername": str,
    "masterPasswordVersion": int,
    "serverless": dict,
    "provisioned": dict,
    "restoreFrom": dict,
    "dataApi": bool,
    "iamAuthentication": bool,
    "network": dict,
    "client": str,
    "backupRetentionDays": int,
    "backupWindow": str,
    "maintenanceWindow": str,
    "deletionProtection": bool,
    "applyImmediately": bool,
    "logExports": list,
    "logRetentionDays": int,
    "kmsKeyId": str,
    "sampleData": bool,
    "dropSampleDataOnDelete": bool,
    "appUser": dict,
    "alarmEmail": str,
    "clientIdleStopMinutes": int,
    "disasterRecovery": dict,
    "tags": dict,
}

SUB_KEYS: dict[str, tuple[str, ...]] = {
    "serverless": ("minCapacity", "maxCapacity", "secondsUntilAutoPause"),
    "provisioned": ("instanceClass", "readers", "backtrackHours", "monitoringInterval", "insights", "proxy"),
    "restoreFrom": ("stack", "snapshotIdentifier"),
    "network": ("vpcId", "subnetIds", "allowedSecurityGroupIds", "allowedCidrs", "clientSubnetId"),
    "appUser": ("name", "endpoint"),
    "disasterRecovery": ("region", "mode", "retentionDays", "vpcId", "subnetIds", "allowedCidrs", "instances"),
}


class ConfigError(Exception):
    """The stack's configuration is invalid; `problems` lists every message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("the stack configuration is invalid; nothing was created or changed:\n  - " + "\n  - ".join(problems))


def read_stack_config() -> tuple[dict[str, Any], str]:
    """The raw `aurora:*` values (JSON-decoded where the key expects JSON) and the AWS region."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    config = pulumi.Config(NAMESPACE)
    present = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
    raw: dict[str, Any] = {}
    for full_key in sorted(k for k in present if k.startswith(f"{NAMESPACE}:")):
        key = full_key.split(":", 1)[1]
        text = config.get(key)
        if text is None:
            continue
        raw[key] = text if KEY_KINDS.get(key) is str else _decode(text)
    region = pulumi.Config("aws").get("region") or ""
    return raw, region


def _decode(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str | None) -> bool:
        """Record a message if there is one; True when the value was fine."""
        if message:
            self.messages.append(message)
            return False
        return True


def _default_cluster_name(project: str, stack: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in f"{project}-{stack}".lower())
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-")[:63].rstrip("-")


def _check_sub_keys(problems: _Problems, key: str, value: Any) -> dict:
    if not isinstance(value, dict):
        problems.add(f"{v.setting(key)} is {v.show(value)}: expected an object with keys {', '.join(SUB_KEYS[key])}")
        return {}
    for sub_key in value:
        if sub_key not in SUB_KEYS[key]:
            problems.add(f"{v.setting(key)}.{sub_key} is not a known setting: allowed keys are {', '.join(SUB_KEYS[key])}")
    return value


def load_settings(raw: Mapping[str, Any], project: str, stack: str, region: str) -> StackSettings:
    """Validate raw configuration and resolve every default. Raises ConfigError listing all problems."""
    problems = _Problems()
    for key in raw:
        if key not in KEY_KINDS:
            close = difflib.get_close_matches(key, KEY_KINDS, n=1)
            hint = f"; did you mean {v.setting(close[0])}?" if close else ""
            problems.add(f"{v.setting(key)} is not a known setting{hint}")

    def get(key: str, default: Any, check: Callable[[str, Any], str | None]) -> Any:
        value = raw.get(key, default)
        return value if problems.add(check(key, value)) else default

    capacity_type = raw.get("capacityType")
    if capacity_type is None:
        problems.add(f"{v.setting('capacityType')} is required: set it to serverless or provisioned")
    else:
        problems.add(v.check_choice("capacityType", capacity_type, v.CAPACITY_TYPES))
    is_serverless = capacity_type == "serverless"
    is_provisioned = capacity_type == "provisioned"

    cluster_name = get("clusterName", _default_cluster_name(project, stack), v.check_identifier)
    engine_version = get("engineVersion", DEFAULT_ENGINE_VERSION, v.check_engine_version)
    master_username = get("masterUsername", "admin", v.check_mysql_user)
    master_password_version = get("masterPasswordVersion", 1, lambda k, x: v.check_int_range(k, x, 1, v.MAX_PASSWORD_VERSION))
    data_api = get("dataApi", True, v.check_bool)
    iam_authentication = get("iamAuthentication", True, v.check_bool)
    client = get("client", "ssm" if is_serverless else "none", lambda k, x: v.check_choice(k, x, v.CLIENT_KINDS))
    client_idle_stop_minutes = get("clientIdleStopMinutes", 30, v.check_idle_stop_minutes)
    if "clientIdleStopMinutes" in raw and client != "ssm":
        problems.add(
            f"{v.setting('clientIdleStopMinutes')} is set but {v.setting('client')} is {v.show(client)}: "
            "it stops the client host, which only client ssm creates; remove it or set client to ssm"
        )
    backup_retention_days = get("backupRetentionDays", 7, lambda k, x: v.check_int_range(k, x, 1, 35))
    backup_window = raw.get("backupWindow", "03:00-04:00")
    maintenance_window = raw.get("maintenanceWindow", "sun:05:00-sun:06:00")
    backup_window_ok = problems.add(v.check_backup_window("backupWindow", backup_window))
    maintenance_window_ok = problems.add(v.check_maintenance_window("maintenanceWindow", maintenance_window))
    if backup_window_ok and maintenance_window_ok:
        problems.add(v.check_windows_do_not_overlap(backup_window, maintenance_window))
    deletion_protection = get("deletionProtection", is_provisioned, v.check_bool)
    apply_immediately = get("applyImmediately", is_serverless, v.check_bool)
    log_exports = tuple(
        get("logExports", list(WORKSHOP_LOG_EXPORTS if is_provisioned else ("error", "slowquery")), v.check_log_exports)
    )
    log_retention_days = get("logRetentionDays", 30, lambda k, x: v.check_choice(k, x, v.LOG_RETENTION_DAYS))
    kms_key_id = get("kmsKeyId", None, lambda k, x: None if x is None else v.check_kms_key(k, x))
    tags = get("tags", {}, v.check_tags)
    alarm_email = get("alarmEmail", None, lambda k, x: None if x is None else v.check_email(k, x))

    serverless = _serverless_settings(problems, raw, is_serverless, engine_version)
    provisioned = _provisioned_settings(problems, raw, is_provisioned)
    restore_from = _restore_source(problems, raw, is_provisioned)
    network = _network_settings(problems, raw)

    sample_data = get("sampleData", False, v.check_bool)
    if sample_data is True and data_api is False:
        problems.add(
            f"{v.setting('sampleData')} is true but {v.setting('dataApi')} is false: the sample data "
            "is loaded through the Data API; turn dataApi on or sampleData off"
        )
    drop_sample_data_on_delete = get("dropSampleDataOnDelete", False, v.check_bool)
    app_user = _app_user_settings(problems, raw, iam_authentication)

    disaster_recovery = _disaster_recovery_settings(problems, raw, region, provisioned, serverless)
    if restore_from is not None and "masterUsername" in raw:
        problems.add(
            f"{v.setting('masterUsername')} is {v.show(raw['masterUsername'])} but {v.setting('restoreFrom')} is set: "
            "a restored cluster keeps the snapshot's master user (RestoreDBClusterFromSnapshot has no "
            "MasterUsername); remove masterUsername from this stack"
        )
    if "masterPasswordVersion" in raw and not (disaster_recovery is not None and disaster_recovery.is_global):
        problems.add(
            f"{v.setting('masterPasswordVersion')} is set but {v.setting('disasterRecovery.mode')} is not global: "
            "outside a Global Database, Secrets Manager manages and rotates the master password; remove it"
        )
    _check_derived_identifiers(problems, cluster_name, provisioned, disaster_recovery)

    if problems.messages:
        raise ConfigError(problems.messages)
    return StackSettings(
        project=project,
        stack=stack,
        region=region,
        capacity_type=str(capacity_type),
        cluster_name=cluster_name,
        engine_version=engine_version,
        master_username=None if restore_from is not None else master_username,
        serverless=serverless,
        provisioned=provisioned,
        restore_from=restore_from,
        data_api=data_api,
        iam_authentication=iam_authentication,
        network=network,
        client=client,
        backup_retention_days=backup_retention_days,
        backup_window=backup_window,
        maintenance_window=maintenance_window,
        deletion_protection=deletion_protection,
        apply_immediately=apply_immediately,
        log_exports=log_exports,
        log_retention_days=log_retention_days,
        kms_key_id=kms_key_id,
        sample_data=sample_data,
        drop_sample_data_on_delete=drop_sample_data_on_delete,
        app_user=app_user,
        alarm_email=alarm_email,
        disaster_recovery=disaster_recovery,
        tags=dict(tags),
        master_password_version=master_password_version,
        client_idle_stop_minutes=client_idle_stop_minutes,
    )


def _serverless_settings(
    problems: _Problems, raw: Mapping[str, Any], is_serverless: bool, engine_version: str
) -> ServerlessSettings | None:
    if not is_serverless:
        if "serverless" in raw:
            problems.add(
                f"{v.setting('serverless')} is set but {v.setting('capacityType')} is not serverless: "
                "remove it, or set capacityType to serverless"
            )
        return None
    if "serverless" not in raw:
        problems.add(
            f"{v.setting('serverless')} is required for capacityType serverless, for example "
            "{minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: 300}"
        )
        return None
    value = _check_sub_keys(problems, "serverless", raw["serverless"])
    min_capacity = value.get("minCapacity", 0)
    max_capacity = value.get("maxCapacity", 4)
    ok = problems.add(v.check_capacity("serverless.minCapacity", min_capacity, 0))
    # AWS's smallest maximum is 1 ACU.
    ok = problems.add(v.check_capacity("serverless.maxCapacity", max_capacity, 1)) and ok
    if ok and min_capacity > max_capacity:
        problems.add(
            f"{v.setting('serverless.minCapacity')} {min_capacity:g} is above "
            f"{v.setting('serverless.maxCapacity')} {max_capacity:g}: the minimum must not exceed the maximum"
        )
    pause = value.get("secondsUntilAutoPause", 300 if min_capacity == 0 else None)
    if pause is not None:
        if min_capacity != 0:
            problems.add(
                f"{v.setting('serverless.secondsUntilAutoPause')} is {pause!r} but minCapacity is "
                f"{min_capacity!r}: the writer pauses only when minCapacity is 0; remove it or set minCapacity to 0"
            )
        else:
            problems.add(v.check_int_range("serverless.secondsUntilAutoPause", pause, v.MIN_PAUSE_SECONDS, v.MAX_PAUSE_SECONDS))
    if min_capacity == 0:
        problems.add(v.check_engine_supports_auto_pause(engine_version))
    return ServerlessSettings(min_capacity, max_capacity, pause if min_capacity == 0 else None)


def _provisioned_settings(problems: _Problems, raw: Mapping[str, Any], is_provisioned: bool) -> ProvisionedSettings | None:
    if not is_provisioned:
        if "provisioned" in raw:
            problems.add(
                f"{v.setting('provisioned')} is set but {v.setting('capacityType')} is not provisioned: "
                "remove it, or set capacityType to provisioned"
            )
        return None
    value = _check_sub_keys(problems, "provisioned", raw.get("provisioned", {}))
    settings = ProvisionedSettings(
        instance_class=value.get("instanceClass", DEFAULT_INSTANCE_CLASS),
        readers=value.get("readers", 1),
        backtrack_hours=value.get("backtrackHours", 24),
        monitoring_interval=value.get("monitoringInterval", 60),
        insights=value.get("insights", "standard"),
        proxy=value.get("proxy", False),
    )
    problems.add(v.check_instance_class("provisioned.instanceClass", settings.instance_class))
    problems.add(v.check_int_range("provisioned.readers", settings.readers, 0, v.MAX_READERS))
    problems.add(v.check_backtrack_hours("provisioned.backtrackHours", settings.backtrack_hours))
    problems.add(v.check_choice("provisioned.monitoringInterval", settings.monitoring_interval, v.MONITORING_INTERVALS))
    problems.add(v.check_choice("provisioned.insights", settings.insights, v.INSIGHTS_MODES))
    problems.add(v.check_bool("provisioned.proxy", settings.proxy))
    return settings


def _restore_source(problems: _Problems, raw: Mapping[str, Any], is_provisioned: bool) -> RestoreSource | None:
    if "restoreFrom" not in raw:
        return None
    if not is_provisioned:
        problems.add(
            f"{v.setting('restoreFrom')} is set but {v.setting('capacityType')} is not provisioned: "
            "promotion through a snapshot creates the provisioned production cluster"
        )
        return None
    value = _check_sub_keys(problems, "restoreFrom", raw["restoreFrom"])
    stack, snapshot = value.get("stack"), value.get("snapshotIdentifier")
    if (stack is None) == (snapshot is None):
        problems.add(
            f"{v.setting('restoreFrom')} is {v.show(value)}: set exactly one of stack "
            "(organization/aurora/dev) or snapshotIdentifier"
        )
        return None
    if stack is not None:
        problems.add(v.check_stack_reference("restoreFrom.stack", stack))
    else:
        problems.add(v.check_snapshot_identifier("restoreFrom.snapshotIdentifier", snapshot))
    return RestoreSource(stack=stack, snapshot_identifier=snapshot)


def _network_settings(problems: _Problems, raw: Mapping[str, Any]) -> NetworkSettings:
    value = _check_sub_keys(problems, "network", raw.get("network", {}))
    vpc_id, subnet_ids, cidrs = _vpc_placement(problems, "network", value)
    security_groups = value.get("allowedSecurityGroupIds", [])
    client_subnet = value.get("clientSubnetId")
    problems.add(v.check_ids("network.allowedSecurityGroupIds", security_groups, "sg"))
    if client_subnet is not None:
        problems.add(v.check_ids("network.clientSubnetId", [client_subnet], "subnet"))
    return NetworkSettings(
        vpc_id=vpc_id,
        subnet_ids=subnet_ids,
        allowed_security_group_ids=tuple(security_groups) if isinstance(security_groups, list) else (),
        allowed_cidrs=cidrs,
        client_subnet_id=client_subnet,
    )


def _vpc_placement(problems: _Problems, prefix: str, value: Mapping[str, Any]) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """`vpcId`, `subnetIds` and `allowedCidrs` under `prefix`: where a cluster lives and who reaches it."""
    vpc_id = value.get("vpcId", "default")
    subnet_ids = value.get("subnetIds", [])
    cidrs = value.get("allowedCidrs", [])
    problems.add(v.check_vpc_id(f"{prefix}.vpcId", vpc_id))
    subnets_ok = problems.add(v.check_ids(f"{prefix}.subnetIds", subnet_ids, "subnet"))
    if subnets_ok and vpc_id != "default" and len(subnet_ids) < 2:
        problems.add(
            f"{v.setting(prefix + '.subnetIds')} is {v.show(subnet_ids)}: a VPC other than the default "
            "needs at least two subnets in different Availability Zones"
        )
    if not isinstance(cidrs, list):
        problems.add(f"{v.setting(prefix + '.allowedCidrs')} is {v.show(cidrs)}: expected a list of private CIDR ranges")
        cidrs = []
    for cidr in cidrs:
        problems.add(v.check_private_cidr(f"{prefix}.allowedCidrs", cidr))
    return vpc_id, tuple(subnet_ids) if isinstance(subnet_ids, list) else (), tuple(cidrs)


def _app_user_settings(problems: _Problems, raw: Mapping[str, Any], iam_authentication: bool) -> AppUserSettings | None:
    if "appUser" not in raw:
        return None
    value = _check_sub_keys(problems, "appUser", raw["appUser"])
    name, endpoint = value.get("name", "app"), value.get("endpoint")
    problems.add(v.check_mysql_user("appUser.name", name))
    if endpoint is None:
        problems.add(
            f"{v.setting('appUser.endpoint')} is required: the host:port the MySQL provider reaches, "
            "for example 127.0.0.1:3307 forwarded through the client host (see docs/connecting.md)"
        )
    else:
        problems.add(v.check_endpoint("appUser.endpoint", endpoint))
    if iam_authentication is False:
        problems.add(
            f"{v.setting('appUser')} is set but {v.setting('iamAuthentication')} is false: the application "
            "user signs in with IAM database authentication, so no password exists; turn iamAuthentication on"
        )
    return AppUserSettings(name=name, endpoint=str(endpoint))


def _disaster_recovery_settings(
    problems: _Problems,
    raw: Mapping[str, Any],
    region: str,
    provisioned: ProvisionedSettings | None,
    serverless: ServerlessSettings | None,
) -> DisasterRecoverySettings | None:
    if "disasterRecovery" not in raw:
        return None
    value = _check_sub_keys(problems, "disasterRecovery", raw["disasterRecovery"])
    mode = value.get("mode", "snapshot-copy")
    vpc_id, subnet_ids, cidrs = _vpc_placement(problems, "disasterRecovery", value)
    settings = DisasterRecoverySettings(
        region=str(value.get("region", "")),
        mode=mode,
        retention_days=value.get("retentionDays", 7),
        vpc_id=vpc_id,
        subnet_ids=subnet_ids,
        allowed_cidrs=cidrs,
        instances=value.get("instances", 1),
    )
    if "region" not in value:
        problems.add(
            f"{v.setting('disasterRecovery.region')} is required: the region that receives the copies, such as us-west-2"
        )
    elif settings.region not in v.AWS_REGIONS:
        problems.add(
            f"{v.setting('disasterRecovery.region')} is {v.show(value['region'])}: expected an AWS region "
            "where Aurora runs, such as us-west-2"
        )
    elif settings.region == region:
        problems.add(
            f"{v.setting('disasterRecovery.region')} is {v.show(settings.region)}, the same as aws:region: "
            "disaster recovery needs a different region"
        )
    problems.add(v.check_choice("disasterRecovery.mode", settings.mode, v.DR_MODES))
    problems.add(v.check_int_range("disasterRecovery.retentionDays", settings.retention_days, 1, 35))
    problems.add(v.check_int_range("disasterRecovery.instances", settings.instances, 1, v.MAX_READERS + 1))
    if settings.is_global:
        _check_global_combinations(problems, provisioned, serverless)
    else:
        # The secondary cluster's placement means nothing for backup copies: say so, not ignore it.
        for key in ("vpcId", "subnetIds", "allowedCidrs", "instances"):
            if key in value:
                problems.add(
                    f"{v.setting('disasterRecovery.' + key)} is set but {v.setting('disasterRecovery.mode')} is "
                    f"{v.show(mode)}: it places the secondary cluster of mode global; remove it or use mode global"
                )
    return settings


def _check_derived_identifiers(
    problems: _Problems,
    cluster_name: str,
    provisioned: ProvisionedSettings | None,
    disaster_recovery: DisasterRecoverySettings | None,
) -> None:
    """Instance identifiers derive from the cluster name; RDS caps every identifier at 63 characters."""
    instances = 1 + (provisioned.readers if provisioned and isinstance(provisioned.readers, int) else 0)
    longest = [("instance identifier", instance_identifier(cluster_name, instances))]
    if disaster_recovery is not None and disaster_recovery.is_global and isinstance(disaster_recovery.instances, int):
        secondary = secondary_cluster_identifier(cluster_name, str(disaster_recovery.region))
        longest.append(("instance identifier", instance_identifier(secondary, disaster_recovery.instances)))
    if provisioned is not None and provisioned.proxy is True:
        # DBProxyName and DBProxyEndpointName are at most 63 characters (botocore rds model, CreateDBProxy).
        longest.append(("proxy endpoint name", proxy_reader_endpoint_name(cluster_name)))
    for kind, identifier in longest:
        if len(identifier) > v.MAX_IDENTIFIER_LENGTH:
            problems.add(
                f"{v.setting('clusterName')} is {v.show(cluster_name)}: the {kind} {identifier!r} "
                f"derived from it is {len(identifier)} characters, over the {v.MAX_IDENTIFIER_LENGTH} RDS allows; "
                "choose a shorter clusterName"
            )


def _check_global_combinations(
    problems: _Problems, provisioned: ProvisionedSettings | None, serverless: ServerlessSettings | None
) -> None:
    """What AWS refuses on a Global Database primary, reported before anything is declared."""
    if provisioned is not None and provisioned.backtrack_hours > 0:
        problems.add(
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.backtrackHours')} "
            f"is {provisioned.backtrack_hours:g}: AWS does not allow backtrack on a Global Database. "
            "Keep backtrack and use mode snapshot-copy (recovery from copied backups, minutes to hours "
            "of data loss), or set backtrackHours to 0 to get a global secondary (about a second of lag)"
        )
    if provisioned is not None and provisioned.insights == "advanced":
        problems.add(
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('provisioned.insights')} is 'advanced': "
            "for a Global Database member the AWS provider sends DatabaseInsightsMode when it creates the "
            "secondary but Performance Insights only in a later modify, and AWS needs both in one call for "
            "advanced; use insights standard, or mode snapshot-copy"
        )
    if serverless is not None and serverless.min_capacity == 0:
        problems.add(
            f"{v.setting('disasterRecovery.mode')} is global but {v.setting('serverless.minCapacity')} is 0: "
            "a Global Database primary never auto-pauses; raise minCapacity to 0.5 or use mode snapshot-copy"
        )


def load_stack_settings() -> StackSettings:
    """Settings of the stack Pulumi is running, validated before any resource is declared."""
    import pulumi

    raw, region = read_stack_config()
    return load_settings(raw, pulumi.get_project(), pulumi.get_stack(), region)
