"""Switching on what a snapshot restore leaves off.

The AWS provider's restore path does not apply the Data API, IAM authentication or Database
Insights on the first create (aws-facts: "Restoring from a snapshot"). These calls apply them right
after the restore, so one `pulumi up -s prod` gives the promoted cluster its full configuration.

A modification applied immediately does not show at once: DescribeDBClusters can still answer
`available` a moment after ModifyDBCluster, and botocore's `db_cluster_available` waiter (no first
delay, success on `available`) then returns before the change has begun, so EnableHttpEndpoint meets
a modifying cluster. The provider waits out the same race with a 30 s first delay and until
PendingModifiedValues is empty (terraform-provider-aws internal/service/rds/cluster.go,
`waitDBClusterUpdated` with `waitNoPendingModifiedValues`); so does this module, for the member
instances too, and it retries the Data API switch on the state faults within a bound.

A run can fail at any call and `pulumi up` runs the completion again: every step therefore starts
by waiting for a settled cluster, whichever run sent the change still in flight, and works out what
is missing from what the cluster reports, so the re-run ends where a clean run ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from .errors import again_if_transient, error_code, one_line


@dataclass(frozen=True)
class RestoredFeatures:
    cluster_identifier: str
    data_api: bool
    iam_authentication: bool
    insights_mode: str | None
    performance_insights: bool
    insights_retention_days: int | None
    insights_kms_key_id: str | None = None
    """The stack's customer managed key for Performance Insights; None: the AWS managed aws/rds."""
    managed_master_password: bool = False
    """RDS manages the master password in Secrets Manager: the cluster must report its own secret."""


class CompletionError(Exception):
    """A wait or a retry ran past its bound; the message is one line that says what to do."""


@dataclass(frozen=True)
class Pacing:
    """How long the completion waits, and how often it looks; the clock and the sleep are
    injected so that tests follow every wait without sleeping."""

    first_delay: float = 30.0
    """Before the first look after a modification (the provider's `Delay` in waitDBClusterUpdated)."""
    poll: float = 15.0
    """Between two looks."""
    start_within: float = 300.0
    """How long a modification may take to show before the completion goes on without seeing it."""
    settle_within: float = 3600.0
    """How long the cluster and its instances may take to be available with nothing pending."""
    failures_allowed: int = 2
    """Transient failures in a row a look inside a wait may meet (`awscalls.errors.transient`)
    before the completion gives up: one failed poll never abandons a cluster that is settling."""
    switch_delays: tuple[float, ...] = (10.0, 20.0, 40.0, 60.0, 60.0, 60.0, 60.0)
    """Backoff between EnableHttpEndpoint attempts met by a state fault: eight attempts in about 5 minutes."""
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


# EnableHttpEndpoint lists InvalidResourceStateFault ("another operation is in progress") among its
# errors in botocore's RDS model; InvalidDBClusterStateFault ("can't be performed while the cluster
# is in this state") is the fault the provider retries ModifyDBCluster on (rds/cluster.go,
# resourceClusterUpdate). Both say "busy, try later"; nothing else is retried.
STATE_FAULTS = ("InvalidResourceStateFault", "InvalidDBClusterStateFault")

# How RDS refuses a parameter it will not apply to this cluster (AWS's common error codes, shared by
# every RDS action); any other failure (a throttle, a busy cluster, a lost answer) says nothing
# about the secret, and a re-run retries it.
REFUSALS = ("InvalidParameterCombination", "InvalidParameterValue")

# The tag RDS puts on each master secret it manages, naming the cluster the secret belongs to (AWS
# managed policy AmazonRDSServiceRolePolicy: RDS may tag `rds!*` secrets with aws:rds:primaryDBClusterArn).
SECRET_OWNER_TAG = "aws:rds:primaryDBClusterArn"


def insights_changes(cluster: dict[str, Any], features: RestoredFeatures) -> dict[str, Any]:
    """ModifyDBCluster parameters that bring Database Insights and Performance Insights to what is
    declared. The mode alone says nothing: a cluster whose mode was never set reports `standard`
    with Performance Insights off (terraform-provider-aws TestAccRDSCluster_basic), which is what
    a restore leaves, so Performance Insights and its retention are compared too."""
    if features.insights_mode is None and not features.performance_insights:
        return {}
    matches = (
        cluster.get("DatabaseInsightsMode") == features.insights_mode
        and bool(cluster.get("PerformanceInsightsEnabled")) == features.performance_insights
        and (
            not features.performance_insights
            or cluster.get("PerformanceInsightsRetentionPeriod") == features.insights_retention_days
        )
    )
    if matches:
        return {}
    # Advanced mode needs Performance Insights in the same call: send the three together.
    changes: dict[str, Any] = {"EnablePerformanceInsights": features.performance_insights}
    if features.insights_mode is not None:
        changes["DatabaseInsightsMode"] = features.insights_mode
    if features.performance_insights and features.insights_retention_days is not None:
        changes["PerformanceInsightsRetentionPeriod"] = features.insights_retention_days
    # The key is chosen when Performance Insights is first switched on and can never change after
    # ("InvalidParameterCombination: You cannot change your Performance Insights KMS key";
    # terraform-provider-aws #9746, #44046): send it only then.
    if features.performance_insights and features.insights_kms_key_id and not cluster.get("PerformanceInsightsEnabled"):
        changes["PerformanceInsightsKMSKeyId"] = features.insights_kms_key_id
    return changes


def modify_parameters(cluster: dict[str, Any], features: RestoredFeatures) -> dict[str, Any]:
    """ModifyDBCluster parameters still needed; empty once the cluster reports everything declared."""
    modify: dict[str, Any] = {}
    if features.iam_authentication and not cluster.get("IAMDatabaseAuthenticationEnabled"):
        modify["EnableIAMDatabaseAuthentication"] = True
    modify.update(insights_changes(cluster, features))
    return modify


def complete_restore(
    rds: Any, features: RestoredFeatures, report: Callable[[str], None] = print, pacing: Pacing = Pacing()
) -> list[str]:
    """Apply the settings a restore skipped; return the cluster's end state for each of them
    (`end_state`), whichever run applied them.

    Each step starts on a settled cluster (`wait_until_settled`), not only after a modification this
    run sent: a re-run after a failure meets the change an earlier run sent still in flight, and
    ModifyDBCluster or EnableHttpEndpoint on a modifying cluster is refused. What is missing is
    worked out from the settled cluster, so a re-run sends only that and ends where a clean run ends."""
    identifier = features.cluster_identifier
    cluster = wait_until_settled(rds, identifier, pacing, report)
    modify = modify_parameters(cluster, features)
    if modify:
        rds.modify_db_cluster(DBClusterIdentifier=identifier, ApplyImmediately=True, **modify)
        report(f"{identifier}: modified: {', '.join(sorted(modify))}")
        cluster = wait_for_modification(rds, identifier, lambda seen: not modify_parameters(seen, features), pacing, report)
    if features.data_api and not cluster.get("HttpEndpointEnabled"):
        switched = switch_on_data_api(rds, cluster["DBClusterArn"], identifier, pacing, report)
        cluster = {**cluster, "HttpEndpointEnabled": switched.get("HttpEndpointEnabled")}
        report(f"{identifier}: Data API enabled")
    return end_state(cluster, features)


def end_state(cluster: dict[str, Any], features: RestoredFeatures) -> list[str]:
    """`Field: value` as DescribeDBClusters reports it, for each setting the completion switches on:
    the same after a clean run and after a re-run that finished what a failed run began, which a
    list of this run's calls is not."""
    fields = []
    if features.iam_authentication:
        fields.append("IAMDatabaseAuthenticationEnabled")
    if features.insights_mode is not None:
        fields.append("DatabaseInsightsMode")
    if features.insights_mode is not None or features.performance_insights:
        fields.append("PerformanceInsightsEnabled")
    if features.performance_insights and features.insights_retention_days is not None:
        fields.append("PerformanceInsightsRetentionPeriod")
    if features.performance_insights and features.insights_kms_key_id:
        fields.append("PerformanceInsightsKMSKeyId")
    if features.data_api:
        fields.append("HttpEndpointEnabled")
    return [f"{field}: {cluster.get(field)}" for field in fields]


def describe_cluster(rds: Any, identifier: str) -> dict[str, Any]:
    cluster: dict[str, Any] = rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
    return cluster


def unsettled(rds: Any, cluster: dict[str, Any]) -> list[str]:
    """What keeps the cluster from being done: its own or a member's status other than `available`,
    or modifications still pending (PendingModifiedValues, on the cluster and on each instance)."""
    found = _unsettled(cluster["DBClusterIdentifier"], cluster.get("Status"), cluster.get("PendingModifiedValues"))
    if cluster.get("DBClusterMembers"):
        members = rds.describe_db_instances(Filters=[{"Name": "db-cluster-id", "Values": [cluster["DBClusterIdentifier"]]}])[
            "DBInstances"
        ]
        for member in members:
            found += _unsettled(
                member["DBInstanceIdentifier"], member.get("DBInstanceStatus"), member.get("PendingModifiedValues")
            )
    return found


def _unsettled(name: str, status: str | None, pending: dict[str, Any] | None) -> list[str]:
    if status != "available":
        return [f"{name} is {status}"]
    if pending:
        return [f"{name} has pending {', '.join(sorted(pending))}"]
    return []


def wait_for_modification(
    rds: Any, identifier: str, shows: Callable[[dict[str, Any]], bool], pacing: Pacing, report: Callable[[str], None]
) -> dict[str, Any]:
    """After ModifyDBCluster: until the change has started (something is unsettled) or already shows
    (`shows`), for at most `start_within`; then until everything is settled."""
    started = pacing.clock()
    pacing.sleep(pacing.first_delay)
    while True:
        cluster, busy = _look(rds, identifier, pacing, report)
        if busy or shows(cluster):
            return wait_until_settled(rds, identifier, pacing, report, (cluster, busy))
        waited = pacing.clock() - started
        if waited >= pacing.start_within:
            report(f"{identifier}: the modification did not show within {waited:g}s; going on")
            return cluster
        report(f"{identifier}: still available, waiting for the modification to start ({waited:g}s)")
        pacing.sleep(pacing.poll)


def wait_until_settled(
    rds: Any,
    identifier: str,
    pacing: Pacing,
    report: Callable[[str], None],
    seen: tuple[dict[str, Any], list[str]] | None = None,
) -> dict[str, Any]:
    """Until the cluster and every member instance are `available` with nothing pending."""
    started = pacing.clock()
    while True:
        cluster, busy = seen or _look(rds, identifier, pacing, report)
        seen = None
        if not busy:
            return cluster
        waited = pacing.clock() - started
        if waited >= pacing.settle_within:
            raise CompletionError(
                f"{identifier} was still not settled after {waited:g}s ({'; '.join(busy)}): run `pulumi up` "
                "again once it is available; the completion then applies only what is still missing"
            )
        report(f"{identifier}: waiting, {'; '.join(busy)} ({waited:g}s)")
        pacing.sleep(pacing.poll)


def _look(rds: Any, identifier: str, pacing: Pacing, report: Callable[[str], None]) -> tuple[dict[str, Any], list[str]]:
    """The cluster and what is not settled yet, read again after a transient failure."""

    def look() -> tuple[dict[str, Any], list[str]]:
        cluster = describe_cluster(rds, identifier)
        return cluster, unsettled(rds, cluster)

    def before_again(error: Exception) -> None:
        report(f"{identifier}: a look failed ({one_line(error)}); looking again in {pacing.poll:g}s")
        pacing.sleep(pacing.poll)

    return again_if_transient(look, pacing.failures_allowed, before_again)


def switch_on_data_api(
    rds: Any, cluster_arn: str, identifier: str, pacing: Pacing, report: Callable[[str], None]
) -> dict[str, Any]:
    """EnableHttpEndpoint, retried with backoff while the cluster answers that it is busy; its answer."""
    attempts = len(pacing.switch_delays) + 1
    attempt = 0
    while True:
        attempt += 1
        try:
            answer: dict[str, Any] = rds.enable_http_endpoint(ResourceArn=cluster_arn)
            return answer
        except ClientError as error:
            code = error_code(error)
            if code not in STATE_FAULTS:
                raise
            if attempt == attempts:
                raise CompletionError(
                    f"{identifier}: EnableHttpEndpoint answered {code} {attempts} times over "
                    f"{sum(pacing.switch_delays):g}s (the cluster stayed busy): run `pulumi up` again once it "
                    "is available; the completion then only switches on the Data API"
                ) from error
            delay = pacing.switch_delays[attempt - 1]
            report(f"{identifier}: EnableHttpEndpoint answered {code}; retrying in {delay:g}s (attempt {attempt} of {attempts})")
            pacing.sleep(delay)


def reported_secret(cluster: dict[str, Any]) -> str | None:
    secret: str | None = (cluster.get("MasterUserSecret") or {}).get("SecretArn")
    return secret


def foreign_secret(secretsmanager: Any, secret_arn: str | None, cluster_arn: str) -> str | None:
    """Why the secret is not this cluster's own: gone, or tagged by RDS for another cluster
    (SECRET_OWNER_TAG); None when it is, or when it carries no owner tag (nothing then shows it is
    another cluster's, and refusing it would stop every re-run of a healthy restore)."""
    if secret_arn is None:
        return "none is reported"
    try:
        tags = secretsmanager.describe_secret(SecretId=secret_arn).get("Tags", [])
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return f"{secret_arn} no longer exists"
        raise
    owner = next((tag["Value"] for tag in tags if tag["Key"] == SECRET_OWNER_TAG), cluster_arn)
    return None if owner == cluster_arn else f"{secret_arn} belongs to {owner}"


def own_master_secret(
    rds: Any, secretsmanager: Any, identifier: str, report: Callable[[str], None] = print, pacing: Pacing = Pacing()
) -> str:
    """The ARN of the master secret RDS manages for this cluster, never another cluster's.

    A cluster restored from a snapshot of a managed-password cluster can report the source's
    MasterUserSecret although its password is not managed (terraform-provider-aws PR #48901,
    July 2026); the provider's restore path sends ManageMasterUserPassword in a ModifyDBCluster after
    the restore (rds/cluster.go, resourceClusterCreate), which makes RDS create the cluster's own
    secret. A foreign or missing one is replaced by asking RDS to manage the password once more;
    when RDS refuses (ModifyDBCluster turns management on only for a cluster that "doesn't manage the
    master user password", botocore's rds model) or the secret stays foreign, the one line says how
    to turn management off and on again by hand."""
    # Settled first: the secret an earlier run asked for shows only once its modification is applied.
    cluster = wait_until_settled(rds, identifier, pacing, report)
    secret = reported_secret(cluster)
    why = foreign_secret(secretsmanager, secret, cluster["DBClusterArn"])
    if why is None and secret is not None:
        return secret
    report(f"{identifier}: its master secret is not its own ({why}); asking RDS to manage its password")
    try:
        rds.modify_db_cluster(DBClusterIdentifier=identifier, ManageMasterUserPassword=True, ApplyImmediately=True)
    except ClientError as error:
        if error_code(error) not in REFUSALS:
            raise
        raise CompletionError(
            f"{why}, and RDS refused to manage the password anew ({one_line(error)}): {_by_hand(identifier)}"
        ) from error
    cluster = wait_for_modification(rds, identifier, lambda seen: reported_secret(seen) != secret, pacing, report)
    renewed = reported_secret(cluster)
    still = foreign_secret(secretsmanager, renewed, cluster["DBClusterArn"])
    if still is not None or renewed is None:
        raise CompletionError(f"its master secret is still not its own ({still}): {_by_hand(identifier)}")
    return renewed


def _by_hand(identifier: str) -> str:
    """Turning management off needs a password (ModifyDBCluster's ManageMasterUserPassword doc);
    turning it on again makes RDS create the cluster's own secret."""
    return (
        f"turn management off and on again, `aws rds modify-db-cluster --db-cluster-identifier {identifier} "
        "--no-manage-master-user-password --master-user-password <temporary> --apply-immediately`, then the same with "
        "`--manage-master-user-password` alone, and run `pulumi up` again"
    )
