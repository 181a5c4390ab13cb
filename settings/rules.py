"""The rules that join settings: a table of named rules, each a condition and its message, run
once by `loading.load_settings` over a model whose every field is valid (the way CDK's
`validate-database-cluster-props.ts` reads). A value on its own is judged by its field's type and
check (`model`, `checks`); here, only what several settings say together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from pydantic import BaseModel

from awsfacts.engine_versions import engine_major
from awsfacts.limits import DEFAULT_PAUSE_SECONDS

from . import checks as v
from . import derived_names
from .model import ProvisionedConfig, StackConfig, _Placement, to_snake

T = TypeVar("T")


def problems(config: StackConfig) -> list[str]:
    """Every broken rule's message, in the table's order."""
    return [message for rule in RULES for message in rule.problems(config)]


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


def _needs_two_subnets(placement: _Placement | None) -> bool:
    return placement is not None and not placement.uses_default_vpc and len(placement.subnet_ids) < 2


def _two_subnets_message(section: str, placement: _Placement | None) -> str:
    return (
        f"{v.setting(section + '.subnetIds')} is {v.show(list(_present(placement).subnet_ids))}: a VPC other than the "
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
    """The minimum the stack file sets in a serverless section (not the default of a missing one)."""
    return config.serverless.min_capacity if config.serverless is not None and _is_set(config, "serverless") else None


def _provisioned(config: StackConfig) -> ProvisionedConfig | None:
    return config.shape if isinstance(config.shape, ProvisionedConfig) else None


def _instance_count(config: StackConfig) -> int:
    """The instances the settings declare: the writer and the shape's readers."""
    return 1 + config.shape.readers


def _shape_instances(config: StackConfig) -> str:
    return "serverless: the writer" if config.is_serverless else f"provisioned: the writer and {config.shape.readers} readers"


def _zones_elsewhere(config: StackConfig) -> list[str]:
    """The adopted instances' zones outside the stack's region (us-east-1a is in us-east-1)."""
    zones = [instance.availability_zone for instance in _present(config.adopt).instances]
    return [zone for zone in zones if zone[:-1] != config.region]


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
            c.serverless is not None and _is_set(c.serverless, "seconds_until_auto_pause") and c.serverless.min_capacity != 0
        ),
        lambda c: (
            f"{v.setting('serverless.secondsUntilAutoPause')} is {_present(c.serverless).seconds_until_auto_pause!r} "
            f"but minCapacity is {_present(c.serverless).min_capacity:g}: the writer pauses only when minCapacity is 0; "
            "remove it or set minCapacity to 0"
        ),
    ),
    Rule(
        "reader-classes-not-beyond-readers",
        "provisioned.readerInstanceClasses",
        lambda c: (p := _provisioned(c)) is not None and len(p.reader_instance_classes) > p.readers,
        lambda c: (
            f"{v.setting('provisioned.readerInstanceClasses')} is {v.show(list(_present(_provisioned(c)).reader_instance_classes))}: "
            f"allowed is at most one class per reader, and {v.setting('provisioned.readers')} is "
            f"{_present(_provisioned(c)).readers}; remove classes or raise readers"
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
    Rule(
        "network-needs-two-subnets",
        "network.subnetIds",
        lambda c: _needs_two_subnets(c.network),
        lambda c: _two_subnets_message("network", c.network),
    ),
    Rule(
        "secondary-needs-two-subnets",
        "disasterRecovery.subnetIds",
        lambda c: _needs_two_subnets(c.disaster_recovery),
        lambda c: _two_subnets_message("disasterRecovery", c.disaster_recovery),
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
        lambda c: c.capacity_type == "serverless" and not _is_set(c, "serverless"),
        lambda c: (
            f"{v.setting('serverless')} is required for capacityType serverless, for example "
            f"{{minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: {DEFAULT_PAUSE_SECONDS}}}"
        ),
    ),
    Rule(
        "serverless-section-needs-serverless",
        "serverless",
        lambda c: c.capacity_type != "serverless" and _is_set(c, "serverless"),
        lambda c: (
            f"{v.setting('serverless')} is set but {v.setting('capacityType')} is not serverless: "
            "remove it, or set capacityType to serverless"
        ),
    ),
    Rule(
        "provisioned-section-needs-provisioned",
        "provisioned",
        lambda c: c.capacity_type == "serverless" and _is_set(c, "provisioned"),
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
        lambda c: c.restore_from is not None and _is_set(c, "master_username"),
        lambda c: (
            f"{v.setting('masterUsername')} is {v.show(c.master_username)} but {v.setting('restoreFrom')} "
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
        lambda c: c.shape.proxy and engine_major(c.engine_version) not in PROXY_ENGINE_MAJORS,
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
    # An adopted cluster is imported as the settings describe it (settings/adoption.py compares the rest).
    Rule(
        "adopt-cluster-is-cluster-name",
        "adopt.cluster",
        lambda c: c.adopt is not None and c.adopt.cluster != c.cluster_name,
        lambda c: (
            f"{v.setting('adopt.cluster')} is {v.show(_present(c.adopt).cluster)} but {v.setting('clusterName')} is "
            f"{v.show(c.cluster_name)}: the cluster is imported under the name it has (a new identifier renames it); "
            f"set clusterName to {_present(c.adopt).cluster}"
        ),
    ),
    Rule(
        "adopt-log-groups-within-log-exports",
        "adopt.logGroups",
        lambda c: c.adopt is not None and not set(c.adopt.log_groups) <= set(c.log_exports),
        lambda c: (
            f"{v.setting('adopt.logGroups')} is {v.show(list(_present(c.adopt).log_groups))} but {v.setting('logExports')} "
            f"is {v.show(list(c.log_exports))}: only the groups of exported log types are declared; remove "
            f"{', '.join(t for t in _present(c.adopt).log_groups if t not in c.log_exports)} or export it"
        ),
    ),
    Rule(
        "instance-identifiers-one-per-instance",
        "instanceIdentifiers",
        lambda c: bool(c.instance_identifiers) and len(c.instance_identifiers) != _instance_count(c),
        lambda c: (
            f"{v.setting('instanceIdentifiers')} names {len(c.instance_identifiers)} instances but the settings declare "
            f"{_instance_count(c)} ({_shape_instances(c)}); name each instance once, or leave it unset for "
            f"{c.cluster_name}-instance-1 and on"
        ),
    ),
    Rule(
        "adopt-instances-match-the-shape",
        "adopt.instances",
        lambda c: c.adopt is not None and len(c.adopt.instances) != _instance_count(c),
        lambda c: (
            f"{v.setting('adopt.instances')} has {len(_present(c.adopt).instances)} instances but the settings declare "
            f"{_instance_count(c)} ({_shape_instances(c)}): every instance is imported, none created or left out; "
            + (
                "a serverless stack has one writer: delete the readers first or adopt it as capacityType provisioned"
                if c.is_serverless
                else f"set provisioned.readers to {len(_present(c.adopt).instances) - 1}"
            )
        ),
    ),
    Rule(
        "adopt-instances-keep-their-names",
        "adopt.instances",
        lambda c: (
            c.adopt is not None
            and len(c.adopt.instances) == _instance_count(c)
            and tuple(i.identifier for i in c.adopt.instances) != c.instance_names
        ),
        lambda c: (
            f"{v.setting('adopt.instances')} names {v.show([i.identifier for i in _present(c.adopt).instances])} but the "
            f"stack declares {v.show(list(c.instance_names))}: an instance identifier is ForceNew, so another name "
            f"replaces the instance; set {v.setting('instanceIdentifiers')} to the adopted names in the same order"
        ),
    ),
    Rule(
        "adopt-is-protected",
        "protect",
        lambda c: c.adopt is not None and not c.protected,
        lambda c: (
            f"{v.setting('protect')} is {'false' if c.protect is False else 'unset (false: serverless without deletionProtection)'} "
            f"with {v.setting('adopt')}: an adopted cluster holds data this program did not create, so it and its "
            f"instances are protected; set protect to true (ops adopt writes it)"
        ),
    ),
    Rule(
        "adopt-zones-in-the-region",
        "adopt.instances",
        lambda c: c.adopt is not None and bool(_zones_elsewhere(c)),
        lambda c: (
            f"{v.setting('adopt.instances')} places an instance in {', '.join(_zones_elsewhere(c))}, outside aws:region "
            f"{c.region}: the stack adopts a cluster of its own region; set aws:region to the cluster's"
        ),
    ),
    Rule(
        "adopt-names-the-subnets",
        "network.subnetIds",
        lambda c: c.adopt is not None and not c.network.subnet_ids,
        lambda c: (
            f"{v.setting('network.subnetIds')} is empty but {v.setting('adopt')} is set: the adopted subnet group "
            f"{_present(c.adopt).subnet_group.name} keeps its subnets; list them (ops adopt writes them)"
        ),
    ),
    Rule(
        "adopt-not-with-restore-from",
        "adopt",
        lambda c: c.adopt is not None and c.restore_from is not None,
        lambda c: (
            f"{v.setting('adopt')} is set with {v.setting('restoreFrom')}: an adopted cluster keeps its data and is "
            "not restored from a snapshot; remove restoreFrom"
        ),
    ),
    # Every name derived from the cluster name, against its AWS limit: one message with the tightest.
    Check("cluster-name-fits", "clusterName", lambda c: derived_names.cluster_name_problem(c.cluster_name, c)),
)
