"""Helpers the tests of several folders share: the dev stack's outputs prod reads, the examples
as a user runs them, a clock that moves only when something sleeps, a cluster in moto, and the
inputs pulumi-aws declares."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from plan.engine import ACCOUNT, PROJECT_ROOT

# What prod's stack reference reads from dev (the mock engine has no other stack to ask).
DEV_SOURCE_OUTPUTS = {
    "organization/aurora/dev": {
        "clusterIdentifier": "aurora-dev",
        "clusterArn": f"arn:aws:rds:us-east-1:{ACCOUNT}:cluster:aurora-dev",
        "engineVersion": "8.0.mysql_aurora.3.10.5",
    }
}

EXAMPLES = PROJECT_ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("Pulumi.*.yaml"))


def example_name(path: Path) -> str:
    return path.name[len("Pulumi.") : -len(".yaml")]


def example_root(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project root holding the program and `examples/Pulumi.<name>.yaml` as its stack file."""
    root = tmp_path_factory.mktemp(name)
    for file_name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / file_name, root / file_name)
    shutil.copy(EXAMPLES / f"Pulumi.{name}.yaml", root / f"Pulumi.{name}.yaml")
    return root


class FakeClock:
    """A monotonic clock that moves only when something sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def create_moto_cluster(rds: Any, identifier: str = "aurora-prod", **fields: Any) -> None:
    """An Aurora MySQL cluster in moto with a managed master password; `fields` add CreateDBCluster parameters."""
    rds.create_db_cluster(
        DBClusterIdentifier=identifier, Engine="aurora-mysql", MasterUsername="admin", ManageMasterUserPassword=True, **fields
    )


def pulumi_input_names(args_class: type) -> set[str]:
    """The inputs of a pulumi-aws args class by their Pulumi names (`@pulumi.getter(name=...)`)."""
    return {getattr(member.fget, "_pulumi_name", None) for member in vars(args_class).values() if isinstance(member, property)}


def planets(server: Any) -> list[tuple[int, str]]:
    """The workshop's tutorial.planet rows in a MariaDB server the tests started, by id."""
    connection = server.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name FROM tutorial.planet ORDER BY id")
        rows = list(cursor.fetchall())
    connection.close()
    return rows
