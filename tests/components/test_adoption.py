"""Adopting a cluster built in the console (`aurora:adopt`, issue #30): the program imports the
cluster, every instance, the subnet group and the existing log groups by id, protected, sending the
live value of every replace-forcing attribute; a stack that would replace the cluster is refused
before anything is declared; the second `up` after the import plans nothing.

The console's clusters are modelled as AWS reports them (botocore rds model DescribeDBClusters /
DescribeDBInstances, in the provider's names): Serverless v2 0.5 to 4 ACU in the default VPC with a
plain master password and the Data API (tests/helpers.py CONSOLE_SERVERLESS), and provisioned with a
reader in another zone, backtrack and the four log exports (CONSOLE_PROVISIONED).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from awsfacts.replacement import REPLACING_PROPERTIES
from plan.diff import Change, render
from plan.engine import PROJECT_ROOT, AccountState, Deployment, RecordingMonitor, run_program
from plan.readback import fake_account, next_up, state_of
from plan.snapshot import Snapshot, snapshot_of
from settings.derived_names import log_group_name
from settings.loading import ConfigError
from tests.helpers import CONSOLE_KEY, CONSOLE_PROVISIONED, CONSOLE_SERVERLESS, CONSOLE_SUBNETS

pytestmark = pytest.mark.engine

CLUSTER = "aws:rds/cluster:Cluster"
INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
STACK = "console"
REGION = "us-east-1"
AWS_MANAGED_KEY = CONSOLE_SERVERLESS["adopt"]["live"]["kmsKeyId"]

# Replace-forcing attributes (awsfacts/replacement.py) the program leaves unsent for an adopted cluster,
# and why each plans nothing: Optional+Computed in terraform-provider-aws (rds/cluster.go,
# cluster_instance.go), so an unsent value keeps what AWS reports, or in the resource's ignore_changes.
UNSENT = {
    CLUSTER: {
        "availabilityZones": "ignore_changes (RDS reports three zones whatever was asked)",
        "databaseName": "Optional+Computed: the console's initial database, if any, is kept",
        "region": "Optional+Computed: the stack's region, where the rules put the instances",
        "snapshotIdentifier": "only with restoreFrom, refused with adopt",
        "sourceRegion": "never sent by this program",
        "restoreToPointInTime": "never sent by this program",
        "s3Import": "never sent by this program",
    },
    INSTANCE: {
        "dbSubnetGroupName": "Optional+Computed: the cluster's subnet group",
        "region": "Optional+Computed: the stack's region",
    },
    SUBNET_GROUP: {"region": "Optional+Computed: the stack's region"},
    LOG_GROUP: {"region": "Optional+Computed: the stack's region"},
}


def console_account(aurora: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """The console's resources as AWS reports them, by the resource the program declares for each:
    every replace-forcing attribute (in the provider's names) and what the deployed-state reads ask."""
    adopt, live = aurora["adopt"], aurora["adopt"]["live"]
    cluster = adopt["cluster"]
    serverless = aurora["capacityType"] == "serverless"
    instance_class = "db.serverless" if serverless else aurora["provisioned"]["instanceClass"]
    resources = {
        (CLUSTER, "database-cluster"): {
            "clusterIdentifier": cluster,
            "engine": "aurora-mysql",
            "engineMode": live["engineMode"],
            "engineVersion": "8.0.mysql_aurora.3.10.5",
            "storageEncrypted": live["storageEncrypted"],
            "kmsKeyId": live["kmsKeyId"],
            "masterUsername": live["masterUsername"],
            "dbSubnetGroupName": adopt["subnetGroup"]["name"],
            "availabilityZones": [f"{REGION}a", f"{REGION}b", f"{REGION}c"],
            "iamDatabaseAuthenticationEnabled": live["iamDatabaseAuthenticationEnabled"],
            "tags": {},
        },
        (SUBNET_GROUP, "network-db-subnets"): {
            "name": adopt["subnetGroup"]["name"],
            "description": aurora["network"]["subnetGroupDescription"],
            "subnetIds": CONSOLE_SUBNETS,
        },
    }
    for number, instance in enumerate(adopt["instances"], start=1):
        resources[(INSTANCE, f"database-instance-{number}")] = {
            "identifier": instance["identifier"],
            "clusterIdentifier": cluster,
            "engine": "aurora-mysql",
            "availabilityZone": instance["availabilityZone"],
            "instanceClass": instance_class,
            "caCertIdentifier": "rds-ca-rsa2048-g1",
        }
    for log_type in adopt["logGroups"]:
        resources[(LOG_GROUP, f"database-log-{log_type}")] = {"name": log_group_name(cluster, log_type)}
    return resources


def stack_root(tmp_path: Path, aurora: dict[str, Any]) -> Path:
    """A project root holding the program and `Pulumi.console.yaml` with these `aurora:*` values."""
    root = tmp_path / f"root-{len(list(tmp_path.iterdir()))}"
    root.mkdir()
    for file_name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / file_name, root / file_name)
    config = {"aws:region": REGION, **{f"aurora:{key}": value for key, value in aurora.items()}}
    (root / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return root


def adopt_run(tmp_path: Path, aurora: dict[str, Any]) -> Deployment:
    """The first `up` of a stack that adopts the console's cluster, in the account that holds it."""
    return run_program(STACK, root=stack_root(tmp_path, aurora), deployed=AccountState(console_account(aurora)))


def adopting(aurora: dict[str, Any], **live: Any) -> dict[str, Any]:
    changed = copy.deepcopy(aurora)
    changed["adopt"]["live"].update(live)
    return changed


@pytest.fixture(scope="module")
def serverless(tmp_path_factory) -> Deployment:
    return adopt_run(tmp_path_factory.mktemp("serverless"), CONSOLE_SERVERLESS)


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory) -> Deployment:
    return adopt_run(tmp_path_factory.mktemp("provisioned"), CONSOLE_PROVISIONED)


# --- the import ------------------------------------------------------------------------------


def test_the_serverless_cluster_and_its_writer_are_imported_by_id_and_protected(serverless):
    cluster = serverless.one(CLUSTER)
    [writer] = serverless.of_type(INSTANCE)
    assert (cluster.import_id, cluster.protect) == ("database-1", True)
    assert (writer.import_id, writer.protect) == ("database-1-instance-1", True)
    assert (writer.inputs["identifier"], writer.inputs["availabilityZone"]) == ("database-1-instance-1", "us-east-1a")
    assert writer.inputs["instanceClass"] == "db.serverless"


def test_the_provisioned_cluster_and_each_instance_keep_their_names_and_zones(provisioned):
    cluster = provisioned.one(CLUSTER)
    instances = sorted(provisioned.of_type(INSTANCE), key=lambda r: r.name)
    assert (cluster.import_id, cluster.protect) == ("orders", True)
    assert [(i.import_id, i.protect, i.inputs["identifier"], i.inputs["availabilityZone"]) for i in instances] == [
        ("orders-instance-1", True, "orders-instance-1", "us-east-1a"),
        ("orders-instance-1-us-east-1b", True, "orders-instance-1-us-east-1b", "us-east-1b"),
    ]
    assert cluster.inputs["backtrackWindow"] == 86400
    assert cluster.inputs["enabledCloudwatchLogsExports"] == ["audit", "error", "general", "slowquery"]


def test_an_adopted_cluster_is_placed_where_it_runs_without_asking_where_classes_are_sold(provisioned):
    assert not [token for token, _ in provisioned.invokes if token == "aws:rds/getOrderableDbInstance:getOrderableDbInstance"]


def test_the_subnet_group_is_imported_under_its_name_with_its_description_and_subnets(serverless):
    group = serverless.one(SUBNET_GROUP)
    # Not protected, like the program's own: replacing it would need the (protected) cluster replaced.
    assert (group.import_id, group.protect) == ("default-vpc-0abc1234", False)
    assert group.inputs["name"] == "default-vpc-0abc1234"
    assert group.inputs["description"] == "Created from the RDS Management Console"
    assert group.inputs["subnetIds"] == CONSOLE_SUBNETS
    assert serverless.one(CLUSTER).inputs["dbSubnetGroupName"] == "default-vpc-0abc1234"


def test_existing_log_groups_are_imported_by_name_and_the_others_created(serverless, provisioned):
    groups = {r.name: (r.import_id, r.protect) for r in serverless.of_type(LOG_GROUP)}
    assert groups == {
        # Unprotected like the ones the program creates: their options stay when the section goes.
        "database-log-error": ("/aws/rds/cluster/database-1/error", False),
        "database-log-slowquery": ("", False),
    }
    assert {r.import_id for r in provisioned.of_type(LOG_GROUP)} == {
        f"/aws/rds/cluster/orders/{log_type}" for log_type in ("audit", "error", "general", "slowquery")
    }


@pytest.mark.parametrize("shape", ["serverless", "provisioned"])
def test_every_replace_forcing_attribute_is_sent_as_it_runs_or_left_to_aws(shape, request):
    """Sent: equal to what AWS reports. Unsent: a reason it plans nothing (UNSENT)."""
    deployment = request.getfixturevalue(shape)
    account = console_account(CONSOLE_SERVERLESS if shape == "serverless" else CONSOLE_PROVISIONED)
    imported = [r for r in deployment.resources if r.import_id]
    assert {(r.type, r.name) for r in imported} == set(account)
    for resource in imported:
        live = account[(resource.type, resource.name)]
        replacing = REPLACING_PROPERTIES[resource.type]
        sent = {key: resource.inputs[key] for key in replacing if key in resource.inputs}
        assert sent == {key: live[key] for key in sent}, resource.name
        assert replacing - set(sent) <= set(UNSENT[resource.type]), (resource.name, replacing - set(sent))
        assert set(sent) | set(UNSENT[resource.type]) >= replacing


def test_the_cluster_sends_the_live_key_encryption_user_and_mode(serverless, provisioned):
    for deployment, key in ((serverless, AWS_MANAGED_KEY), (provisioned, CONSOLE_KEY)):
        inputs = deployment.one(CLUSTER).inputs
        assert (inputs["kmsKeyId"], inputs["storageEncrypted"], inputs["engineMode"], inputs["masterUsername"]) == (
            key,
            True,
            "provisioned",
            "admin",
        )


def test_without_adoption_nothing_is_imported(dev, prod):
    assert [r.name for r in [*dev.resources, *prod.resources] if r.import_id] == []


# --- the guard, before anything is declared ----------------------------------------------------


@pytest.fixture
def monitors(monkeypatch) -> list[RecordingMonitor]:
    """Each run's mock monitor, so a refused run shows what it registered before the refusal."""
    found: list[RecordingMonitor] = []
    record = RecordingMonitor.__init__

    def keep(self, mocks):
        record(self, mocks)
        found.append(self)

    monkeypatch.setattr(RecordingMonitor, "__init__", keep)
    return found


def refused(tmp_path: Path, aurora: dict[str, Any], monitors: list[RecordingMonitor]) -> list[str]:
    """The refusal lines of a first run, checking that not one resource was registered before it."""
    with pytest.raises(ConfigError) as caught:
        adopt_run(tmp_path, aurora)
    [monitor] = monitors
    assert monitor.registrations == []
    return caught.value.problems


@pytest.mark.parametrize(
    ("live", "fragments"),
    [
        (
            {"storageEncrypted": False, "kmsKeyId": None},
            ["aurora:adopt.live.storageEncrypted is false but the program's is true", "copy-db-cluster-snapshot", "restoreFrom"],
        ),
        ({"masterUsername": "dba"}, ["aurora:adopt.live.masterUsername is 'dba' but the program's is 'admin'", "masterUsername"]),
    ],
)
def test_a_replace_forcing_difference_is_refused_before_any_resource(tmp_path, monitors, live, fragments):
    [line] = refused(tmp_path, adopting(CONSOLE_SERVERLESS, **live), monitors)
    assert "forces a new cluster" in line
    for fragment in fragments:
        assert fragment in line


def test_another_storage_key_than_the_live_one_is_refused(tmp_path, monitors):
    other = CONSOLE_KEY.replace("1234abcd", "9999abcd")
    [line] = refused(tmp_path, {**CONSOLE_PROVISIONED, "kmsKeyId": other}, monitors)
    assert line.startswith(f"aurora:adopt.live.kmsKeyId is '{CONSOLE_KEY}' but the program's is '{other}': kmsKeyId forces")


def test_in_place_changes_are_refused_until_accepted_each_naming_its_entry(tmp_path, monitors):
    unaccepted = copy.deepcopy(CONSOLE_SERVERLESS)
    unaccepted["adopt"]["acceptChanges"] = ["securityGroups"]
    found = refused(tmp_path, unaccepted, monitors)
    assert [line.rsplit("add ", 1)[1] for line in found] == [
        "masterPasswordToSecretsManager to aurora:adopt.acceptChanges",
        "parameterGroup to aurora:adopt.acceptChanges",
        "instanceSettings to aurora:adopt.acceptChanges",
        "tags to aurora:adopt.acceptChanges",
    ]
    assert "clients using the old password stop working" in found[0]


def test_accepted_changes_are_warned_and_the_cluster_gets_the_programs_settings(serverless):
    inputs = serverless.one(CLUSTER).inputs
    assert inputs["manageMasterUserPassword"] is True
    assert inputs["iamDatabaseAuthenticationEnabled"] is False  # live and settings agree: no change


# --- the second run ------------------------------------------------------------------------------


def state_after_import(deployment: Deployment, aurora: dict[str, Any]) -> Snapshot:
    """The state after the first `up`: what the provider read on import, updated with what the first
    `up` sent and read back through plan/readback.py's model (every attribute sent is what the state
    then holds); the live attributes the program does not send stay as AWS reports them."""
    state = state_of(snapshot_of(STACK, REGION, deployment), fake_account(REGION))
    live = console_account(aurora)
    for resource in state.resources:
        resource.inputs = {**live.get((resource.type, resource.name), {}), **resource.inputs}
    return state


def plan_text(changes: list[Change]) -> str:
    return "\n".join(render(changes, 0, "the import", STACK))


@pytest.mark.parametrize("shape", ["serverless", "provisioned"])
def test_the_second_up_after_the_import_plans_nothing(shape, tmp_path, request):
    aurora = CONSOLE_SERVERLESS if shape == "serverless" else CONSOLE_PROVISIONED
    state = state_after_import(request.getfixturevalue(shape), aurora)
    _, changes = next_up(STACK, state, root=stack_root(tmp_path, aurora))
    assert changes == [], plan_text(changes)


@pytest.mark.parametrize("shape", ["serverless", "provisioned"])
def test_removing_the_adoption_section_after_the_import_plans_nothing(shape, tmp_path, request):
    """What the program sends comes from settings ops adopt writes (protect, instanceIdentifiers,
    network.subnetGroupDescription), not from the section: without it nothing changes, not even an
    option. The console names a reader `<writer>-<zone>`, which instanceIdentifiers keeps."""
    aurora = CONSOLE_SERVERLESS if shape == "serverless" else CONSOLE_PROVISIONED
    state = state_after_import(request.getfixturevalue(shape), aurora)
    without = {key: value for key, value in aurora.items() if key != "adopt"}
    _, changes = next_up(STACK, state, root=stack_root(tmp_path, without))
    assert changes == [], plan_text(changes)


def test_an_instance_the_stack_would_rename_is_refused_before_anything_is_declared(provisioned, tmp_path, monitors):
    """Without instanceIdentifiers the program would declare `orders-instance-2` for the reader the
    console named `orders-instance-1-us-east-1b`, and the identifier is ForceNew
    (rds/cluster_instance.go): a replacement. Refused before anything is declared."""
    state = state_after_import(provisioned, CONSOLE_PROVISIONED)
    without = {key: value for key, value in CONSOLE_PROVISIONED.items() if key not in ("adopt", "instanceIdentifiers")}
    with pytest.raises(ConfigError) as caught:
        next_up(STACK, state, root=stack_root(tmp_path, without))
    assert caught.value.problems == [
        "the cluster's instances ['orders-instance-1-us-east-1b'] have names the stack does not declare "
        "(['orders-instance-1', 'orders-instance-2']): they would be renamed, which replaces them; set "
        "aurora:instanceIdentifiers to their names, the writer first (docs/adopt.md)"
    ]
    assert monitors[-1].registrations == []
