"""The offline plan follows the stack's `aws:region`: the mock engine's fake account has its zones
in that region, and the cost estimate says on each line where a us-east-1 price stands in for
another region's (plan/prices.py has us-east-1's prices only)."""

from __future__ import annotations

import pytest

from plan import cost, prices
from plan.engine import run_program, stack_config, zone_id
from plan.readback import second_run
from plan.snapshot import Snapshot, placeholder_stack_outputs, snapshot_of
from tests.helpers import example_root

pytestmark = pytest.mark.engine

INSTANCE = "aws:rds/clusterInstance:ClusterInstance"
STAND_IN = "; us-east-1 price standing in for"


def prod_in(region: str, **overrides) -> Snapshot:
    return snapshot_of("prod", region, run_program("prod", {"aws:region": region, **overrides}))


def instance_zones(snapshot: Snapshot) -> list[str]:
    return [r.inputs["availabilityZone"] for r in sorted(snapshot.of_type(INSTANCE), key=lambda r: r.name)]


def test_zone_ids_follow_the_region():
    assert (zone_id("us-east-1", 2), zone_id("eu-west-1", 0), zone_id("us-west-2", 1)) == ("use1-az3", "euw1-az1", "usw2-az2")


def test_instances_are_placed_in_the_stack_region():
    assert instance_zones(prod_in("eu-west-1")) == ["eu-west-1a", "eu-west-1b"]


def test_only_use1_az3_lacks_graviton_so_a_second_reader_uses_the_third_zone_elsewhere():
    """use1-az3 sells no Graviton classes (components/placement.py): in us-east-1 both readers of
    db.r7g go to us-east-1b; eu-west-1's three zones all sell them."""
    readers = {"aurora:provisioned": {"instanceClass": "db.r7g.large", "readers": 2}}
    assert instance_zones(prod_in("us-east-1", **readers)) == ["us-east-1a", "us-east-1b", "us-east-1b"]
    assert instance_zones(prod_in("eu-west-1", **readers)) == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]


def test_the_second_up_of_a_stack_in_another_region_plans_nothing():
    run = second_run("prod", {"aws:region": "eu-west-1"})
    assert run.changes == [] and run.second.error is None


def test_every_price_of_a_stack_in_another_region_says_it_is_a_us_east_1_stand_in():
    estimate = cost.estimate(prod_in("eu-west-1"))
    rendered = cost.render(estimate, "prod")
    assert estimate.lines and all(f"{STAND_IN} eu-west-1" in line for line in rendered[1 : 1 + len(estimate.lines)])
    assert all(note.endswith(f"{STAND_IN} eu-west-1") for note in estimate.notes)
    assert f"{prices.PRICE_REGION}, on-demand" in rendered[0]


def test_a_note_that_quotes_no_price_has_no_stand_in():
    """Dev opts out of Extended Support, and Serverless v2 has no published Extended Support price:
    neither note prices anything, so no price stands in for eu-west-1."""
    dev = snapshot_of("dev", "eu-west-1", run_program("dev", {"aws:region": "eu-west-1"}))
    enrolled = {"aws:region": "eu-west-1", "aurora:engineLifecycleSupport": "open-source-rds-extended-support"}
    enrolled_dev = snapshot_of("dev", "eu-west-1", run_program("dev", enrolled))
    for snapshot in (dev, enrolled_dev):
        [support] = [note for note in cost.estimate(snapshot).notes if "Extended Support" in note]
        assert "$" not in support and STAND_IN not in support


def test_a_us_east_1_stack_says_nothing_about_stand_ins():
    rendered = "\n".join(cost.render(cost.estimate(prod_in("us-east-1")), "prod"))
    assert "standing in" not in rendered


def test_a_global_secondary_is_priced_as_a_stand_in_for_its_own_region(tmp_path_factory):
    root = example_root("global-dr", tmp_path_factory)
    config = stack_config("global-dr", root)
    deployment = run_program("global-dr", stack_outputs=placeholder_stack_outputs(config), root=root)
    snapshot = snapshot_of("global-dr", str(config["aws:region"]), deployment)
    dr_region = next(str(r.inputs["region"]) for r in snapshot.of_type(INSTANCE) if r.inputs.get("region"))
    estimate = cost.estimate(snapshot)
    secondary = [line for line in estimate.lines if dr_region in line.regions]
    assert secondary and all(cost.stand_in_note(line.regions) == f"{STAND_IN} {dr_region}" for line in secondary)
    primary = [line for line in estimate.lines if line.regions == frozenset({"us-east-1"})]
    assert primary and all(cost.stand_in_note(line.regions) == "" for line in primary)
