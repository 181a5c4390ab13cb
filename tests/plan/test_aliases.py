"""The offline plan finds a resource under its aliases as the Pulumi engine does (plan/aliases.py):
source pulumi/pulumi pkg/resource/deploy/step_generator.go (`generateAliases`,
`collapseAliasToUrn`, `inheritedChildAlias`)."""

from __future__ import annotations

from plan import diff
from plan.aliases import make_urn, previous_urns
from plan.snapshot import Resource, Snapshot

STACK_URN = "urn:pulumi:dev::aurora::pulumi:pulumi:Stack::aurora-dev"
OLD_TYPE, NEW_TYPE = "aurora:network:Network", "aurora:index:Network"
GROUP = "aws:rds/subnetGroup:SubnetGroup"


def declared(type_: str, name: str, parent: str, aliases: list[dict] | None = None, **inputs) -> Resource:
    return Resource(
        urn=make_urn("dev", "aurora", parent, type_, name),
        type=type_,
        name=name,
        parent=parent,
        inputs=inputs,
        aliases=aliases or [],
    )


def network(type_: str, aliases: list[dict] | None = None, name: str = "network", group_name: str = "network-db-subnets"):
    component = declared(type_, name, STACK_URN, aliases)
    group = declared(GROUP, group_name, component.urn, subnetIds=["subnet-a", "subnet-b"])
    secret = declared("aurora:index:Password", f"{name}-password", component.urn)
    grandchild = declared("aws:secretsmanager/secret:Secret", f"{name}-password-secret", secret.urn)
    return Snapshot("dev", "us-east-1", [component, group, secret, grandchild])


def test_a_component_with_an_alias_of_its_old_type_keeps_itself_and_every_descendant():
    old, new = network(OLD_TYPE), network(NEW_TYPE, [{"type": OLD_TYPE}])

    assert diff.compare(old, new) == []
    assert diff.unchanged_count(old, new, []) == 4


def test_without_the_alias_every_resource_under_the_new_type_is_created_and_the_old_ones_deleted():
    old, new = network(OLD_TYPE), network(NEW_TYPE)

    kinds = sorted((change.kind, change.resource.name) for change in diff.compare(old, new))

    # The grandchild's URN names only its own parent's type, unchanged: it alone is found.
    assert kinds == [
        ("create", "network"),
        ("create", "network-db-subnets"),
        ("create", "network-password"),
        ("delete", "network"),
        ("delete", "network-db-subnets"),
        ("delete", "network-password"),
    ]


def test_a_renamed_component_s_children_named_after_it_take_the_old_name():
    old = network(OLD_TYPE, name="net", group_name="net-db-subnets")
    new = network(NEW_TYPE, [{"type": OLD_TYPE, "name": "net"}])

    assert diff.compare(old, new) == []


def test_a_changed_input_under_an_alias_is_an_update_of_the_old_resource():
    old = network(OLD_TYPE)
    new = network(NEW_TYPE, [{"type": OLD_TYPE}])
    group = next(r for r in new.resources if r.type == GROUP)
    group.inputs = {"subnetIds": ["subnet-a", "subnet-c"]}

    [change] = diff.compare(old, new)

    assert (change.kind, change.resource.urn, change.before.urn if change.before else None) == (
        "update",
        group.urn,
        next(r.urn for r in old.resources if r.type == GROUP),
    )


def test_the_declared_urn_is_looked_up_before_any_alias():
    kept = declared(GROUP, "g", STACK_URN, [{"name": "other"}])
    other = declared(GROUP, "other", STACK_URN)

    assert previous_urns([kept], [kept.urn, other.urn]) == {kept.urn: kept.urn}


def test_an_alias_given_as_a_urn_is_used_as_it_is():
    old = declared(GROUP, "old-name", STACK_URN)
    new = declared(GROUP, "new-name", STACK_URN, [{"urn": old.urn}])

    assert previous_urns([new], [old.urn]) == {new.urn: old.urn}
