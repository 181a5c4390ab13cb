"""The adoption guard: a cluster built outside this program (`aurora:adopt`) against what the program
would declare for it, judged before any resource is declared.

Pulumi imports a resource whose inputs differ from it and then plans the steps that reconcile the
difference (pulumi/pulumi #19335 "Import-then-update"; pulumi/docs #18198): on a replace-forcing
input that step is a replacement of the database, its data lost (pulumi/pulumi #5260;
terraform-aws-rds-aurora #390, #446). So each attribute `ops adopt` recorded (`adopt.live`,
DescribeDBClusters) is compared with the program's value of it:

- a difference on an attribute of the replace-forcing table (`awsfacts.replacement`), or a state
  the program cannot express (a Global Database member), is refused, one line each: the attribute,
  the live value, the program's value and the way out;
- a difference the provider updates in place is one of `CHANGES`: its effect is listed, and it is
  refused unless named in `adopt.acceptChanges`; an accepted one is a warning of the first `up`.

The program's values are those `components/aurora_cluster.py` sends for every cluster
(`shared_cluster_args`, `AuroraCluster._cluster_args`) and instance (`declare_instance`): engine mode
provisioned, encrypted storage, the stack's master user and IAM authentication, a Secrets Manager
password (outside a Global Database), its own security group and cluster parameter group, the
stack's log exports, insights and monitoring, its tags copied to snapshots, and private instances in
promotion order without automatic minor upgrades.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from awsfacts.limits import MAX_PROMOTION_TIER
from awsfacts.replacement import REPLACING_PROPERTIES

from . import checks as v
from .deployed import DeployedCluster
from .loading import ConfigError
from .model import AdoptConfig, StackConfig

CLUSTER = "aws:rds/cluster:Cluster"
PROGRAM_SECURITY_GROUP = "the program's database security group"
PROGRAM_PARAMETER_GROUP = "the program's cluster parameter group"
PROGRAM_MONITORING_ROLE = "the program's monitoring role"
PROMOTION_PATH = "restore it into this stack with aurora:restoreFrom.snapshotIdentifier (docs/promotion.md)"


@dataclass(frozen=True)
class Change:
    """An in-place update the first `up` makes to an adopted cluster, accepted by `name`."""

    name: str
    attributes: tuple[str, ...]
    """The `adopt.live` keys it covers, of the cluster or of each instance (the provider's inputs of the
    same names)."""
    effect: str


# The contract's change names (settings/checks.py ADOPTION_CHANGES). Each attribute is one the provider
# updates in place: of the cluster by ModifyDBCluster (terraform-provider-aws
# internal/service/rds/cluster.go resourceClusterUpdate: manage_master_user_password,
# vpc_security_group_ids, iam_database_authentication_enabled, db_cluster_parameter_group_name,
# copy_tags_to_snapshot, enabled_cloudwatch_logs_exports as CloudwatchLogsExportConfiguration,
# performance_insights_enabled, database_insights_mode; none ForceNew), of an instance by
# ModifyDBInstance (rds/cluster_instance.go resourceClusterInstanceUpdate: auto_minor_version_upgrade,
# copy_tags_to_snapshot, monitoring_interval, monitoring_role_arn, promotion_tier,
# publicly_accessible), and tags of both by AddTagsToResource/RemoveTagsFromResource (the provider's
# tagging of `tags`; keys starting aws: are AWS's and ignored). What the program also sends but never
# reaches AWS on an update needs no acceptance: skip_final_snapshot, final_snapshot_identifier,
# delete_automated_backups (read at deletion only), apply_immediately (how, not what), and
# allow_major_version_upgrade (sent with other changes, never alone: `HasChangesExcept`). Inputs the
# program leaves unset that are Optional+Computed (the cluster's monitoring_interval and
# auto_minor_version_upgrade, the instances' performance_insights_enabled) plan nothing.
CHANGES = (
    Change(
        "masterPasswordToSecretsManager",
        ("manageMasterUserPassword",),
        "RDS generates a new master password in Secrets Manager: clients using the old password stop working",
    ),
    Change(
        "securityGroups",
        ("vpcSecurityGroupIds",),
        "the cluster gets the program's own security group in place of these: clients admitted only by the "
        "old groups lose access (the old groups are left as they are)",
    ),
    Change(
        "iamAuthentication",
        ("iamDatabaseAuthenticationEnabled",),
        "IAM database authentication is switched to the stack's aurora:iamAuthentication (password sign-ins "
        "are unaffected; IAM-token sign-ins start or stop working)",
    ),
    Change(
        "parameterGroup",
        ("dbClusterParameterGroupName",),
        "the cluster uses the program's parameter group: TLS required (require_secure_transport=ON, plaintext "
        "clients are refused) and the engine logs of logExports; static parameters wait for a reboot",
    ),
    Change(
        "instanceSettings",
        ("promotionTier", "publiclyAccessible", "autoMinorVersionUpgrade"),
        "each instance is set as the program declares it: promotion tier 0 for the writer and 1, 2, ... for the "
        "readers in order (the order a failover promotes them in); not publicly accessible (clients outside the VPC "
        "lose access); automatic minor version upgrades off (AWS stops applying minor versions in the maintenance "
        "window: upgrades become aurora:engineVersion changes)",
    ),
    Change(
        "logExports",
        ("enabledCloudwatchLogsExports",),
        "the cluster exports exactly the log types of aurora:logExports to CloudWatch Logs, into groups the program "
        "creates with aurora:logRetentionDays (CloudWatch Logs ingestion and storage are billed); a type not listed "
        "stops being exported",
    ),
    Change(
        "insightsAndMonitoring",
        ("performanceInsightsEnabled", "databaseInsightsMode", "monitoringInterval", "monitoringRoleArn"),
        "Performance Insights, Database Insights and Enhanced Monitoring are switched as the shape says: switched on "
        "they are billed (Performance Insights past the free tier, Enhanced Monitoring's CloudWatch Logs), switched "
        "off their history stops; Enhanced Monitoring publishes through the program's monitoring role",
    ),
    Change(
        "tags",
        ("tags", "copyTagsToSnapshot"),
        "the cluster and each instance carry exactly the program's tags (Project, Stack, ManagedBy and aurora:tags): "
        "a tag not among them is removed, so cost allocation or access policies keyed on it change; snapshots copy "
        "the tags (copyTagsToSnapshot)",
    ),
)

# The way out of each replace-forcing difference `adopt.live` can hold.
WAY_OUT = {
    "engineMode": (
        "Aurora Serverless v1 reached end of life; snapshot the cluster and " + PROMOTION_PATH + " as a provisioned cluster"
    ),
    "storageEncrypted": (
        "encryption cannot be switched on in place: snapshot the cluster, copy the snapshot encrypted with a KMS key "
        "(aws rds copy-db-cluster-snapshot --kms-key-id), and " + PROMOTION_PATH
    ),
    "kmsKeyId": (
        "set aurora:kmsKeyId to the live key (or remove it); another key means a snapshot copied with that key, "
        "then " + PROMOTION_PATH
    ),
    "masterUsername": "set aurora:masterUsername to the live user",
}


def program_values(config: StackConfig, live: dict[str, Any]) -> dict[str, Any]:
    """The program's value of each attribute `adopt.live` records (`flat`), for this stack: what
    `components/aurora_cluster.py` sends (`shared_cluster_args`, `AuroraCluster._cluster_args`,
    `declare_instance`), or the live value where it sends nothing (an Optional+Computed input)."""
    shape, tags = config.shape, config.resource_tags
    exports = sorted(config.log_exports)
    program: dict[str, Any] = {
        "engineMode": "provisioned",
        "storageEncrypted": True,
        # Unset, the live key is sent as it is (the AWS managed aws/rds key has no setting).
        "kmsKeyId": config.kms_key_id or live["kmsKeyId"],
        "masterUsername": config.master_username,
        # A Global Database primary gets a generated password instead (refused below with adopt).
        "manageMasterUserPassword": True,
        "iamDatabaseAuthenticationEnabled": config.iam_authentication,
        "vpcSecurityGroupIds": PROGRAM_SECURITY_GROUP,
        "dbClusterParameterGroupName": PROGRAM_PARAMETER_GROUP,
        "globalClusterIdentifier": None,
        "copyTagsToSnapshot": True,
        "tags": tags,
        # A set to the provider: the order AWS reports is no change.
        "enabledCloudwatchLogsExports": live["enabledCloudwatchLogsExports"]
        if sorted(live["enabledCloudwatchLogsExports"]) == exports
        else exports,
        # performance_insights_enabled is Optional, not Computed (rds/cluster.go): unset is off.
        "performanceInsightsEnabled": shape.insights is not None,
        # database_insights_mode is Optional+Computed: unset keeps the live mode.
        "databaseInsightsMode": shape.insights if shape.insights is not None else live["databaseInsightsMode"],
    }
    for number in range(len(live["instances"])):
        at = f"instances[{number}]."
        program |= {
            at + "promotionTier": min(number, MAX_PROMOTION_TIER),
            at + "publiclyAccessible": False,
            at + "autoMinorVersionUpgrade": False,
            at + "copyTagsToSnapshot": True,
            at + "monitoringInterval": shape.monitoring_interval,
            # monitoring_role_arn is Optional+Computed (rds/cluster_instance.go): sent only with monitoring on.
            at + "monitoringRoleArn": PROGRAM_MONITORING_ROLE if shape.monitoring_interval else live[at + "monitoringRoleArn"],
            at + "tags": tags,
        }
    return program


def _live(adopt: AdoptConfig) -> dict[str, Any]:
    """`adopt.live` as one map: the cluster's keys, then each instance's as `instances[N].key`."""
    raw = adopt.live.model_dump(by_alias=True)
    instances = raw.pop("instances")
    flat = {key: list(value) if isinstance(value, tuple) else value for key, value in raw.items()}
    flat["instances"] = instances
    for number, instance in enumerate(instances):
        flat |= {f"instances[{number}].{key}": value for key, value in instance.items() if key != "identifier"}
    return flat


def _shown(value: Any) -> str:
    """A value as the stack file has it (true, null), or the program's own resource by its role."""
    if value in (PROGRAM_SECURITY_GROUP, PROGRAM_PARAMETER_GROUP, PROGRAM_MONITORING_ROLE):
        return str(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return v.show(value)


def _named(key: str, live: dict[str, Any]) -> str:
    """A live attribute's key, an instance's with the instance's identifier."""
    if not key.startswith("instances["):
        return key
    number = int(key[len("instances[") : key.index("]")])
    return f"{key} ({live['instances'][number]['identifier']})"


def _difference(key: str, live: dict[str, Any], program: dict[str, Any]) -> str:
    return f"{v.setting('adopt.live.' + _named(key, live))} is {_shown(live[key])} but the program's is {_shown(program[key])}"


def _attribute(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def refusals(config: StackConfig) -> list[str]:
    """Why the cluster cannot be adopted as the settings stand: replace-forcing differences and what
    the program cannot express, one line each."""
    adopt = config.adopt
    if adopt is None:
        return []
    live = _live(adopt)
    program = program_values(config, live)
    replacing = REPLACING_PROPERTIES[CLUSTER]
    found = [
        f"{_difference(key, live, program)}: {key} forces a new cluster (ForceNew in terraform-provider-aws "
        f"rds/cluster.go), so the first up would import the cluster and then replace it, its data lost; {WAY_OUT[key]}"
        for key in live
        if key in replacing and live[key] != program[key]
    ]
    if live["globalClusterIdentifier"] is not None:
        found.append(
            f"{_difference('globalClusterIdentifier', live, program)}: the cluster is a member of "
            "a Global Database, which this program creates but cannot adopt; remove it from the global database first "
            "(aws rds remove-from-global-cluster) or leave it outside Pulumi"
        )
    recorded = [instance["identifier"] for instance in live["instances"]]
    imported_names = [instance.identifier for instance in adopt.instances]
    if recorded != imported_names:
        found.append(
            f"{v.setting('adopt.live.instances')} records {v.show(recorded)} but {v.setting('adopt.instances')} imports "
            f"{v.show(imported_names)}: the guard compares each imported instance with its live record; run ops adopt "
            "again to write both"
        )
    if config.is_global:
        found.append(
            f"{v.setting('disasterRecovery.mode')} is 'global' with {v.setting('adopt')}: the first up would also give "
            "the cluster a generated master password and a new Global Database; adopt without disasterRecovery, then "
            "add it in a later up"
        )
    return found


def _differing(change: Change, live: dict[str, Any], program: dict[str, Any]) -> list[str]:
    """The live keys of `change` whose program value differs, the cluster's first, then by instance."""
    return [key for key in program if _attribute(key) in change.attributes and live[key] != program[key]]


def _changes_made(config: StackConfig) -> list[tuple[Change, list[str], dict[str, Any], dict[str, Any]]]:
    """Each in-place change the first `up` makes to the adopted cluster, with the live keys that differ
    and both sides' values."""
    if config.adopt is None:
        return []
    live = _live(config.adopt)
    program = program_values(config, live)
    made = [(change, _differing(change, live, program)) for change in CHANGES]
    return [(change, keys, live, program) for change, keys in made if keys]


def unaccepted(config: StackConfig) -> list[str]:
    """The in-place changes of the first `up` that `adopt.acceptChanges` does not name, one line each."""
    accepting = config.adopt.accept_changes if config.adopt else ()
    return [
        f"{', '.join(_difference(key, live, program) for key in keys)}: the first up changes "
        f"{'it' if len(keys) == 1 else 'them'} in place ({change.effect}); to go ahead, add {change.name} to "
        f"{v.setting('adopt.acceptChanges')}"
        for change, keys, live, program in _changes_made(config)
        if change.name not in accepting
    ]


def accepted(config: StackConfig) -> list[str]:
    """The in-place changes of the first `up` that the stack accepts, as warnings."""
    if config.adopt is None:
        return []
    cluster, accepting = config.adopt.cluster, config.adopt.accept_changes
    return [
        f"adopting {cluster}: the first up changes "
        f"{', '.join(f'{_named(key, live)} from {_shown(live[key])} to {_shown(program[key])}' for key in keys)} "
        f"({change.name}, accepted): {change.effect}"
        for change, keys, live, program in _changes_made(config)
        if change.name in accepting
    ]


def check_adoption(config: StackConfig) -> None:
    """Refuse, before anything is declared, an adoption that would replace the cluster or change it
    in place unaccepted; warn of each accepted change."""
    problems = refusals(config) + unaccepted(config)
    if problems:
        raise ConfigError(problems)
    for warning in accepted(config):
        pulumi.log.warn(warning)


def renamed_instances(config: StackConfig, deployed: DeployedCluster | None) -> list[str]:
    """An instance of the cluster with a name the program does not give (`instanceIdentifiers`, else
    derived), while an instance the program declares is missing: the program would rename that
    instance, and the identifier is ForceNew (rds/cluster_instance.go), so a replacement. An extra
    instance added by hand, beside all the declared ones, is left alone as before."""
    if deployed is None:
        return []
    declared = list(config.instance_names)
    running = [instance.identifier for instance in deployed.instances]
    missing = [identifier for identifier in declared if identifier not in running]
    unknown = [identifier for identifier in running if identifier not in declared]
    if not (missing and unknown):
        return []
    return [
        f"the cluster's instances {v.show(unknown)} have names the stack does not declare ({v.show(declared)}): they "
        f"would be renamed, which replaces them; set {v.setting('instanceIdentifiers')} to their names, the writer "
        "first (docs/adopt.md)"
    ]


def check_instance_names(config: StackConfig, deployed: DeployedCluster | None) -> None:
    """Refuse, before anything is declared, the renaming `renamed_instances` finds."""
    problems = renamed_instances(config, deployed)
    if problems:
        raise ConfigError(problems)
