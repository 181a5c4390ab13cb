"""What keeps costing, as the pages say it: the teardown page's queries find what `ops` creates
(checked with the JMESPath that the AWS CLI's `--query` runs, on the names `ops` itself derives),
its commands are ones the AWS CLI has, the Extended Support opt-out is a ModifyDBCluster parameter
of the locked botocore, and the README quotes the plan's Extended Support figure."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime
from typing import Any

import botocore.session
import jmespath
import pytest
from botocore import xform_name

from ops import cluster_ops, new_cluster, snapshot_ops
from plan import cost
from plan.engine import PROJECT_ROOT
from plan.snapshot import take
from settings.checks import ENGINE_LIFECYCLE_SUPPORTS
from settings.derived_names import final_snapshot_identifier, promotion_snapshot_identifier

TEARDOWN = PROJECT_ROOT / "docs" / "teardown.md"
UPGRADE_NOTES = PROJECT_ROOT / "docs" / "upgrade-notes.md"
README = PROJECT_ROOT / "README.md"
MAJOR_UPGRADE = PROJECT_ROOT / "docs" / "major-upgrade.md"
DISASTER_RECOVERY = PROJECT_ROOT / "docs" / "disaster-recovery.md"
NOW = datetime(2026, 12, 6, 1, 2, 3, tzinfo=UTC)
PROD_TAGS = [{"Key": "Project", "Value": "aurora"}, {"Key": "Stack", "Value": "prod"}, {"Key": "ManagedBy", "Value": "pulumi"}]
RDS = botocore.session.get_session().get_service_model("rds")


def aws_commands(path, service: str) -> list[list[str]]:
    """Every `aws <service> ...` command in the page's fenced blocks, continuation lines joined."""
    text = path.read_text().replace("\\\n", " ")
    blocks = re.findall(r"^[ \t]*```sh\n(.*?)^[ \t]*```", text, re.MULTILINE | re.DOTALL)
    commands = [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]
    return [words for words in commands if words[:2] == ["aws", service]]


def query_of(command: list[str]) -> str:
    return command[command.index("--query") + 1]


def teardown_query(operation: str) -> str:
    [command] = [c for c in aws_commands(TEARDOWN, "rds") if c[2] == operation and "--query" in c]
    return query_of(command)


class FakeRds:
    """Just enough of RDS for `ops snapshot` and `ops copy-snapshot` to name what they create."""

    def __init__(self, region: str):
        self.meta = type("Meta", (), {"region_name": region})()
        self.snapshots: dict[str, dict[str, Any]] = {}

    def describe_db_clusters(self, DBClusterIdentifier):  # noqa: N803 (boto3's parameter names)
        return {"DBClusters": [{"DBClusterIdentifier": DBClusterIdentifier}]}

    def create_db_cluster_snapshot(self, DBClusterIdentifier, DBClusterSnapshotIdentifier, Tags=()):  # noqa: N803
        self.snapshots[DBClusterSnapshotIdentifier] = self._snapshot(DBClusterSnapshotIdentifier, DBClusterIdentifier)
        return {"DBClusterSnapshot": self.snapshots[DBClusterSnapshotIdentifier]}

    def remove_tags_from_resource(self, ResourceName, TagKeys):  # noqa: N803
        pass

    def copy_db_cluster_snapshot(self, SourceDBClusterSnapshotIdentifier, TargetDBClusterSnapshotIdentifier, **_):  # noqa: N803
        source = SourceDBClusterSnapshotIdentifier.rsplit(":", 1)[1]
        # A copy records the cluster its source was taken from (DBClusterSnapshot.DBClusterIdentifier).
        self.snapshots[TargetDBClusterSnapshotIdentifier] = self._snapshot(TargetDBClusterSnapshotIdentifier, self.origin[source])

    def describe_db_cluster_snapshots(self, DBClusterSnapshotIdentifier=None, **_):  # noqa: N803
        if DBClusterSnapshotIdentifier is None:  # a listing: `ops snapshot` looks for an unfinished one, copy-snapshot for a copy
            return {"DBClusterSnapshots": list(self.snapshots.values())}
        return {"DBClusterSnapshots": [self.snapshots[DBClusterSnapshotIdentifier]]}

    def _snapshot(self, name: str, cluster: str) -> dict[str, Any]:
        arn = f"arn:aws:rds:{self.meta.region_name}:123456789012:cluster-snapshot:{name}"
        return {
            "DBClusterSnapshotIdentifier": name,
            "DBClusterIdentifier": cluster,
            "Status": "available",
            "DBClusterSnapshotArn": arn,
        }


def made_by_ops() -> list[dict[str, Any]]:
    """The snapshot `ops snapshot` takes without a name, and its `ops copy-snapshot` copy."""
    east, west = FakeRds("us-east-1"), FakeRds("us-west-2")
    waiting = cluster_ops.Waiting(clock=lambda: 0.0, sleep=lambda seconds: None)
    taken = cluster_ops.snapshot(east, "aurora-prod", None, lambda question: None, lambda note: None, waiting, NOW)["snapshot"]
    west.origin = {taken: "aurora-prod"}
    copied = snapshot_ops.copy_to_region(east, west, taken, "us-east-1", "us-west-2", None, lambda note: None, waiting, NOW)[
        "snapshot"
    ]
    return [east.snapshots[taken], west.snapshots[copied]]


def test_the_snapshot_query_finds_every_snapshot_of_the_project_and_only_those():
    ours = [
        {
            "DBClusterSnapshotIdentifier": final_snapshot_identifier("aurora-prod", "0a1b2c3d"),
            "DBClusterIdentifier": "aurora-prod",
        },
        {
            "DBClusterSnapshotIdentifier": final_snapshot_identifier("aurora-prod-us-west-2", "0a1b2c3d"),
            "DBClusterIdentifier": "aurora-prod-us-west-2",
        },
        {
            "DBClusterSnapshotIdentifier": promotion_snapshot_identifier("aurora-prod", "0a1b2c3d"),
            "DBClusterIdentifier": "aurora-dev",
        },
        *made_by_ops(),
        # A snapshot of a clone named with the project's prefix.
        {"DBClusterSnapshotIdentifier": "before-upgrade", "DBClusterIdentifier": "aurora-prod-rehearsal"},
    ]
    assert [s["DBClusterSnapshotIdentifier"] for s in ours[3:5]] == [
        "aurora-prod-20261206-010203",
        "aurora-prod-20261206-010203-us-west-2-20261206010203",
    ]
    other = {"DBClusterSnapshotIdentifier": "billing-final-1", "DBClusterIdentifier": "billing"}
    found = jmespath.search(teardown_query("describe-db-cluster-snapshots"), {"DBClusterSnapshots": [*ours, other]})
    assert [row[0] for row in found] == [s["DBClusterSnapshotIdentifier"] for s in ours]


def test_the_cluster_query_finds_a_clone_by_the_tags_ops_copies():
    """`ops clone` and `ops restore` copy the source's tags and deletion protection
    (ops/new_cluster.py `_cluster_settings`): after the stacks are destroyed, a cluster with the
    project's tag is one of theirs."""
    source = {"TagList": PROD_TAGS, "DeletionProtection": True, "DBClusterParameterGroup": "p"}
    copied = new_cluster._cluster_settings(source)
    clone = {
        "DBClusterIdentifier": "aurora-prod-rehearsal",
        "TagList": copied["Tags"],
        "DeletionProtection": copied["DeletionProtection"],
        "DBClusterMembers": [{"DBInstanceIdentifier": new_cluster.instance_name("aurora-prod-rehearsal")}],
    }
    other = {"DBClusterIdentifier": "billing", "TagList": [{"Key": "Project", "Value": "billing"}], "DBClusterMembers": []}
    untagged = {"DBClusterIdentifier": "scratch", "TagList": [], "DBClusterMembers": []}
    found = jmespath.search(teardown_query("describe-db-clusters"), {"DBClusters": [clone, other, untagged]})
    assert found == [["aurora-prod-rehearsal", True, ["aurora-prod-rehearsal-instance-1"]]]


def test_a_clone_is_deleted_protection_first_then_its_instance_then_the_cluster():
    operations = [c[2] for c in aws_commands(TEARDOWN, "rds") if "<name>" in " ".join(c)]
    assert operations == ["modify-db-cluster", "delete-db-instance", "wait", "delete-db-cluster"]
    [unprotect] = [c for c in aws_commands(TEARDOWN, "rds") if c[2] == "modify-db-cluster"]
    assert "--no-deletion-protection" in unprotect
    # The instance the clone has, as ops names it.
    [delete_instance] = [c for c in aws_commands(TEARDOWN, "rds") if c[2] == "delete-db-instance"]
    assert delete_instance[-1] == new_cluster.instance_name("<name>")


def cli_options(operation: str) -> set[str]:
    """The AWS CLI's options for an RDS operation: each input member, hyphenated, and the boolean
    members' `--no-` forms (what `aws rds <operation> help` lists)."""
    members = RDS.operation_model(operation).input_shape.members
    options = {f"--{xform_name(name, '-')}" for name in members}
    options |= {f"--no-{xform_name(name, '-')}" for name, shape in members.items() if shape.type_name == "boolean"}
    return options | {"--query", "--output", "--region"}


@pytest.mark.parametrize("page", [TEARDOWN, UPGRADE_NOTES, MAJOR_UPGRADE, DISASTER_RECOVERY], ids=lambda p: p.name)
def test_every_rds_command_on_the_page_uses_options_the_cli_has(page):
    waiters = botocore.session.get_session().get_waiter_model("rds").waiter_names
    for command in aws_commands(page, "rds"):
        if command[2] == "wait":
            assert command[3] in {xform_name(name, "-") for name in waiters}
            continue
        operation = "".join(part.title() for part in command[2].split("-")).replace("Db", "DB")
        options = {word for word in command[3:] if word.startswith("--")}
        assert options <= cli_options(operation), (command, options - cli_options(operation))


def test_the_extended_support_opt_out_is_a_modify_db_cluster_parameter():
    """botocore rds ModifyDBCluster EngineLifecycleSupport: "You can use this setting to enroll your
    DB cluster into Amazon RDS Extended Support or to opt out"."""
    member = RDS.operation_model("ModifyDBCluster").input_shape.members["EngineLifecycleSupport"]
    assert "or to opt out" in member.documentation
    [command] = [c for c in aws_commands(UPGRADE_NOTES, "rds") if c[2] == "modify-db-cluster"]
    value = command[command.index("--engine-lifecycle-support") + 1]
    assert value == "open-source-rds-extended-support-disabled" and value in ENGINE_LIFECYCLE_SUPPORTS
    assert value in member.documentation


@pytest.mark.engine
def test_the_readme_quotes_prods_extended_support_charge_as_the_plan_prints_it():
    estimate = cost.estimate(take("prod"))
    [note] = [n for n in estimate.notes if "Extended Support: enrolled" in n]
    monthly, since = re.search(r"(\$([\d,.]+) a month) from (\d{4}-\d\d-\d\d)", note).group(1, 3)
    amount = float(monthly[1:].split()[0].replace(",", ""))
    text = " ".join(README.read_text().split())
    assert f'"{monthly} from {since}", +{round(amount / estimate.total * 100)}% on prod\'s ${round(estimate.total)}' in text
    assert "engineLifecycleSupport: open-source-rds-extended-support-disabled" in text


def test_the_rehearsal_clone_is_upgraded_with_a_parameter_group_of_the_new_family():
    """`ops clone` copies the source's cluster parameter group (ops/new_cluster.py), of the 8.0
    family: the clone's major upgrade names a group of the 8.4 family in the same ModifyDBCluster."""
    commands = aws_commands(MAJOR_UPGRADE, "rds")
    [create] = [c for c in commands if c[2] == "create-db-cluster-parameter-group"]
    [upgrade] = [c for c in commands if c[2] == "modify-db-cluster"]
    group = create[create.index("--db-cluster-parameter-group-name") + 1]
    assert create[create.index("--db-parameter-group-family") + 1] == "aurora-mysql8.4"
    assert upgrade[upgrade.index("--db-cluster-parameter-group-name") + 1] == group
    assert upgrade[upgrade.index("--engine-version") + 1].startswith("8.4.mysql_aurora.")
    assert "--allow-major-version-upgrade" in upgrade
    assert new_cluster._cluster_settings({"DBClusterParameterGroup": "g"})["DBClusterParameterGroupName"] == "g"


def test_the_major_upgrade_example_runs_the_stacks_version():
    from settings.model import DEFAULT_ENGINE_VERSION

    text = MAJOR_UPGRADE.read_text()
    running = set(re.findall(r"8\.0\.mysql_aurora\.3\.\d+\.\d+", text))
    assert running == {DEFAULT_ENGINE_VERSION}
