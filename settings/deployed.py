"""What AWS already runs for this stack, read before anything is declared.

The program's inputs are what the stack file says; AWS's state is what it stores, and two things
there change without a `pulumi up`:

- The engine version. AWS upgrades a cluster's minor version at the end of the minor's standard
  support even with automatic minor upgrades off (Aurora User Guide, "Amazon Aurora versioning"
  and the Aurora MySQL release calendar: a minor past its end of standard support is upgraded in the
  maintenance window; 3.04 LTS ended 2026-10-31). A stack file that still names the old minor
  would plan a downgrade, which RDS refuses (terraform-aws-rds-aurora issues #228, #286, #454;
  pulumi-aws #5756). `kept_engine_version` never plans one: the deployed version is kept and one
  warning says what to write in the stack file. An explicit upgrade in the stack file still applies.
- A major version upgrade. An `engineVersion` of a later major than the cluster runs (Aurora
  MySQL 3, `8.0.mysql_aurora.3.x.y`, to 8.4) is an in-place upgrade RDS cannot undo: going back
  means restoring a snapshot into a new cluster. The program cannot list snapshots reliably at
  preview time, so `check_major_upgrade` asks for `aurora:majorVersionUpgradeAcknowledged: true`
  (after `.venv/bin/python -m ops snapshot --stack <stack>`) and `aurora:applyImmediately: true`
  (see docs/major-upgrade.md).
- A change AWS defers to the maintenance window. With `applyImmediately` false, ModifyDBInstance
  holds a new instance class or CA certificate pending and ModifyDBCluster holds IAM database
  authentication, while the provider's Read stores the running value: every later `pulumi up`
  would plan the change again until the window (plan/readback.py DEFERRED has the sources).
  `check_deferred_changes` refuses such a change before anything is declared: it is made with
  `aurora:applyImmediately: true`, or left to the window outside Pulumi.
- The promotion snapshot. It is retained (`retain_on_delete`) as the record of what production
  started from, but someone may delete it. A refresh then drops it from the state, and declaring it
  again would snapshot dev again, or fail when dev is gone. The production cluster records the
  snapshot's identifier in its `PromotedFromSnapshot` tag; once the cluster exists the program
  declares the snapshot only while AWS still has it (see `components/promotion.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from awsfacts.engine_versions import ENGINE, engine_major, version_key
from awsfacts.identifiers import instance_identifier

from . import checks as v
from .loading import ConfigError
from .model import ProvisionedConfig, StackConfig

PROMOTION_SNAPSHOT_TAG = "PromotedFromSnapshot"
"""Tag of a restored cluster: the snapshot it was restored from, read back on later runs."""

# The provider's answers when DescribeDBClusterSnapshots finds nothing for an identifier:
# terraform-provider-aws internal/service/rds/cluster_snapshot_data_source.go returns "Your query
# returned no results" for an empty list, and AWS answers DBClusterSnapshotNotFoundFault (botocore rds
# model, DescribeDBClusterSnapshots errors) for an unknown identifier. An invoke reports a provider
# error only as text; any other failure (credentials, throttling) stops the run instead.
_SNAPSHOT_NOT_FOUND = re.compile(r"returned no results|DBClusterSnapshotNotFound", re.IGNORECASE)


# The provider's answers when DescribeDBEngineVersions offers nothing for the engine and version asked:
# terraform-provider-aws internal/service/rds/engine_version_data_source.go, `dataSourceEngineVersionRead`,
# reports "no RDS engine versions found" for an empty answer and "no RDS engine versions match the
# criteria" when nothing is left after its own matching. Any other failure (no credentials, throttling,
# no network) is not an answer about the version.
_VERSION_NOT_OFFERED = re.compile(r"no RDS engine versions (found|match)", re.IGNORECASE)


class DeployedStateError(pulumi.RunError):
    """AWS could not be asked what the stack already runs (shown without a traceback)."""


@dataclass(frozen=True)
class DeployedInstance:
    """One instance of the stack's cluster as AWS reports it: the running values, not pending ones."""

    identifier: str
    instance_class: str
    ca_certificate_identifier: str


@dataclass(frozen=True)
class DeployedCluster:
    """The stack's cluster as AWS reports it."""

    identifier: str
    engine_version: str
    tags: dict[str, str] = field(default_factory=dict)
    iam_authentication: bool | None = None
    """IAM database authentication as it runs; None when not read."""
    instances: tuple[DeployedInstance, ...] = ()

    @property
    def promotion_snapshot(self) -> str | None:
        return self.tags.get(PROMOTION_SNAPSHOT_TAG) or None


def find_deployed_cluster(cluster_identifier: str) -> DeployedCluster | None:
    """The cluster this stack created earlier, or None on a first deployment."""
    found = aws.rds.get_clusters(filters=[aws.rds.GetClustersFilterArgs(name="db-cluster-id", values=[cluster_identifier])])
    if cluster_identifier not in found.cluster_identifiers:
        return None
    cluster = aws.rds.get_cluster(cluster_identifier=cluster_identifier)
    return DeployedCluster(
        cluster_identifier,
        cluster.engine_version,
        dict(cluster.tags or {}),
        iam_authentication=cluster.iam_database_authentication_enabled,
        instances=tuple(find_deployed_instance(member) for member in sorted(cluster.cluster_members or [])),
    )


def find_deployed_instance(instance_identifier: str) -> DeployedInstance:
    """An instance of the cluster: the aws_db_instance data source reads DescribeDBInstances'
    DBInstanceClass and CACertificateIdentifier, the running values (terraform-provider-aws
    internal/service/rds/instance_data_source.go)."""
    try:
        instance = aws.rds.get_instance(db_instance_identifier=instance_identifier)
    except Exception as error:  # noqa: BLE001  (an invoke's failure reaches the program as a plain Exception)
        # A preview role without rds:DescribeDBInstances, or a member removed meanwhile: one line, then re-run.
        raise DeployedStateError(
            f"could not read instance {instance_identifier} of the deployed cluster (DescribeDBInstances): "
            f"{' '.join(str(error).split())}"
        ) from None
    return DeployedInstance(instance_identifier, instance.db_instance_class, instance.ca_cert_identifier)


def snapshot_exists(snapshot_identifier: str) -> bool:
    """Whether AWS still has this manual cluster snapshot."""
    try:
        aws.rds.get_cluster_snapshot(db_cluster_snapshot_identifier=snapshot_identifier, snapshot_type="manual")
    except Exception as error:  # noqa: BLE001  (an invoke's failure reaches the program as a plain Exception)
        if _SNAPSHOT_NOT_FOUND.search(str(error)):
            return False
        raise DeployedStateError(f"could not read cluster snapshot {snapshot_identifier}: {error}") from None
    return True


def kept_engine_version(configured: str, deployed: str | None, stack: str) -> tuple[str, str | None]:
    """The engine version to declare, and a warning when it is not the configured one.

    A deployed version later than the configured one (AWS upgraded the minor, or someone upgraded
    outside Pulumi) is kept: declaring the older one would plan a downgrade, which fails."""
    if deployed is None or deployed == configured:
        return configured, None
    deployed_key, configured_key = version_key(deployed), version_key(configured)
    if deployed_key is None or configured_key is None or deployed_key < configured_key:
        return configured, None
    return deployed, (
        f"aurora:engineVersion is {configured!r} but the cluster runs {deployed!r} (AWS upgrades a minor "
        f"version at the end of its standard support): keeping {deployed!r}, never a downgrade; "
        f"write `aurora:engineVersion: {deployed}` in Pulumi.{stack}.yaml"
    )


def with_deployed_engine_version(settings: StackConfig, deployed: DeployedCluster | None) -> StackConfig:
    """The settings with the engine version `kept_engine_version` chooses, warning when it differs."""
    version, warning = kept_engine_version(settings.engine_version, deployed.engine_version if deployed else None, settings.stack)
    if warning is None:
        return settings
    pulumi.log.warn(warning)
    return settings.model_copy(update={"engine_version": version})


def is_major_upgrade(configured: str, deployed: str | None) -> bool:
    """Whether declaring `configured` on a cluster running `deployed` moves it to a later major."""
    if deployed is None:
        return False
    configured_key, deployed_key = version_key(configured), version_key(deployed)
    configured_major, deployed_major = engine_major(configured), engine_major(deployed)
    if configured_key is None or deployed_key is None or configured_major is None or deployed_major is None:
        return False
    return configured_major != deployed_major and configured_key > deployed_key


def major_upgrade_problems(settings: StackConfig, deployed: DeployedCluster | None) -> list[str]:
    """Why this run must not start a major version upgrade of the deployed cluster, if it must not.

    The upgrade runs in one ModifyDBCluster with the new engine version, the new family's cluster
    parameter group and AllowMajorVersionUpgrade (terraform-provider-aws
    internal/service/rds/cluster.go `resourceClusterUpdate`). Deferred to the maintenance window
    (applyImmediately false), the cluster would keep the old group, which Pulumi then fails to
    delete (InvalidDBParameterGroupState, rds/cluster_parameter_group.go
    `resourceClusterParameterGroupDelete`), and every later preview would plan the upgrade again."""
    running = deployed.engine_version if deployed else None
    if not is_major_upgrade(settings.engine_version, running):
        return []
    change = (
        f"{v.setting('engineVersion')} is {v.show(settings.engine_version)} but the cluster runs {v.show(running)}: "
        f"a major version upgrade to {engine_major(settings.engine_version)}"
    )
    problems = []
    if settings.is_global:
        problems.append(
            f"{change} of a Global Database is made on the global cluster and resets its parameter groups; "
            f"this program does not do it: keep {v.show(running)} (see docs/major-upgrade.md)"
        )
    if not settings.major_version_upgrade_acknowledged:
        problems.append(
            f"{change} cannot be undone: take a snapshot (.venv/bin/python -m ops snapshot --stack {settings.stack}), "
            f"then set {v.setting('majorVersionUpgradeAcknowledged')}: true"
        )
    if not settings.apply_immediately:
        problems.append(
            f"{change} must apply now, not in the maintenance window: set {v.setting('applyImmediately')}: true "
            "for the upgrade's `pulumi up`"
        )
    return problems


def check_major_upgrade(settings: StackConfig, deployed: DeployedCluster | None) -> None:
    """Refuse, before anything is declared, a major upgrade `major_upgrade_problems` stops."""
    problems = major_upgrade_problems(settings, deployed)
    if problems:
        raise ConfigError(problems)


def deferred_change_problems(settings: StackConfig, deployed: DeployedCluster | None) -> list[str]:
    """The changes this run would leave pending until the maintenance window, one line each.

    With `applyImmediately` false AWS defers them, and the provider's Read stores the running
    value meanwhile (plan/readback.py DEFERRED): the next `pulumi up` would plan them again and
    `pulumi preview --expect-no-changes` fail until the window. Refused rather than modelled: the
    provider keeps no pending value but the engine version's, and the data sources report none
    (pulumi_aws rds get_cluster, get_instance), so the program cannot tell a change waiting for the
    window from one never sent. Only the instances the program declares are compared; one it adds
    is created with the configured values (the provider's Create applies a CA at once)."""
    if deployed is None or settings.apply_immediately:
        return []
    # An adopted cluster's instances keep the names they have (settings/adoption.py).
    declared = (
        [instance.identifier for instance in settings.adopt.instances]
        if settings.adopt
        else [instance_identifier(settings.cluster_name, number) for number in range(1, len(settings.shape.instance_classes) + 1)]
    )
    instances = [instance for instance in deployed.instances if instance.identifier in declared]
    problems = _instance_differences(
        "caCertificateIdentifier",
        settings.ca_certificate_identifier,
        {i.identifier: i.ca_certificate_identifier for i in instances},
        "each instance reboots now",
    )
    # A serverless stack's class is always db.serverless: only a provisioned stack's classes are settings.
    if isinstance(settings.shape, ProvisionedConfig):
        problems += _class_differences(settings.shape, declared, {i.identifier: i.instance_class for i in instances})
    # A restored cluster starts without IAM authentication (the restore does not send it); the
    # restore completion turns it on applied immediately, also when a failed first `up` is run again.
    completion_turns_it_on = settings.restore_from is not None and settings.iam_authentication
    if (
        deployed.iam_authentication is not None
        and deployed.iam_authentication != settings.iam_authentication
        and not completion_turns_it_on
    ):
        running, configured = _yaml(deployed.iam_authentication), _yaml(settings.iam_authentication)
        problems.append(
            _deferred(
                f"{v.setting('iamAuthentication')} is {configured} but the cluster runs with it {running}",
                "no outage",
                f"{v.setting('iamAuthentication')}: {running}",
            )
        )
    return problems


def _class_differences(shape: ProvisionedConfig, declared: list[str], running: dict[str, str]) -> list[str]:
    """Each running instance's class against the one declared for it (`declared` are the
    identifiers in `instance_classes`' order), one line for each key that sets a differing class:
    the reader's item of readerInstanceClasses (by index, as `pulumi config set --path` writes
    it), else instanceClass."""
    own = len(shape.reader_instance_classes)
    keys = [
        f"provisioned.readerInstanceClasses[{number - 1}]" if 0 < number <= own else "provisioned.instanceClass"
        for number in range(len(declared))
    ]
    compared = list(zip(declared, keys, shape.instance_classes, strict=True))
    return [
        problem
        for key, configured in dict.fromkeys((key, configured) for _, key, configured in compared)
        for problem in _instance_differences(
            key,
            configured,
            {identifier: running[identifier] for identifier, k, _ in compared if k == key and identifier in running},
            "each instance restarts on the new class now",
        )
    ]


def _yaml(flag: bool) -> str:
    return "true" if flag else "false"


def _instance_differences(name: str, configured: str, running: dict[str, str], consequence: str) -> list[str]:
    differing = {identifier: value for identifier, value in running.items() if value != configured}
    if not differing:
        return []
    shown = ", ".join(f"{identifier} runs {v.show(value)}" for identifier, value in sorted(differing.items()))
    kept = " / ".join(sorted(set(differing.values())))
    change = f"{v.setting(name)} is {v.show(configured)} but {shown}"
    return [_deferred(change, consequence, f"{v.setting(name)}: {kept}")]


def _deferred(change: str, consequence: str, keep: str) -> str:
    return (
        f"{change}: with {v.setting('applyImmediately')} false AWS holds the change until the maintenance window "
        "and Pulumi reads back the running value, so every `pulumi up` until then would plan it again; "
        f"set {v.setting('applyImmediately')}: true for this `up` ({consequence}), or keep {keep} (a change an "
        "earlier `up` left pending still applies in the window: `aws rds describe-db-instances` shows it under "
        'PendingModifiedValues; docs/upgrade-notes.md, "Changes AWS defers to the maintenance window")'
    )


def check_deferred_changes(settings: StackConfig, deployed: DeployedCluster | None) -> None:
    """Refuse, before anything is declared, a change `deferred_change_problems` finds."""
    problems = deferred_change_problems(settings, deployed)
    if problems:
        raise ConfigError(problems)


def engine_version_regions(settings: StackConfig) -> list[str]:
    """Where a cluster is created at `engineVersion`: the stack's region, and a Global Database's
    secondary region (its secondary runs the primary's version)."""
    dr = settings.disaster_recovery
    return [settings.region, *([dr.region] if dr is not None and dr.is_global else [])]


def engine_version_problem(settings: StackConfig, deployed: DeployedCluster | None) -> str | None:
    """Why AWS would refuse `engineVersion` at CreateDBCluster (or at the restore, or at the
    ModifyDBCluster of an upgrade), asked of AWS before anything is declared; None when AWS offers it.

    The program checks the form offline (`validation.check_engine_version`) but cannot know every
    release, nor which one AWS still offers: `aws.rds.get_engine_version` asks DescribeDBEngineVersions
    for that engine and exact version (the provider's data source sends `version` as EngineVersion
    and stores the version it found as `version_actual`: an answer for any other text is refused too).
    Without `include_all`, the data source does not ask for versions AWS no longer offers.

    A cluster that already runs the version is not asked about: nothing is created at it, and AWS may
    have stopped offering a version it still runs. When AWS cannot be asked (no credentials, no network)
    the run stops with one line (DeployedStateError): the question cannot be skipped, because `pulumi up`
    would then fail at CreateDBCluster after other resources exist."""
    version = settings.engine_version
    if deployed is not None and deployed.engine_version == version:
        return None
    for region in engine_version_regions(settings):
        try:
            found = aws.rds.get_engine_version(engine=ENGINE, version=version, region=region)
        except Exception as error:  # noqa: BLE001  (an invoke's failure reaches the program as a plain Exception)
            if _VERSION_NOT_OFFERED.search(str(error)):
                return _not_offered(settings, deployed, region)
            # The SDK reports "invocation of ... returned an error: ...: 1 error occurred:" and the
            # provider's reason on the next line: one line with both.
            reason = " ".join(str(error).split()) or "no answer"
            raise DeployedStateError(
                f"could not ask AWS whether {v.setting('engineVersion')} {version!r} is offered in {region} "
                f"(DescribeDBEngineVersions): {reason}"
            ) from None
        if found.version_actual != version:
            return _not_offered(settings, deployed, region)
    return None


def _not_offered(settings: StackConfig, deployed: DeployedCluster | None, region: str) -> str:
    upgrade = f" (the upgrade of the cluster that runs {deployed.engine_version!r})" if deployed is not None else ""
    return (
        f"{v.setting('engineVersion')} is {settings.engine_version!r}{upgrade}: AWS does not offer this Aurora MySQL "
        f"version in {region} (DescribeDBEngineVersions); list those it offers with `aws rds describe-db-engine-versions "
        f"--engine {ENGINE} --region {region} --query 'DBEngineVersions[].EngineVersion'`"
    )


def check_engine_version(settings: StackConfig, deployed: DeployedCluster | None) -> None:
    """Refuse, before anything is declared, an engine version AWS does not offer."""
    problem = engine_version_problem(settings, deployed)
    if problem is not None:
        raise ConfigError([problem])
