"""Issue 29: the restore completion failing at each of its AWS calls in turn, in each of the three
ways of tests/faults.py, ends after one re-run where a clean run ends.

moto has no EnableHttpEndpoint and never reports a modification in flight, so the restored cluster
is a fake answering from the rds and secretsmanager models' shapes (tests/model_fake.py). What it
assumes of RDS, beyond the shapes:

- a ModifyDBCluster applied immediately first shows nothing for RACE seconds (`available`, nothing
  pending, the old values: the race the completion's first delay waits out), then the cluster is
  `modifying` with IAMDatabaseAuthenticationEnabled pending until APPLIED seconds, then `available`
  with the new values;
- while the cluster reports `modifying`, ModifyDBCluster answers InvalidDBClusterStateFault and
  EnableHttpEndpoint InvalidResourceStateFault (their state faults in botocore's rds model); a
  second ModifyDBCluster inside the race joins the first;
- EnableHttpEndpoint on a cluster whose Data API is on answers as the first time did;
- ManageMasterUserPassword makes RDS create the cluster's own secret, tagged with the cluster's ARN
  (aws:rds:primaryDBClusterArn), when the modification applies;
- the re-run starts at once after the failed run: whatever the failed run sent is still in flight.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest

from awscalls.restored_cluster import Pacing, RestoredFeatures
from components.restore_completion import RestoreCompletionError, RestoreCompletionProvider
from tests.faults import Faults, every_fault
from tests.helpers import FakeClock
from tests.model_fake import FakeError, model_client

IDENTIFIER = "aurora-prod"
ARN = f"arn:aws:rds:us-east-1:123456789012:cluster:{IDENTIFIER}"
WRITER = f"{IDENTIFIER}-instance-1"
DEV_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev"
DEV_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1111aaaa-dev-AbCdEf"
OWN_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-2222bbbb-prod-GhIjKl"
OWNER_TAG = "aws:rds:primaryDBClusterArn"
RACE, APPLIED = 5.0, 60.0
FEATURES = RestoredFeatures(
    IDENTIFIER,
    data_api=True,
    iam_authentication=True,
    insights_mode="standard",
    performance_insights=True,
    insights_retention_days=7,
    managed_master_password=True,
)
# ModifyDBCluster parameters and the DBCluster field each one sets.
FIELDS = {
    "EnableIAMDatabaseAuthentication": "IAMDatabaseAuthenticationEnabled",
    "DatabaseInsightsMode": "DatabaseInsightsMode",
    "EnablePerformanceInsights": "PerformanceInsightsEnabled",
    "PerformanceInsightsRetentionPeriod": "PerformanceInsightsRetentionPeriod",
}


class RestoredCluster:
    """A cluster just restored from dev's snapshot: IAM authentication, Performance Insights and the
    Data API off, and dev's master secret reported as its own."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.fields: dict[str, Any] = {
            "IAMDatabaseAuthenticationEnabled": False,
            "DatabaseInsightsMode": "standard",
            "PerformanceInsightsEnabled": False,
            "HttpEndpointEnabled": False,
            "MasterUserSecret": {"SecretArn": DEV_SECRET, "SecretStatus": "active"},
        }
        self.pending: dict[str, Any] = {}
        self.sent_at = 0.0
        self.secrets = {DEV_SECRET: DEV_ARN}

    def _since(self) -> float:
        return self.clock() - self.sent_at

    def _settle(self) -> None:
        if self.pending and self._since() >= APPLIED:
            if self.pending.pop("ManageMasterUserPassword", False):
                self.secrets[OWN_SECRET] = ARN
                self.fields["MasterUserSecret"] = {"SecretArn": OWN_SECRET, "SecretStatus": "active"}
            self.fields.update({FIELDS[key]: value for key, value in self.pending.items()})
            self.pending = {}

    def _modifying(self) -> bool:
        self._settle()
        return bool(self.pending) and self._since() >= RACE

    def described(self) -> dict[str, Any]:
        cluster = {
            "DBClusterIdentifier": IDENTIFIER,
            "DBClusterArn": ARN,
            "Status": "modifying" if self._modifying() else "available",
            "DBClusterMembers": [{"DBInstanceIdentifier": WRITER, "IsClusterWriter": True}],
            **self.fields,
        }
        if self._modifying() and "EnableIAMDatabaseAuthentication" in self.pending:
            cluster["PendingModifiedValues"] = {"IAMDatabaseAuthenticationEnabled": True}
        return cluster

    def rds(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        assert params.get("DBClusterIdentifier", IDENTIFIER) == IDENTIFIER
        if operation == "DescribeDBClusters":
            return {"DBClusters": [self.described()]}
        if operation == "DescribeDBInstances":
            return {"DBInstances": [{"DBInstanceIdentifier": WRITER, "DBInstanceStatus": "available"}]}
        if operation == "ModifyDBCluster":
            if self._modifying():
                raise FakeError("InvalidDBClusterStateFault", "The cluster is modifying")
            if not self.pending:
                self.sent_at = self.clock()
            self.pending.update(
                {key: value for key, value in params.items() if key not in ("DBClusterIdentifier", "ApplyImmediately")}
            )
            return {"DBCluster": self.described()}
        if operation == "EnableHttpEndpoint":
            assert params == {"ResourceArn": ARN}
            if self._modifying():
                raise FakeError("InvalidResourceStateFault", "another operation is in progress")
            self.fields["HttpEndpointEnabled"] = True
            return {"ResourceArn": ARN, "HttpEndpointEnabled": True}
        raise AssertionError(f"the completion does not call {operation}")

    def secretsmanager(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        assert operation == "DescribeSecret"
        owner = self.secrets.get(params["SecretId"])
        if owner is None:
            raise FakeError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
        return {"ARN": params["SecretId"], "OwningService": "rds", "Tags": [{"Key": OWNER_TAG, "Value": owner}]}

    def end_state(self) -> tuple[dict[str, Any], dict[str, str]]:
        self.clock.sleep(3600)  # whatever is still in flight lands: the state it leads to
        return self.described(), dict(self.secrets)


def run(cluster: RestoredCluster, faults: Faults, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """One `pulumi up` of the completion (the provider's create) against the fake, through `faults`."""
    clients = {"rds": model_client("rds", cluster.rds), "secretsmanager": model_client("secretsmanager", cluster.secretsmanager)}
    monkeypatch.setattr(boto3, "client", lambda service, region_name: faults.wrap(clients[service]))
    monkeypatch.setattr("components.restore_completion.PACING", Pacing(clock=cluster.clock, sleep=cluster.clock.sleep))
    monkeypatch.setattr("pulumi.log.info", lambda *args, **kwargs: None)
    result = RestoreCompletionProvider().create({**FEATURES.__dict__, "region": "us-east-1", "applied": None})
    return {"applied": result.outs["applied"], "master_secret_arn": result.outs["master_secret_arn"]}


def outcome(faults: Faults, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """How the run with `faults` ends (`survived`: the run finished despite the fault, or
    `re-run`: it failed in one line and one re-run finished it), and the end state reached."""
    cluster = RestoredCluster(FakeClock())
    try:
        outs = run(cluster, faults, monkeypatch)
        how = "survived"
    except RestoreCompletionError as error:
        assert "\n" not in str(error)
        outs = run(cluster, Faults(), monkeypatch)
        how = "re-run"
    return how, (outs, cluster.end_state())


@pytest.fixture
def clean(monkeypatch):
    """The clean run: its calls and its end state."""
    cluster, faults = RestoredCluster(FakeClock()), Faults()
    outs = run(cluster, faults, monkeypatch)
    return faults.calls, (outs, cluster.end_state())


def test_a_clean_run_switches_everything_on_and_gives_the_cluster_its_own_secret(clean):
    calls, (outs, (cluster, secrets)) = clean
    assert outs == {
        "applied": [
            "IAMDatabaseAuthenticationEnabled: True",
            "DatabaseInsightsMode: standard",
            "PerformanceInsightsEnabled: True",
            "PerformanceInsightsRetentionPeriod: 7",
            "HttpEndpointEnabled: True",
        ],
        "master_secret_arn": OWN_SECRET,
    }
    assert cluster["Status"] == "available" and "PendingModifiedValues" not in cluster
    assert secrets == {DEV_SECRET: DEV_ARN, OWN_SECRET: ARN}
    assert Counter(calls) == {
        "rds.DescribeDBClusters": 8,
        "rds.DescribeDBInstances": 8,
        "rds.ModifyDBCluster": 2,
        "rds.EnableHttpEndpoint": 1,
        "secretsmanager.DescribeSecret": 2,
    }


def test_a_failure_at_any_call_ends_after_one_rerun_where_a_clean_run_ends(clean, monkeypatch):
    calls, clean_end = clean
    outcomes = Counter()
    for faults in every_fault(len(calls)):
        how, end = outcome(faults, monkeypatch)
        assert end == clean_end, f"call {faults.fail_at} ({calls[faults.fail_at - 1]}) failing {faults.kind}"
        outcomes[how] += 1
    # 21 calls, 3 kinds: every one converges. A failed look inside a wait is looked at again (16 reads
    # x 2 kinds that fail the call), so the run itself survives those; the 10 it stops (a failed
    # modify, switch or secret read) are finished by one re-run.
    assert outcomes == {"re-run": 10, "survived": 53}
