"""The adoption guard (settings/adoption.py), pure: each live attribute `ops adopt` recorded against the
program's value of it. Replace-forcing differences and what the program cannot express are refused
with the way out; in-place changes are refused until accepted by name, then warned of."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from awsfacts.replacement import REPLACING_PROPERTIES
from settings import adoption
from settings import checks as v
from settings.deployed import DeployedCluster, DeployedInstance
from tests.helpers import CONSOLE_PROVISIONED, CONSOLE_SERVERLESS, PROJECT_ROOT, console_instance
from tests.settings.helpers import load


def console(stack: dict[str, Any] = CONSOLE_SERVERLESS, accept: list[str] | None = None, **live: Any) -> dict[str, Any]:
    changed = copy.deepcopy(stack)
    changed["adopt"]["live"].update(live)
    if accept is not None:
        changed["adopt"]["acceptChanges"] = accept
    return changed


def test_the_console_stacks_adopt_with_their_accepted_changes_and_nothing_refused():
    for stack in (CONSOLE_SERVERLESS, CONSOLE_PROVISIONED):
        config = load(stack)
        assert adoption.refusals(config) == [] and adoption.unaccepted(config) == []
        assert [re.search(r"\((\w+), accepted\)", line)[1] for line in adoption.accepted(config)] == list(
            stack["adopt"]["acceptChanges"]
        )


def test_a_stack_without_adoption_has_nothing_to_judge():
    config = load({"capacityType": "serverless", "serverless": {"minCapacity": 0}})
    assert adoption.refusals(config) == adoption.unaccepted(config) == adoption.accepted(config) == []


def test_every_change_name_of_the_contract_has_its_attribute_and_effect():
    assert tuple(change.name for change in adoption.CHANGES) == v.ADOPTION_CHANGES


def test_no_in_place_change_is_replace_forcing_and_every_refused_attribute_is():
    """The provider updates the changes' attributes in place (rds/cluster.go, not ForceNew); the
    guard's ways out are for the replace-forcing ones (awsfacts/replacement.py)."""
    replacing = REPLACING_PROPERTIES[adoption.CLUSTER]
    assert not {attribute for change in adoption.CHANGES for attribute in change.attributes} & replacing
    assert set(adoption.WAY_OUT) <= replacing


def test_an_unencrypted_cluster_is_refused_with_the_promotion_path():
    [line] = adoption.refusals(load(console(storageEncrypted=False, kmsKeyId=None)))
    assert line == (
        "aurora:adopt.live.storageEncrypted is false but the program's is true: storageEncrypted forces a new cluster "
        "(ForceNew in terraform-provider-aws rds/cluster.go), so the first up would import the cluster and then "
        "replace it, its data lost; encryption cannot be switched on in place: snapshot the cluster, copy the snapshot "
        "encrypted with a KMS key (aws rds copy-db-cluster-snapshot --kms-key-id), and restore it into this stack "
        "with aurora:restoreFrom.snapshotIdentifier (docs/promotion.md)"
    )


def test_a_serverless_v1_cluster_is_refused():
    [line] = adoption.refusals(load(console(engineMode="serverless")))
    assert line.startswith("aurora:adopt.live.engineMode is 'serverless' but the program's is 'provisioned': engineMode forces")
    assert "Serverless v1 reached end of life" in line


def test_another_master_user_is_refused_naming_the_setting_to_change():
    [line] = adoption.refusals(load(console(masterUsername="dba")))
    assert line.startswith("aurora:adopt.live.masterUsername is 'dba' but the program's is 'admin'")
    assert line.endswith("set aurora:masterUsername to the live user")
    assert adoption.refusals(load({**console(masterUsername="dba"), "masterUsername": "dba"})) == []


def test_a_configured_key_must_be_the_live_one_and_an_unset_one_keeps_it():
    live_key = CONSOLE_PROVISIONED["adopt"]["live"]["kmsKeyId"]
    other = live_key.replace("1234abcd", "9999abcd")
    [line] = adoption.refusals(load({**CONSOLE_PROVISIONED, "kmsKeyId": other}))
    assert line.startswith(f"aurora:adopt.live.kmsKeyId is '{live_key}' but the program's is '{other}'")
    unset = {key: value for key, value in CONSOLE_PROVISIONED.items() if key != "kmsKeyId"}
    assert adoption.refusals(load(unset)) == []


def test_a_global_database_member_is_refused():
    [line] = adoption.refusals(load(console(globalClusterIdentifier="orders-global")))
    assert line == (
        "aurora:adopt.live.globalClusterIdentifier is 'orders-global' but the program's is null: the cluster is a "
        "member of a Global Database, which this program creates but cannot adopt; remove it from the global database "
        "first (aws rds remove-from-global-cluster) or leave it outside Pulumi"
    )


def test_adopting_into_a_global_database_at_once_is_refused():
    stack = {
        **CONSOLE_PROVISIONED,
        "provisioned": {**CONSOLE_PROVISIONED["provisioned"], "backtrackHours": 0},
        "disasterRecovery": {"region": "us-west-2", "mode": "global"},
    }
    [line] = adoption.refusals(load(stack))
    assert line == (
        "aurora:disasterRecovery.mode is 'global' with aurora:adopt: the first up would also give the cluster a "
        "generated master password and a new Global Database; adopt without disasterRecovery, then add it in a later up"
    )


def test_each_in_place_change_is_refused_until_accepted_naming_the_entry():
    found = adoption.unaccepted(
        load(
            console(
                accept=[],
                iamDatabaseAuthenticationEnabled=True,
                enabledCloudwatchLogsExports=[],
                performanceInsightsEnabled=True,
            )
        )
    )
    assert [line.rsplit("add ", 1)[1] for line in found] == [
        f"{name} to aurora:adopt.acceptChanges" for name in v.ADOPTION_CHANGES
    ]
    assert found[2].startswith("aurora:adopt.live.iamDatabaseAuthenticationEnabled is true but the program's is false")


def test_a_password_already_in_secrets_manager_needs_no_acceptance():
    config = load(console(accept=["securityGroups", "parameterGroup", "instanceSettings", "tags"], manageMasterUserPassword=True))
    assert adoption.unaccepted(config) == []
    assert not [line for line in adoption.accepted(config) if "manageMasterUserPassword" in line]


def test_an_accepted_change_is_one_warning_with_its_effect():
    [warning] = [line for line in adoption.accepted(load(CONSOLE_SERVERLESS)) if "securityGroups" in line]
    assert warning == (
        "adopting database-1: the first up changes vpcSecurityGroupIds from ['sg-0defa017'] to the program's database "
        "security group (securityGroups, accepted): the cluster gets the program's own security group in place of "
        "these: clients admitted only by the old groups lose access (the old groups are left as they are)"
    )


def test_check_adoption_raises_every_line_at_once(monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(adoption.pulumi.log, "warn", warnings.append)
    with pytest.raises(adoption.ConfigError) as caught:
        adoption.check_adoption(load(console(accept=[], storageEncrypted=False, kmsKeyId=None)))
    assert len(caught.value.problems) == 6  # the encryption, and five unaccepted changes
    assert warnings == []
    adoption.check_adoption(load(CONSOLE_SERVERLESS))
    assert warnings == adoption.accepted(load(CONSOLE_SERVERLESS)) and len(warnings) == 5


def test_an_accepted_change_of_several_attributes_names_each_in_one_warning():
    [warning] = [line for line in adoption.accepted(load(CONSOLE_SERVERLESS)) if "(tags, accepted)" in line]
    assert warning.startswith(
        "adopting database-1: the first up changes copyTagsToSnapshot from false to true, tags from {} to "
        "{'Project': 'aurora', 'Stack': 'dev', 'ManagedBy': 'pulumi'}, "
    )


# The contract's changes a console cluster needs (its IAM authentication is as the stack says).
FIRST_FOUR = ["masterPasswordToSecretsManager", "securityGroups", "parameterGroup"]
SETTLED_TAGS = {"Project": "aurora", "Stack": "dev", "ManagedBy": "pulumi"}


def settled(stack: dict[str, Any] = CONSOLE_SERVERLESS, accept: list[str] | None = None, **live: Any) -> dict[str, Any]:
    """A console stack whose cluster already has what the program's own choices send: only the
    contract's first four changes are left, and `live` makes one more."""
    names = [instance["identifier"] for instance in stack["adopt"]["instances"]]
    instances = [
        console_instance(name, promotionTier=number, autoMinorVersionUpgrade=False, copyTagsToSnapshot=True, tags=SETTLED_TAGS)
        for number, name in enumerate(names)
    ]
    return console(stack, accept=accept, **({"copyTagsToSnapshot": True, "tags": SETTLED_TAGS, "instances": instances} | live))


def test_a_cluster_with_the_programs_own_choices_needs_only_the_contracts_changes():
    insights = {"performanceInsightsEnabled": True, "databaseInsightsMode": "standard"}
    for stack, live in ((CONSOLE_SERVERLESS, {}), (CONSOLE_PROVISIONED, insights)):
        config = load(settled(stack, accept=[], **live))
        assert [line.rsplit("add ", 1)[1].split(" ")[0] for line in adoption.unaccepted(config)] == FIRST_FOUR


def _instance(stack: dict[str, Any], number: int, **changed: Any) -> list[dict[str, Any]]:
    instances = copy.deepcopy(settled(stack)["adopt"]["live"]["instances"])
    instances[number].update(changed)
    return instances


NEW_CHANGES = {
    "instanceSettings": (CONSOLE_PROVISIONED, {"instances": _instance(CONSOLE_PROVISIONED, 1, publiclyAccessible=True)}),
    "logExports": (CONSOLE_SERVERLESS, {"enabledCloudwatchLogsExports": []}),
    "insightsAndMonitoring": (CONSOLE_SERVERLESS, {"instances": _instance(CONSOLE_SERVERLESS, 0, monitoringInterval=60)}),
    "tags": (CONSOLE_SERVERLESS, {"tags": {**SETTLED_TAGS, "CostCenter": "db"}}),
}


@pytest.mark.parametrize("name", NEW_CHANGES)
def test_each_new_change_is_refused_until_accepted_then_warned(name):
    stack, live = NEW_CHANGES[name]
    insights = {} if stack is CONSOLE_SERVERLESS else {"performanceInsightsEnabled": True, "databaseInsightsMode": "standard"}
    refused = load(settled(stack, accept=FIRST_FOUR, **insights, **live))
    assert [line.rsplit("add ", 1)[1] for line in adoption.unaccepted(refused)] == [f"{name} to aurora:adopt.acceptChanges"]
    allowed = load(settled(stack, accept=[*FIRST_FOUR, name], **insights, **live))
    assert adoption.unaccepted(allowed) == []
    assert [line for line in adoption.accepted(allowed) if f"({name}, accepted)" in line]


def test_instance_settings_name_each_instance_and_what_changes_on_it():
    config = load(
        console(
            CONSOLE_PROVISIONED,
            accept=[],
            instances=[
                console_instance("orders-instance-1"),
                console_instance("orders-instance-1-us-east-1b", publiclyAccessible=True, autoMinorVersionUpgrade=False),
            ],
        )
    )
    [line] = [line for line in adoption.unaccepted(config) if line.endswith("add instanceSettings to aurora:adopt.acceptChanges")]
    assert line.startswith(
        "aurora:adopt.live.instances[0].promotionTier (orders-instance-1) is 1 but the program's is 0, "
        "aurora:adopt.live.instances[0].autoMinorVersionUpgrade (orders-instance-1) is true but the program's is false, "
        "aurora:adopt.live.instances[1].publiclyAccessible (orders-instance-1-us-east-1b) is true but the program's is false: "
        "the first up changes them in place (each instance is set as the program declares it: promotion tier 0 for the "
        "writer and 1, 2, ... for the readers in order"
    )
    assert "not publicly accessible (clients outside the VPC lose access)" in line


def test_log_exports_none_live_become_the_shapes_and_an_order_alone_is_no_change():
    [line] = [line for line in adoption.unaccepted(load(console(enabledCloudwatchLogsExports=[]))) if "logExports" in line]
    assert line.startswith(
        "aurora:adopt.live.enabledCloudwatchLogsExports is [] but the program's is ['error', 'slowquery']: the first up "
        "changes it in place (the cluster exports exactly the log types of aurora:logExports to CloudWatch Logs"
    )
    reordered = load(console(enabledCloudwatchLogsExports=["slowquery", "error"]))
    assert not [line for line in adoption.unaccepted(reordered) if "logExports" in line]


def test_insights_and_monitoring_follow_the_shape():
    serverless = load(console(performanceInsightsEnabled=True, databaseInsightsMode="standard"))
    [line] = [line for line in adoption.unaccepted(serverless) if "insightsAndMonitoring" in line]
    # database_insights_mode is Optional+Computed: unset on the serverless shape, the live mode stays.
    assert line.startswith("aurora:adopt.live.performanceInsightsEnabled is true but the program's is false: the first")
    monitored = copy.deepcopy(CONSOLE_PROVISIONED)
    monitored["provisioned"]["monitoringInterval"] = 60
    role = "arn:aws:iam::123456789012:role/rds-monitoring-role"
    same_interval = [
        console_instance(i["identifier"], monitoringInterval=60, monitoringRoleArn=role) for i in monitored["adopt"]["instances"]
    ]
    config = load(
        console(monitored, accept=[], performanceInsightsEnabled=True, databaseInsightsMode="standard", instances=same_interval)
    )
    [line] = [line for line in adoption.unaccepted(config) if "insightsAndMonitoring" in line]
    assert line.startswith(
        f"aurora:adopt.live.instances[0].monitoringRoleArn (orders-instance-1) is '{role}' but the program's is the "
        "program's monitoring role, aurora:adopt.live.instances[1].monitoringRoleArn"
    )


def test_tags_compare_the_programs_on_the_cluster_and_each_instance():
    config = load(console(accept=[]))
    [line] = [line for line in adoption.unaccepted(config) if line.endswith("add tags to aurora:adopt.acceptChanges")]
    assert line.startswith(
        "aurora:adopt.live.copyTagsToSnapshot is false but the program's is true, aurora:adopt.live.tags is {} but the "
        "program's is {'Project': 'aurora', 'Stack': 'dev', 'ManagedBy': 'pulumi'}, "
        "aurora:adopt.live.instances[0].copyTagsToSnapshot (database-1-instance-1) is false"
    )


def test_live_instances_must_be_the_imported_ones():
    stack = console(instances=[console_instance("database-1-instance-9")])
    [line] = adoption.refusals(load(stack))
    assert line == (
        "aurora:adopt.live.instances records ['database-1-instance-9'] but aurora:adopt.instances imports "
        "['database-1-instance-1']: the guard compares each imported instance with its live record; run ops adopt "
        "again to write both"
    )


def deployed(*identifiers: str) -> DeployedCluster:
    return DeployedCluster(
        "orders",
        "8.0.mysql_aurora.3.10.5",
        instances=tuple(DeployedInstance(identifier, "db.r6g.large", "rds-ca-rsa2048-g1") for identifier in identifiers),
    )


WITHOUT_SECTION = {key: value for key, value in CONSOLE_PROVISIONED.items() if key != "adopt"}
DERIVED_NAMES = {key: value for key, value in WITHOUT_SECTION.items() if key != "instanceIdentifiers"}


@pytest.mark.parametrize(
    ("stack", "running", "refused"),
    [
        (DERIVED_NAMES, ("orders-instance-1", "orders-instance-1-us-east-1b"), True),  # the console's reader name
        (WITHOUT_SECTION, ("orders-instance-1", "orders-instance-1-us-east-1b"), False),  # named in instanceIdentifiers
        (DERIVED_NAMES, ("orders-instance-1", "orders-instance-2"), False),  # the program's names
        (DERIVED_NAMES, ("orders-instance-1",), False),  # a reader to create
        (DERIVED_NAMES, ("orders-instance-1", "orders-instance-2", "manual-reader"), False),  # one added by hand, left alone
    ],
)
def test_an_instance_is_refused_only_when_the_stack_would_rename_it(stack, running, refused):
    found = adoption.renamed_instances(load(stack), deployed(*running))
    assert bool(found) is refused


def test_docs_adopt_md_lists_every_change_name_in_its_table():
    text = (PROJECT_ROOT / "docs" / "adopt.md").read_text()
    assert [name for name in v.ADOPTION_CHANGES if f"| `{name}` |" not in text] == []


def test_an_instance_the_stack_would_rename_is_named_with_the_setting_that_keeps_it():
    running = deployed("orders-instance-1", "orders-instance-1-us-east-1b")
    [line] = adoption.renamed_instances(load(DERIVED_NAMES), running)
    assert line == (
        "the cluster's instances ['orders-instance-1-us-east-1b'] have names the stack does not declare "
        "(['orders-instance-1', 'orders-instance-2']): they would be renamed, which replaces them; set "
        "aurora:instanceIdentifiers to their names, the writer first (docs/adopt.md)"
    )
    with pytest.raises(adoption.ConfigError) as caught:
        adoption.check_instance_names(load(DERIVED_NAMES), running)
    assert caught.value.problems == [line]
    adoption.check_instance_names(load(DERIVED_NAMES), None)  # nothing deployed yet: nothing to rename
    adoption.check_instance_names(load(WITHOUT_SECTION), running)


def test_a_provisioned_shapes_insights_mode_is_compared_with_the_live_one():
    config = load(console(CONSOLE_PROVISIONED, accept=[], performanceInsightsEnabled=True, databaseInsightsMode="advanced"))
    [line] = [line for line in adoption.unaccepted(config) if "insightsAndMonitoring" in line]
    assert line.startswith("aurora:adopt.live.databaseInsightsMode is 'advanced' but the program's is 'standard'")


def test_an_instances_own_tags_alone_are_a_tags_change():
    names = [instance["identifier"] for instance in CONSOLE_SERVERLESS["adopt"]["instances"]]
    tagged = [
        console_instance(names[0], promotionTier=0, autoMinorVersionUpgrade=False, copyTagsToSnapshot=True, tags={"Team": "x"})
    ]
    [line] = adoption.unaccepted(load(settled(accept=FIRST_FOUR, instances=tagged)))
    assert line.startswith(
        "aurora:adopt.live.instances[0].tags (database-1-instance-1) is {'Team': 'x'} but the program's is "
        "{'Project': 'aurora', 'Stack': 'dev', 'ManagedBy': 'pulumi'}: the first up changes it in place"
    )
