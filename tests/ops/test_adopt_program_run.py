"""The program run on a stack file `ops adopt` wrote (the mock engine, plan/engine.py): the cluster,
every instance, the subnet group and the existing log groups are imported by their ids, protected,
under the names the console gave them. The program side's own tests (tests/components/test_adoption.py)
check the replace-forcing inputs and the second run; this one joins the two sides."""

from __future__ import annotations

import shutil

import pytest

from plan.engine import PROJECT_ROOT, load_yaml, run_program
from tests.ops import adopt_console
from tests.ops.adopt_console import console_provisioned, console_serverless
from tests.ops.ops_harness import run

pytestmark = pytest.mark.engine

SHAPES = {
    "serverless": lambda c: console_serverless(c.rds, c.account) or "database-1",
    "provisioned": lambda c: console_provisioned(c.rds, c.logs, c.account) or "orders",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_program_imports_what_ops_adopt_found_by_id_and_protects_it(shape, moto_rds, tmp_path):
    cluster = SHAPES[shape](adopt_console.console(moto_rds))
    for file_name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / file_name, tmp_path / file_name)
    code, out, err = run(["adopt", "--cluster", cluster, "--stack", "adopted", "--directory", str(tmp_path)])
    assert code == 0, err
    section = load_yaml(tmp_path / "Pulumi.adopted.yaml")["config"]["aurora:adopt"]
    printed = out.split("to go ahead:\n")[1].split("\n")
    accepted = {
        **section,
        "acceptChanges": [line.split(":")[0].strip() for line in printed if line.startswith("  ") and not line.startswith("  -")],
    }

    deployment = run_program("adopted", overrides={"aurora:adopt": accepted}, root=tmp_path)

    imported = {(r.type, r.import_id, r.protect) for r in deployment.resources if r.import_id}
    instances = {("aws:rds/clusterInstance:ClusterInstance", i["identifier"], True) for i in section["instances"]}
    # The data is protected (aurora:protect, which ops adopt writes); the subnet group and log groups
    # are not, like the ones the program creates, so removing the section later changes no option.
    log_groups = {
        ("aws:cloudwatch/logGroup:LogGroup", f"/aws/rds/cluster/{cluster}/{log_type}", False) for log_type in section["logGroups"]
    }
    assert imported == {
        ("aws:rds/cluster:Cluster", cluster, True),
        ("aws:rds/subnetGroup:SubnetGroup", section["subnetGroup"]["name"], False),
        *instances,
        *log_groups,
    }
    zones = {
        r.inputs["identifier"]: r.inputs["availabilityZone"]
        for r in deployment.of_type("aws:rds/clusterInstance:ClusterInstance")
    }
    assert zones == {i["identifier"]: i["availabilityZone"] for i in section["instances"]}
