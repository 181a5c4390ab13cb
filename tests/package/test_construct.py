"""Issue #31: each packaged component, constructed through the package's provider
(`ComponentProvider.construct`, as the host does for a program in any language) with dict args,
declares exactly what the program declares for the same stack: the same resources, inputs and the
options that keep data (tests/package/construct_program.py wires them as a package user would).

Two stacks cover the eight components: the app-user example (serverless cluster, network with the
client host, client host, application user, observability) and the snapshot-copy DR example made a
promotion with an RDS Proxy (promotion, provisioned restored cluster, network with the proxy's group,
proxy, disaster recovery, observability). The console's clusters (issue #30) cover the adoption
inputs: the same imports, by the same ids, protected."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from plan.engine import PROJECT_ROOT, Deployment, Registration, run_program, stack_config
from plan.snapshot import placeholder_stack_outputs
from tests.helpers import CONSOLE_PROVISIONED, CONSOLE_SERVERLESS, example_root

CONSTRUCT_PROGRAM = Path(__file__).parent / "construct_program.py"
NOT_PACKAGED = {"pulumi-python:dynamic:Resource"}  # SampleData
PROMOTED_WITH_PROXY = {
    "aurora:restoreFrom": {"stack": "organization/aurora/dev"},
    "aurora:provisioned": {"instanceClass": "db.r7g.large", "readers": 1, "backtrackHours": 24, "proxy": True},
}


def declared(deployment: Deployment) -> dict[str, tuple]:
    """Each resource by URN: its inputs and the options that keep data or adopt it."""

    def kept(r: Registration) -> tuple:
        return (r.inputs, r.protect, r.import_id, sorted(r.ignore_changes), r.retain_on_delete, r.delete_before_replace)

    return {r.urn: kept(r) for r in deployment.resources if r.type not in NOT_PACKAGED}


def both(name: str, overrides: dict, tmp_path_factory: pytest.TempPathFactory) -> tuple[Deployment, Deployment]:
    """The program's declarations and the package user's, for the example `name` with `overrides`."""
    program_root = example_root(name, tmp_path_factory)
    package_root = example_root(name, tmp_path_factory)
    shutil.copy(CONSTRUCT_PROGRAM, package_root / "__main__.py")
    config = {**stack_config(name, program_root), **overrides}
    outputs = placeholder_stack_outputs(config)
    return (
        run_program(name, overrides, stack_outputs=outputs, root=program_root),
        run_program(name, overrides, stack_outputs=outputs, root=package_root),
    )


@pytest.mark.engine
@pytest.mark.parametrize(
    ("example", "overrides", "components"),
    [
        ("app-user", {}, {"Network", "AuroraCluster", "ClientHost", "AppUser", "Observability"}),
        (
            "snapshot-copy-dr",
            PROMOTED_WITH_PROXY,
            {"Promotion", "Network", "AuroraCluster", "DatabaseProxy", "DisasterRecovery", "Observability"},
        ),
    ],
    ids=["app-user", "promoted-with-proxy-and-dr"],
)
def test_the_package_declares_what_the_program_declares(example, overrides, components, tmp_path_factory):
    program, package = both(example, overrides, tmp_path_factory)

    assert {r.type.rpartition(":")[2] for r in package.resources if r.type.startswith("aurora:index:")} == components
    assert declared(package) == declared(program)


def console_root(aurora: dict[str, Any], program: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root running `program` on `Pulumi.console.yaml` with these `aurora:*` values."""
    root = tmp_path_factory.mktemp("console")
    shutil.copy(PROJECT_ROOT / "Pulumi.yaml", root / "Pulumi.yaml")
    shutil.copy(program, root / "__main__.py")
    config = {"aws:region": "us-east-1", **{f"aurora:{key}": value for key, value in aurora.items()}}
    (root / "Pulumi.console.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    return root


@pytest.mark.engine
@pytest.mark.parametrize("aurora", [CONSOLE_SERVERLESS, CONSOLE_PROVISIONED], ids=["serverless", "provisioned"])
def test_the_package_adopts_what_the_program_adopts(aurora, tmp_path_factory):
    program = run_program("console", root=console_root(aurora, PROJECT_ROOT / "__main__.py", tmp_path_factory))
    package = run_program("console", root=console_root(aurora, CONSTRUCT_PROGRAM, tmp_path_factory))

    assert {r.name for r in package.resources if r.import_id} >= {"database-cluster", "database-instance-1", "network-db-subnets"}
    assert declared(package) == declared(program)
