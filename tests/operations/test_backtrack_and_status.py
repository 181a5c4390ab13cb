"""Backtrack and status through botocore's Stubber (moto has neither backtrack nor pending maintenance)."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from ops.cli import main
from ops.cluster_ops import Waiting

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
MEMBERS = [
    {"DBInstanceIdentifier": "aurora-prod-instance-1", "IsClusterWriter": True, "PromotionTier": 0},
    {"DBInstanceIdentifier": "aurora-prod-instance-2", "IsClusterWriter": False, "PromotionTier": 1},
]


class Session:
    def __init__(self, client):
        self._client = client

    def client(self, service, region_name=None):
        return self._client


def cluster(**fields):
    base = {
        "DBClusterIdentifier": "aurora-prod",
        "DBClusterArn": ARN,
        "Status": "available",
        "Engine": "aurora-mysql",
        "EngineVersion": "8.0.mysql_aurora.3.10.5",
        "DBClusterMembers": MEMBERS,
        "BacktrackWindow": 86400,
        "EarliestBacktrackTime": NOW - timedelta(hours=20),
        "LatestRestorableTime": NOW - timedelta(minutes=5),
        "PreferredMaintenanceWindow": "sun:05:00-sun:06:00",
    }
    return {"DBClusters": [{**base, **fields}]}


def run(argv, client, stdin_text=None):
    clock = {"t": 0.0}
    waiting = Waiting(interval_seconds=10, clock=lambda: clock["t"], sleep=lambda s: clock.__setitem__("t", clock["t"] + s))
    stdin = io.StringIO(stdin_text or "")
    stdin.isatty = lambda: stdin_text is not None
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, session=Session(client), stdin=stdin, stdout=out, stderr=err, waiting=waiting, now=lambda: NOW)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rds(stub):
    return stub("rds")


def test_backtrack_minutes_ago_inside_the_window_runs_and_waits(rds):
    client, stubber = rds
    target = NOW - timedelta(minutes=30)
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    stubber.add_response(
        "backtrack_db_cluster",
        {"BacktrackIdentifier": "bt-1", "Status": "PENDING"},
        {"DBClusterIdentifier": "aurora-prod", "BacktrackTo": target},
    )
    for state in ("IN_PROGRESS", "COMPLETED"):
        stubber.add_response(
            "describe_db_cluster_backtracks",
            {"DBClusterBacktracks": [{"BacktrackIdentifier": "bt-1", "Status": state}]},
            {"DBClusterIdentifier": "aurora-prod", "BacktrackIdentifier": "bt-1"},
        )
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "backtrack", "--minutes-ago", "30"], client)
    assert code == 0, err
    assert json.loads(out) == {
        "cluster": "aurora-prod",
        "backtrackedTo": "2026-11-26T11:30:00+00:00",
        "backtrack": "bt-1",
        "seconds": 10.0,
    }
    assert "waiting for the backtrack: IN_PROGRESS (0s)" in err


def test_backtrack_outside_the_window_is_refused_before_anything_runs(rds):
    client, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--to", "2026-11-25T01:00:00Z"], client)
    assert code == 1
    assert err == (
        "error: 2026-11-25T01:00:00+00:00 is outside the backtrack window of 'aurora-prod' "
        "(2026-11-25T16:00:00+00:00 to 2026-11-26T12:00:00+00:00)\n"
    )


def test_backtrack_declined_changes_nothing(rds):
    client, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    code, _, err = run(["--cluster", "aurora-prod", "backtrack", "--minutes-ago", "10"], client, stdin_text="no\n")
    assert code == 1 and err.endswith("error: not confirmed: nothing was changed\n")
    assert "Every change after that moment is undone" in err


def test_backtrack_on_a_cluster_without_it_explains_why(rds):
    client, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(BacktrackWindow=0), {"DBClusterIdentifier": "aurora-prod"})
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--minutes-ago", "10"], client)
    assert err == "error: cluster 'aurora-prod' has backtrack off; it can only be switched on at create or restore\n"


def test_a_failed_backtrack_exits_non_zero(rds):
    client, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    stubber.add_response(
        "backtrack_db_cluster",
        {"BacktrackIdentifier": "bt-2"},
        {"DBClusterIdentifier": "aurora-prod", "BacktrackTo": NOW - timedelta(minutes=10)},
    )
    stubber.add_response(
        "describe_db_cluster_backtracks",
        {"DBClusterBacktracks": [{"Status": "FAILED"}]},
        {"DBClusterIdentifier": "aurora-prod", "BacktrackIdentifier": "bt-2"},
    )
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--minutes-ago", "10"], client)
    assert (code, err.splitlines()[-1]) == (1, "error: backtrack bt-2 of 'aurora-prod' failed; see the cluster's events")


def test_status_shows_members_windows_and_pending_maintenance(rds):
    client, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    stubber.add_response(
        "describe_pending_maintenance_actions",
        {
            "PendingMaintenanceActions": [
                {
                    "ResourceIdentifier": ARN,
                    "PendingMaintenanceActionDetails": [
                        {
                            "Action": "system-update",
                            "Description": "Aurora patch",
                            "AutoAppliedAfterDate": NOW + timedelta(days=7),
                        }
                    ],
                }
            ]
        },
        {"Filters": [{"Name": "db-cluster-id", "Values": [ARN]}]},
    )
    for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
        stubber.add_response(
            "describe_db_instances",
            {
                "DBInstances": [
                    {
                        "DBInstanceIdentifier": f"aurora-prod-instance-{number}",
                        "DBInstanceClass": "db.r7g.large",
                        "AvailabilityZone": zone,
                        "DBInstanceStatus": "available",
                    }
                ]
            },
            {"DBInstanceIdentifier": f"aurora-prod-instance-{number}"},
        )
    code, out, err = run(["--cluster", "aurora-prod", "--json", "status"], client)
    assert code == 0, err
    status = json.loads(out)
    assert status["writer"]["availabilityZone"] == "us-east-1a" and status["writer"]["promotionTier"] == 0
    assert [(r["instance"], r["availabilityZone"]) for r in status["readers"]] == [("aurora-prod-instance-2", "us-east-1b")]
    assert status["backtrackWindowHours"] == 24
    assert status["latestRestorableTime"] == "2026-11-26T11:55:00+00:00"
    assert status["pendingMaintenance"][0]["action"] == "system-update" and status["pendingMaintenance"][0]["required"] is True


def test_throttling_ends_in_one_line(rds):
    client, stubber = rds
    stubber.add_client_error(
        "describe_db_clusters", service_error_code="Throttling", service_message="Rate exceeded", http_status_code=400
    )
    code, _, err = run(["--cluster", "aurora-prod", "status"], client)
    assert (code, err) == (1, "error: Throttling: Rate exceeded\n")
