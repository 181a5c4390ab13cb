"""Issue #31: the components' type tokens became `aurora:index:<Class>` for the package; every resource
of dev, prod and the examples keeps the identity it had under the tokens released before (commit
51a7ad2), through the alias each component carries (components/package_identity.py) and the engine's
inheritance of a parent's alias (plan/aliases.py). `python -m plan --diff 51a7ad2` shows the same for
dev and prod against the real earlier program."""

from __future__ import annotations

import dataclasses

import pytest

from plan import diff
from plan.snapshot import Snapshot, take
from tests.helpers import EXAMPLE_FILES, example_name, example_root

# The tokens as released (51a7ad2), by the token each component has now.
RELEASED_TOKENS = {
    "aurora:index:AuroraCluster": "aurora:database:AuroraCluster",
    "aurora:index:Network": "aurora:network:Network",
    "aurora:index:Observability": "aurora:observability:Observability",
    "aurora:index:Promotion": "aurora:database:Promotion",
    "aurora:index:DisasterRecovery": "aurora:dr:DisasterRecovery",
    "aurora:index:ClientHost": "aurora:client:ClientHost",
    "aurora:index:AppUser": "aurora:database:AppUser",
    "aurora:index:DatabaseProxy": "aurora:database:Proxy",
}


def released(urn: str) -> str:
    for token, old in RELEASED_TOKENS.items():
        urn = urn.replace(f"{token}::", f"{old}::").replace(f"{token}$", f"{old}$")
    return urn


def as_released(snapshot: Snapshot) -> Snapshot:
    """The same declarations under the released tokens: what the state of a stack deployed before holds."""
    return Snapshot(
        snapshot.stack,
        snapshot.region,
        [
            dataclasses.replace(
                r, urn=released(r.urn), type=RELEASED_TOKENS.get(r.type, r.type), parent=released(r.parent), aliases=[]
            )
            for r in snapshot.resources
        ],
    )


def without_aliases(snapshot: Snapshot) -> Snapshot:
    return Snapshot(snapshot.stack, snapshot.region, [dataclasses.replace(r, aliases=[]) for r in snapshot.resources])


def assert_identity_kept(snapshot: Snapshot) -> None:
    assert not snapshot.error
    packaged = {r.type for r in snapshot.resources} & set(RELEASED_TOKENS)
    assert packaged, "the stack declares packaged components"
    assert diff.compare(as_released(snapshot), snapshot) == []


@pytest.mark.engine
def test_dev_keeps_every_resource_s_identity(dev_snapshot):
    assert_identity_kept(dev_snapshot)


@pytest.mark.engine
def test_prod_keeps_every_resource_s_identity(prod_snapshot):
    assert_identity_kept(prod_snapshot)


@pytest.mark.engine
@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_name)
def test_each_example_keeps_every_resource_s_identity(path, tmp_path_factory):
    name = example_name(path)
    assert_identity_kept(take(name, example_root(name, tmp_path_factory)))


@pytest.mark.engine
def test_without_the_aliases_dev_would_replace_its_cluster(dev_snapshot):
    changes = diff.compare(as_released(dev_snapshot), without_aliases(dev_snapshot))

    deleted = {c.resource.name for c in changes if c.kind == "delete" and c.loses_data}
    assert "database-cluster" in deleted
