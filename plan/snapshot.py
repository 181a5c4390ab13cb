"""What one stack declares, as plain data: taken under the mock engine, for this checkout or for
another git revision (in a child process, so the two programs never share imported modules).

`python -m plan.snapshot ROOT STACK` prints the snapshot of the program in directory ROOT as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pulumi.errors import RunError

from settings.model import DEFAULT_ENGINE_VERSION

from .engine import PROJECT_ROOT, Deployment, StackFileError, stack_config

STACK_REFERENCE = "pulumi:pulumi:StackReference"


def display_type(token: str) -> str:
    """The type as `pulumi preview` prints it: `aws:rds/cluster:Cluster` -> `aws:rds:Cluster`.

    Pulumi's rule (`tokens.Type.DisplayName` in the Pulumi CLI): when the module's last `/` part is
    the type name with a lower-case first letter, drop that part; otherwise keep the token whole.
    """
    parts = token.split(":")
    if len(parts) != 3 or not parts[2] or "/" not in parts[1]:
        return token
    package, module, name = parts
    path, _, file = module.rpartition("/")
    if file != name[0].lower() + name[1:]:
        return token
    return f"{package}:{path}:{name}"


@dataclass
class Resource:
    urn: str
    type: str
    name: str
    parent: str
    inputs: dict[str, Any]
    protect: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    retain_on_delete: bool = False
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    """The aliases the program declared (`plan.aliases` reads them as the engine does)."""

    @property
    def display_type(self) -> str:
        return display_type(self.type)


@dataclass
class Snapshot:
    stack: str
    region: str
    resources: list[Resource]
    error: str | None = None
    """Why nothing was planned for this stack, in words that follow `Stack NAME: ` (see `failure_reason`)."""

    def of_type(self, type_: str) -> list[Resource]:
        return [r for r in self.resources if r.type == type_]

    def instances_of(self, cluster: Resource) -> list[Resource]:
        instances = [
            r
            for r in self.of_type("aws:rds/clusterInstance:ClusterInstance")
            if cluster.urn in r.property_dependencies.get("clusterIdentifier", [])
        ]
        return sorted(instances, key=lambda r: r.name)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        data = json.loads(text)
        return cls(
            stack=data["stack"],
            region=data["region"],
            resources=[Resource(**r) for r in data["resources"]],
            error=data.get("error"),
        )


def placeholder_stack_outputs(config: dict[str, Any]) -> dict[str, dict]:
    """Offline, a referenced stack's outputs are unknown: stand-ins that say where they come from."""
    restore = config.get("aurora:restoreFrom")
    if not isinstance(restore, dict) or "stack" not in restore:
        return {}
    name = restore["stack"]
    outputs = {key: f"<{name}:{key}>" for key in ("clusterIdentifier", "clusterArn")}
    # The program refuses a source at another version; offline, assume the one this stack asks for.
    outputs["engineVersion"] = str(config.get("aurora:engineVersion", DEFAULT_ENGINE_VERSION))
    return {name: outputs}


def take(stack: str, root: Path = PROJECT_ROOT) -> Snapshot:
    """Run the program in `root` for `stack` under the mock engine (in this process)."""
    from .engine import run_program

    try:
        config = stack_config(stack, root)
    except StackFileError as error:
        return Snapshot(stack, "", [], error=failure_reason(error))
    region = str(config.get("aws:region", ""))
    try:
        deployment = run_program(stack, stack_outputs=placeholder_stack_outputs(config), root=root)
    except Exception as error:  # noqa: BLE001  (any failure of the program is the plan's answer)
        return Snapshot(stack, region, [], error=failure_reason(error))
    return snapshot_of(stack, region, deployment)


def failure_reason(error: Exception) -> str:
    """Why the program declared nothing, as the user reads it. An unreadable stack file and a refused
    configuration are refusals, made before any resource is declared (the program validates every
    setting first): their message is the reason, with no exception class. Anything else is a defect
    of the program, named as one so that it is reported."""
    # A refused configuration is a `pulumi.RunError` (settings.loading.ConfigError), which Pulumi itself
    # shows as its text alone; asked by that base class, the answer holds for another revision's
    # program too, whatever module its ConfigError lives in.
    if isinstance(error, (StackFileError, RunError)):
        return f"refused: {error}"
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"the program stopped on an unexpected {type(error).__name__} (a defect: please report it): {first_line}"


def snapshot_of(stack: str, region: str, deployment: Deployment) -> Snapshot:
    """The resources of a mock-engine run as plain data (stack references left out: they read, never change)."""
    resources = [
        Resource(
            urn=r.urn,
            type=r.type,
            name=r.name,
            parent=r.parent,
            inputs=r.inputs if not r.type.startswith("pulumi:") else {},
            protect=r.protect,
            ignore_changes=r.ignore_changes,
            retain_on_delete=r.retain_on_delete,
            property_dependencies=r.property_dependencies,
            aliases=r.aliases,
        )
        # Registration order follows the engine's scheduling; the plan must not.
        for r in sorted(deployment.resources, key=lambda r: r.urn)
        if r.type != STACK_REFERENCE
    ]
    return Snapshot(stack, region, resources)


def start_in_child(stack: str, root: Path) -> Callable[[], Snapshot]:
    """Start snapshotting the program in another directory, in a fresh interpreter; the returned
    function waits for it (so the caller can run this checkout's program meanwhile)."""
    child = subprocess.Popen(
        [sys.executable, "-m", "plan.snapshot", str(root), stack],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def result() -> Snapshot:
        stdout, stderr = child.communicate()
        if child.returncode != 0:
            last_line = (stderr.strip().splitlines() or ["no output"])[-1]
            return Snapshot(stack, "", [], error=f"the program at {root} could not be run: {last_line}")
        return Snapshot.from_json(stdout)

    return result


def main(argv: list[str]) -> int:
    root, stack = Path(argv[0]).resolve(), argv[1]
    if not (root / f"Pulumi.{stack}.yaml").exists():
        print(Snapshot(stack, "", []).to_json())
        return 0
    # The other revision's own packages, not this checkout's: this module imported this checkout's
    # `settings` (and through them the rest) already, which would otherwise shadow them.
    sys.path.insert(0, str(root))
    for module in [
        name for name in sys.modules if name.partition(".")[0] in ("awsfacts", "awscalls", "settings", "components", "ops")
    ]:
        del sys.modules[module]
    print(take(stack, root).to_json())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
