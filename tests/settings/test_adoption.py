"""The adoption guard (settings/adoption.py), pure: each live attribute `ops adopt` recorded against the
program's value of it. Replace-forcing differences and what the program cannot express are refused
with the way out; in-place changes are refused until accepted by name, then warned of."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from awsfacts.replacement import REPLACING_PROPERTIES
from settings import adoption
from settings import checks as v
from settings.deployed import DeployedCluster, DeployedInstance
from tests.helpers import CONSOLE_PROVISIONED, CONSOLE_SERVERLESS
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
        assert [line.split("(")[1].split(",")[0] for line in adoption.accepted(config)] == [
            "masterPasswordToSecretsManager",
            "securityGroups",
            "parameterGroup",
        ]


def test_a_stack_without_adoption_has_nothing_to_judge():
    config = load({"capacityType": "serverless", "serverless": {"minCapacity": 0}})
    assert adoption.refusals(config) == adoption.unaccepted(config) == adoption.accepted(config) == []


def test_every_change_name_of_the_contract_has_its_attribute_and_effect():
    assert tuple(change.name for change in adoption.CHANGES) == v.ADOPTION_CHANGES


def test_no_in_place_change_is_replace_forcing_and_every_refused_attribute_is():
    """The provider updates the changes' attributes in place (rds/cluster.go, not ForceNew); the
    guard's ways out are for the replace-forcing ones (awsfacts/replacement.py)."""
    replacing = REPLACING_PROPERTIES[adoption.CLUSTER]
    assert not {change.attribute for change in adoption.CHANGES} & replacing
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
    assert line.startswith("aurora:adopt.live.globalClusterIdentifier is 'orders-global' but the program's is null")
    assert "remove-from-global-cluster" in line


def test_adopting_into_a_global_database_at_once_is_refused():
    stack = {
        **CONSOLE_PROVISIONED,
        "provisioned": {**CONSOLE_PROVISIONED["provisioned"], "backtrackHours": 0},
        "disasterRecovery": {"region": "us-west-2", "mode": "global"},
    }
    [line] = adoption.refusals(load(stack))
    assert line.startswith("aurora:disasterRecovery.mode is 'global' with aurora:adopt")


def test_each_in_place_change_is_refused_until_accepted_naming_the_entry():
    found = adoption.unaccepted(load(console(accept=[], iamDatabaseAuthenticationEnabled=True)))
    assert [line.rsplit("add ", 1)[1] for line in found] == [
        f"{name} to aurora:adopt.acceptChanges" for name in v.ADOPTION_CHANGES
    ]
    assert found[2].startswith("aurora:adopt.live.iamDatabaseAuthenticationEnabled is true but the program's is false")


def test_a_password_already_in_secrets_manager_needs_no_acceptance():
    config = load(console(accept=["securityGroups", "parameterGroup"], manageMasterUserPassword=True))
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
    assert len(caught.value.problems) == 4  # the encryption, and three unaccepted changes
    assert warnings == []
    adoption.check_adoption(load(CONSOLE_SERVERLESS))
    assert len(warnings) == 3


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
