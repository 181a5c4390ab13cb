"""Backtrack and status through botocore's Stubber (moto has neither backtrack nor pending maintenance)."""

import json
from datetime import timedelta

import pytest

from tests.ops.ops_harness import NOW, StubSession, Terminal, run

ARN = "arn:aws:rds:us-east-1:123456789012:cluster:aurora-prod"
MEMBERS = [
    {"DBInstanceIdentifier": "aurora-prod-instance-1", "IsClusterWriter": True, "PromotionTier": 0},
    {"DBInstanceIdentifier": "aurora-prod-instance-2", "IsClusterWriter": False, "PromotionTier": 1},
]


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
    return {"DBClusters": [{key: value for key, value in {**base, **fields}.items() if value is not None}]}


def expect_no_earlier_backtrack(stubber):
    stubber.add_response("describe_db_cluster_backtracks", {"DBClusterBacktracks": []}, {"DBClusterIdentifier": "aurora-prod"})


@pytest.fixture
def rds(stub):
    client, stubber = stub("rds")
    return StubSession(rds=client), stubber


def test_backtrack_minutes_ago_inside_the_window_runs_and_waits(rds):
    session, stubber = rds
    target = NOW - timedelta(minutes=30)
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_no_earlier_backtrack(stubber)
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
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "--json", "backtrack", "--minutes-ago", "30"], session)
    assert code == 0, err
    assert json.loads(out) == {
        "cluster": "aurora-prod",
        "backtrackedTo": "2026-11-26T11:30:00+00:00",
        "backtrack": "bt-1",
        "seconds": 10.0,
    }
    assert "waiting for the backtrack: IN_PROGRESS (0s)" in err


def test_backtrack_outside_the_window_is_refused_before_anything_runs(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--to", "2026-11-25T01:00:00Z"], session)
    assert code == 1
    assert err.count("\n") == 1
    assert "2026-11-25T01:00:00+00:00 is outside the backtrack window of 'aurora-prod'" in err
    assert "backtrack window 24 hours" in err and "earliest backtrack time 2026-11-25T16:00:00+00:00" in err


def test_backtrack_before_the_cluster_reports_a_window_says_so(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(EarliestBacktrackTime=None), {"DBClusterIdentifier": "aurora-prod"})
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--minutes-ago", "10"], session)
    assert code == 1 and err.count("\n") == 1
    assert "the cluster reports no earliest backtrack time" in err


def test_backtrack_to_a_future_time_is_refused_before_any_call(rds):
    session, _ = rds  # no response queued: any AWS call would fail the test
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--to", "2026-11-26T12:00:01Z"], session)
    assert (code, err) == (
        1,
        "error: 2026-11-26T12:00:01+00:00 is in the future (now is 2026-11-26T12:00:00+00:00): backtrack only goes back\n",
    )


def test_backtrack_declined_changes_nothing(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_no_earlier_backtrack(stubber)
    code, _, err = run(["--cluster", "aurora-prod", "backtrack", "--minutes-ago", "10"], session, stdin=Terminal("no\n"))
    assert code == 1 and err.endswith("error: not confirmed: nothing was changed\n")
    assert "Every change after that moment is undone" in err


def test_backtrack_on_a_cluster_without_it_explains_why(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(BacktrackWindow=0), {"DBClusterIdentifier": "aurora-prod"})
    code, out, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--minutes-ago", "10"], session)
    assert (code, out) == (1, "")
    assert err == "error: cluster 'aurora-prod' has backtrack off; it can only be switched on at create or restore\n"


def test_a_failed_backtrack_exits_non_zero(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_no_earlier_backtrack(stubber)
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
    code, _, err = run(["--cluster", "aurora-prod", "--yes", "backtrack", "--minutes-ago", "10"], session)
    assert (code, err.splitlines()[-1]) == (1, "error: backtrack bt-2 of 'aurora-prod' failed; see the cluster's events")


def instance(number, zone):
    return {
        "DBInstances": [
            {
                "DBInstanceIdentifier": f"aurora-prod-instance-{number}",
                "DBInstanceArn": f"arn:aws:rds:us-east-1:123456789012:db:aurora-prod-instance-{number}",
                "DBInstanceClass": "db.r7g.large",
                "AvailabilityZone": zone,
                "DBInstanceStatus": "available",
                "PreferredMaintenanceWindow": "tue:03:00-tue:03:30",
            }
        ]
    }


def expect_instances(stubber):
    for number, zone in ((1, "us-east-1a"), (2, "us-east-1b")):
        stubber.add_response(
            "describe_db_instances", instance(number, zone), {"DBInstanceIdentifier": f"aurora-prod-instance-{number}"}
        )


CLUSTER_FILTER = {"Filters": [{"Name": "db-cluster-id", "Values": [ARN]}]}
INSTANCE_FILTER = {"Filters": [{"Name": "db-instance-id", "Values": ["aurora-prod-instance-1", "aurora-prod-instance-2"]}]}


def expect_full_status(stubber):
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_instances(stubber)
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
        CLUSTER_FILTER,
    )
    stubber.add_response(
        "describe_pending_maintenance_actions",
        {
            "PendingMaintenanceActions": [
                {
                    "ResourceIdentifier": "arn:aws:rds:us-east-1:123456789012:db:aurora-prod-instance-2",
                    "PendingMaintenanceActionDetails": [{"Action": "os-upgrade", "Description": "New OS image"}],
                }
            ]
        },
        INSTANCE_FILTER,
    )


def test_status_shows_members_windows_and_pending_maintenance_of_cluster_and_instances(rds):
    session, stubber = rds
    expect_full_status(stubber)
    code, out, err = run(["--cluster", "aurora-prod", "--json", "status"], session)
    assert code == 0, err
    status = json.loads(out)
    assert [(i["role"], i["instance"], i["zone"], i["tier"]) for i in status["instances"]] == [
        ("writer", "aurora-prod-instance-1", "us-east-1a", 0),
        ("reader", "aurora-prod-instance-2", "us-east-1b", 1),
    ]
    assert status["backtrackWindowHours"] == 24
    assert status["latestRestorableTime"] == "2026-11-26T11:55:00+00:00"
    # NOW is Thursday 2026-11-26 12:00 UTC: the next Sunday 05:00 is the 29th, the next Tuesday 03:00 is 1 December.
    assert status["nextMaintenanceWindow"] == "2026-11-29T05:00:00+00:00"
    assert status["pendingMaintenance"] == [
        {
            "resource": "aurora-prod",
            "action": "system-update",
            "kind": "required",
            "deferrableUntil": "2026-12-03T12:00:00+00:00",
            "nextWindow": "2026-11-29T05:00:00+00:00",
            "description": "Aurora patch",
        },
        {
            "resource": "aurora-prod-instance-2",
            "action": "os-upgrade",
            "kind": "available",
            "deferrableUntil": "indefinitely",
            "nextWindow": "2026-12-01T03:00:00+00:00",
            "description": "New OS image",
        },
    ]
    assert status["couldNotRead"] == []


def test_status_text_is_aligned_tables_not_python_reprs(rds):
    session, stubber = rds
    expect_full_status(stubber)
    code, out, err = run(["--cluster", "aurora-prod", "status"], session)
    assert code == 0, err
    assert "instances\n  role    instance                class         zone        tier  status\n" in out
    assert "  writer  aurora-prod-instance-1  db.r7g.large  us-east-1a  0     available\n" in out
    assert "serverlessCapacity     -\n" in out
    for python_text in ("None", "{'", "[{", "True", "False"):
        assert python_text not in out


def test_status_survives_a_refused_maintenance_read_and_names_it(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_instances(stubber)
    for _ in range(2):
        stubber.add_client_error(
            "describe_pending_maintenance_actions",
            service_error_code="AccessDenied",
            service_message="not authorized to perform: rds:DescribePendingMaintenanceActions",
            http_status_code=403,
        )
    code, out, err = run(["--cluster", "aurora-prod", "--json", "status"], session)
    assert code == 0, err
    status = json.loads(out)
    assert status["instances"][0]["class"] == "db.r7g.large"
    assert status["pendingMaintenance"] == "not read: AccessDenied"
    assert status["couldNotRead"] == [
        {
            "what": "pending maintenance of the cluster (rds:DescribePendingMaintenanceActions)",
            "reason": "AccessDenied: not authorized to perform: rds:DescribePendingMaintenanceActions",
        },
        {
            "what": "pending maintenance of the instances (rds:DescribePendingMaintenanceActions)",
            "reason": "AccessDenied: not authorized to perform: rds:DescribePendingMaintenanceActions",
        },
    ]


def test_status_survives_an_unsupported_instance_read(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(DBClusterMembers=MEMBERS[:1]), {"DBClusterIdentifier": "aurora-prod"})
    stubber.add_client_error(
        "describe_db_instances", service_error_code="InvalidAction", service_message="not here", http_status_code=400
    )
    stubber.add_response("describe_pending_maintenance_actions", {"PendingMaintenanceActions": []}, CLUSTER_FILTER)
    stubber.add_response(
        "describe_pending_maintenance_actions",
        {"PendingMaintenanceActions": []},
        {"Filters": [{"Name": "db-instance-id", "Values": ["aurora-prod-instance-1"]}]},
    )
    code, out, err = run(["--cluster", "aurora-prod", "status"], session)
    assert code == 0, err
    assert (
        "  writer  aurora-prod-instance-1  not read: InvalidAction  not read: InvalidAction  0     not read: InvalidAction\n"
        in out
    )
    assert "\ncouldNotRead\n  what " in out
    assert "  instance aurora-prod-instance-1 (rds:DescribeDBInstances)  InvalidAction: not here\n" in out


def test_throttling_ends_in_one_line(rds):
    session, stubber = rds
    stubber.add_client_error(
        "describe_db_clusters", service_error_code="Throttling", service_message="Rate exceeded", http_status_code=400
    )
    code, _, err = run(["--cluster", "aurora-prod", "status"], session)
    assert (code, err) == (1, "error: Throttling: Rate exceeded\n")


def test_status_shows_a_refused_maintenance_read_as_not_read_never_as_none(rds):
    session, stubber = rds
    stubber.add_response("describe_db_clusters", cluster(), {"DBClusterIdentifier": "aurora-prod"})
    expect_instances(stubber)
    stubber.add_response("describe_pending_maintenance_actions", {"PendingMaintenanceActions": []}, CLUSTER_FILTER)
    stubber.add_client_error("describe_pending_maintenance_actions", "AccessDenied", "no", http_status_code=403)
    code, out, err = run(["--cluster", "aurora-prod", "--json", "status"], session)
    assert code == 0, err
    assert json.loads(out)["pendingMaintenance"] == [{"resource": "its instances", "action": "not read: AccessDenied"}]
