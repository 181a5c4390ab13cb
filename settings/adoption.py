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
(`shared_cluster_args`, `AuroraCluster._cluster_args`): engine mode provisioned, encrypted storage,
the stack's master user and IAM authentication, a Secrets Manager password (outside a Global
Database), and its own security group and cluster parameter group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from awsfacts.replacement import REPLACING_PROPERTIES

from . import checks as v
from .deployed import DeployedCluster
from .loading import ConfigError
from .model import AdoptConfig, StackConfig

CLUSTER = "aws:rds/cluster:Cluster"
PROGRAM_SECURITY_GROUP = "the program's database security group"
PROGRAM_PARAMETER_GROUP = "the program's cluster parameter group"
PROMOTION_PATH = "restore it into this stack with aurora:restoreFrom.snapshotIdentifier (docs/promotion.md)"


@dataclass(frozen=True)
class Change:
    """An in-place update the first `up` makes to an adopted cluster, accepted by `name`."""

    name: str
    attribute: str
    """The `adopt.live` key (the provider's input of the same name)."""
    effect: str


# The contract's change names (settings/checks.py ADOPTION_CHANGES), each an attribute the provider
# updates in place by ModifyDBCluster (terraform-provider-aws internal/service/rds/cluster.go
# resourceClusterUpdate: manage_master_user_password, vpc_security_group_ids,
# iam_database_authentication_enabled, db_cluster_parameter_group_name; none is ForceNew).
CHANGES = (
    Change(
        "masterPasswordToSecretsManager",
        "manageMasterUserPassword",
        "RDS generates a new master password in Secrets Manager: clients using the old password stop working",
    ),
    Change(
        "securityGroups",
        "vpcSecurityGroupIds",
        "the cluster gets the program's own security group in place of these: clients admitted only by the "
        "old groups lose access (the old groups are left as they are)",
    ),
    Change(
        "iamAuthentication",
        "iamDatabaseAuthenticationEnabled",
        "IAM database authentication is switched to the stack's aurora:iamAuthentication (password sign-ins "
        "are unaffected; IAM-token sign-ins start or stop working)",
    ),
    Change(
        "parameterGroup",
        "dbClusterParameterGroupName",
        "the cluster uses the program's parameter group: TLS required (require_secure_transport=ON, plaintext "
        "clients are refused) and the engine logs of logExports; static parameters wait for a reboot",
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
    """The program's value of each attribute `adopt.live` records, for this stack."""
    return {
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
    }


def _live(adopt: AdoptConfig) -> dict[str, Any]:
    raw = adopt.live.model_dump(by_alias=True)
    return {key: list(value) if isinstance(value, tuple) else value for key, value in raw.items()}


def _shown(value: Any) -> str:
    """A value as the stack file has it (true, null), or the program's own resource by its role."""
    if value in (PROGRAM_SECURITY_GROUP, PROGRAM_PARAMETER_GROUP):
        return str(value)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return v.show(value)


def _difference(key: str, live: Any, program: Any) -> str:
    return f"{v.setting('adopt.live.' + key)} is {_shown(live)} but the program's is {_shown(program)}"


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
        f"{_difference(key, live[key], program[key])}: {key} forces a new cluster (ForceNew in terraform-provider-aws "
        f"rds/cluster.go), so the first up would import the cluster and then replace it, its data lost; {WAY_OUT[key]}"
        for key in live
        if key in replacing and live[key] != program[key]
    ]
    if live["globalClusterIdentifier"] is not None:
        found.append(
            f"{_difference('globalClusterIdentifier', live['globalClusterIdentifier'], None)}: the cluster is a member of "
            "a Global Database, which this program creates but cannot adopt; remove it from the global database first "
            "(aws rds remove-from-global-cluster) or leave it outside Pulumi"
        )
    if config.is_global:
        found.append(
            f"{v.setting('disasterRecovery.mode')} is 'global' with {v.setting('adopt')}: the first up would also give "
            "the cluster a generated master password and a new Global Database; adopt without disasterRecovery, then "
            "add it in a later up"
        )
    return found


def _differs(change: Change, live: dict[str, Any], program: dict[str, Any]) -> bool:
    return live[change.attribute] != program[change.attribute]


def unaccepted(config: StackConfig) -> list[str]:
    """The in-place changes of the first `up` that `adopt.acceptChanges` does not name, one line each."""
    adopt = config.adopt
    if adopt is None:
        return []
    live = _live(adopt)
    program = program_values(config, live)
    return [
        f"{_difference(change.attribute, live[change.attribute], program[change.attribute])}: the first up changes it "
        f"in place ({change.effect}); to go ahead, add {change.name} to {v.setting('adopt.acceptChanges')}"
        for change in CHANGES
        if _differs(change, live, program) and change.name not in adopt.accept_changes
    ]


def accepted(config: StackConfig) -> list[str]:
    """The in-place changes of the first `up` that the stack accepts, as warnings."""
    adopt = config.adopt
    if adopt is None:
        return []
    live = _live(adopt)
    program = program_values(config, live)
    return [
        f"adopting {adopt.cluster}: the first up changes {change.attribute} from {_shown(live[change.attribute])} to "
        f"{_shown(program[change.attribute])} ({change.name}, accepted): {change.effect}"
        for change in CHANGES
        if _differs(change, live, program) and change.name in adopt.accept_changes
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
