"""The Pulumi SDK's mock engine, recording what a stack declares: shared by `python -m plan` and the tests.

`run_program(stack)` runs the project's `__main__.py` under `pulumi.runtime.set_mocks` with the
stack's real `Pulumi.<stack>.yaml` (optionally overridden) and returns a `Deployment`: every
resource the engine was asked to register, with its inputs and the resource options that keep data
safe (protect, ignore_changes, retain_on_delete, parent, depends_on), plus the stack outputs.

Invokes are answered by a small fake account: a default VPC with three Availability Zones in the
stack's region (`aws:region`: eu-west-1a, eu-west-1b, eu-west-1c for eu-west-1) and two in any other
region. The zone with id use1-az3 (us-east-1c here) sells no Graviton types, to RDS or EC2, as in
AWS (components/placement.py); other regions' zones sell them all. Nothing here reaches AWS or needs
credentials.
"""

from __future__ import annotations

import json
import runpy
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.automation import ProjectSettings
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.stack import Stack, run_pulumi_func

# Private API, kept on purpose: the offline plan runs the program outside the Pulumi CLI and must
# wait for it and for its outputs from synchronous code; pulumi's mocks have no public synchronous
# runner (its own unit-test docs run programs inside pytest's event loop).
# Private API, kept on purpose: the offline plan runs the program under the SDK's mocks outside the
# Pulumi CLI, and the SDK's own mock-test support has no public synchronous runner (pulumi 3.x).
from pulumi.runtime.sync_await import _sync_await

from settings.namespaces import namespaced

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ZONE_LETTERS = "abc"
"""The stack region's zones are the region's name and these letters; any other region has two."""
DEFAULT_SUBNETS = {
    "subnet-0aaaaaaaaaaaaaaa1": 0,
    "subnet-0aaaaaaaaaaaaaaa2": 1,
    "subnet-0aaaaaaaaaaaaaaa3": 2,
}
"""The default VPC's subnets in the stack's region, by the index of their zone in ZONE_LETTERS."""
DEFAULT_VPC = "vpc-0def0def0def0def0"
# use1-az3 in us-east-1 offers no Graviton instance types (components/placement.py).
ZONE_IDS_WITHOUT_GRAVITON = frozenset({"use1-az3"})
# Any other region (the disaster-recovery one) has its own default VPC with two zones.
DR_SUBNET_IDS = ("subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2")
DR_VPC = "vpc-0ddd0ddd0ddd0ddd0"
ACCOUNT = "123456789012"
MOCK_RANDOM_HEX = "0a1b2c3d"
MOCK_PASSWORD = "mock-generated-password"


def zone_name(region: str, index: int) -> str:
    """The fake account's zone `index` of `region`: eu-west-1, 0 -> eu-west-1a."""
    return f"{region}{ZONE_LETTERS[index]}"


def zone_id(region: str, index: int) -> str:
    """Zone ids are `<short region>-az<n>`: us-east-1, 2 -> use1-az3; eu-west-1, 0 -> euw1-az1."""
    area, *middle, number = region.split("-")
    return f"{area}{''.join(word[0] for word in middle)}{number}-az{index + 1}"


def is_graviton(instance_type: str) -> bool:
    """db.r7g.large, t4g.micro, x2g...: the family's generation digit is followed by a `g`."""
    family = instance_type.removeprefix("db.").split(".")[0]
    return family != "serverless" and "g" in family[1:]


@dataclass
class Registration:
    """One resource as the engine saw it."""

    type: str
    name: str
    inputs: dict[str, Any]
    parent: str
    protect: bool
    ignore_changes: list[str]
    retain_on_delete: bool
    dependencies: list[str]
    delete_before_replace: bool
    urn: str = ""
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    """For each input, the URNs of the resources its value came from."""
    aliases: list[dict[str, Any]] = field(default_factory=list)
    """Each alias as sent: `{"urn": ...}`, or the spec's fields that were given (name, type, stack,
    project, parent, no_parent)."""
    import_id: str = ""
    """The `import` resource option: the id of an existing resource the first `up` adopts ("" creates)."""


@dataclass
class Deployment:
    resources: list[Registration]
    outputs: dict[str, Any]
    invokes: list[tuple[str, dict]] = field(default_factory=list)

    def of_type(self, type_: str) -> list[Registration]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str, name: str | None = None) -> Registration:
        matches = [r for r in self.of_type(type_) if name is None or r.name == name]
        assert len(matches) == 1, f"expected one {type_} {name or ''}, found {[m.name for m in matches]}"
        return matches[0]

    def named(self, name: str) -> Registration:
        matches = [r for r in self.resources if r.name == name]
        assert len(matches) == 1, f"expected one resource named {name}, found {len(matches)}"
        return matches[0]

    def types(self) -> set[str]:
        return {r.type for r in self.resources}


@dataclass
class AccountState:
    """What an earlier `up` left in the fake account, as the provider reads it back
    (`plan/readback.py` builds it): each resource's stored attributes by (type, name)."""

    resources: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    engine_versions_not_offered: frozenset[str] = frozenset()
    """Versions DescribeDBEngineVersions does not list here. The fake account offers every other one:
    the offline plan cannot know AWS's catalogue, and refusing a real new minor in a pull request's
    plan would be a false alarm; `pulumi preview` asks AWS itself (settings/deployed.py
    `engine_version_problem`)."""

    def stored(self, type_: str) -> list[dict[str, Any]]:
        return [attributes for (token, _), attributes in self.resources.items() if token == type_]


# The provider's error for a data source that matches nothing (terraform-provider-aws
# internal/service/rds/cluster_snapshot_data_source.go).
NO_RESULTS = "Your query returned no results. Please change your search criteria and try again."


class RecordingMocks(pulumi.runtime.Mocks):
    """Answers invokes with a small fake account and echoes inputs plus computed attributes.

    The account is empty (every stack is a first deployment) unless `deployed` holds what an
    earlier run left in it: then the clusters and snapshots there are found, and a resource that
    exists answers with what AWS stored for it."""

    def __init__(
        self, stack_outputs: dict[str, dict] | None = None, region: str = "us-east-1", deployed: AccountState | None = None
    ):
        self.invokes: list[tuple[str, dict]] = []
        self.stack_outputs = stack_outputs or {}
        self.region = region
        self.deployed = deployed or AccountState()

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.invokes.append((args.token, dict(args.args)))
        token = args.token
        other_region = args.args.get("region")
        in_other_region = other_region not in (None, "", self.region)
        region = str(other_region) if in_other_region else self.region
        if token == "aws:ec2/getVpc:getVpc":
            return {"id": DR_VPC if in_other_region else DEFAULT_VPC, "cidrBlock": "172.31.0.0/16"}
        if token == "aws:ec2/getSubnets:getSubnets":
            return {"ids": list(DR_SUBNET_IDS if in_other_region else DEFAULT_SUBNETS), "id": "subnets"}
        if token == "aws:ec2/getSubnet:getSubnet":
            subnet_id = args.args["id"]
            index = int(subnet_id[-1], 16) % 2
            if not in_other_region:
                index = DEFAULT_SUBNETS.get(subnet_id, index)
            return {
                "id": subnet_id,
                "availabilityZone": zone_name(region, index),
                "availabilityZoneId": zone_id(region, index),
                "vpcId": DR_VPC if in_other_region else DEFAULT_VPC,
            }
        if token == "aws:rds/getOrderableDbInstance:getOrderableDbInstance":
            instance_class = args.args["preferredInstanceClasses"][0]
            return {
                "id": instance_class,
                "instanceClass": instance_class,
                "availabilityZones": self._zones_selling(instance_class, region),
                "engine": args.args["engine"],
            }
        if token == "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings":
            instance_type = args.args["filters"][0]["values"][0]
            zones = self._zones_selling(instance_type, region)
            return {
                "id": args.args.get("region") or self.region,
                "instanceTypes": [instance_type] * len(zones),
                "locations": zones,
                "locationTypes": ["availability-zone"] * len(zones),
            }
        if token == "aws:rds/getClusters:getClusters":
            wanted = set(args.args["filters"][0]["values"])
            found = [c for c in self._clusters(other_region) if c["clusterIdentifier"] in wanted]
            return {
                "id": self.region,
                "clusterArns": [
                    f"arn:aws:rds:{other_region or self.region}:{ACCOUNT}:cluster:{c['clusterIdentifier']}" for c in found
                ],
                "clusterIdentifiers": [c["clusterIdentifier"] for c in found],
            }
        if token == "aws:rds/getCluster:getCluster":
            cluster = next(c for c in self._clusters(other_region) if c["clusterIdentifier"] == args.args["clusterIdentifier"])
            members = [i["identifier"] for i in self._instances() if i.get("clusterIdentifier") == cluster["clusterIdentifier"]]
            # The data source reads DescribeDBClusters' EngineVersion: the running version, which the
            # resource keeps apart as engine_version_actual (rds/cluster_data_source.go, cluster.go).
            running = cluster.get("engineVersionActual") or cluster.get("engineVersion")
            return {
                **cluster,
                "id": cluster["clusterIdentifier"],
                "tags": cluster.get("tags") or {},
                "clusterMembers": members,
                "engineVersion": running,
            }
        if token == "aws:rds/getInstance:getInstance":
            instance = next(i for i in self._instances() if i["identifier"] == args.args["dbInstanceIdentifier"])
            # The aws_db_instance data source's names for what the cluster instance stores.
            return {
                "id": instance["identifier"],
                "dbInstanceIdentifier": instance["identifier"],
                "dbInstanceClass": instance["instanceClass"],
                "caCertIdentifier": instance["caCertIdentifier"],
            }
        if token == "aws:rds/getClusterSnapshot:getClusterSnapshot":
            identifier = args.args["dbClusterSnapshotIdentifier"]
            stored = self.deployed.stored("aws:rds/clusterSnapshot:ClusterSnapshot")
            snapshot = next((s for s in stored if s["dbClusterSnapshotIdentifier"] == identifier), None)
            if snapshot is None:
                return {}, [("", NO_RESULTS)]
            return {**snapshot, "id": identifier}
        if token == "aws:rds/getEngineVersion:getEngineVersion":
            version = args.args.get("version")
            if version in self.deployed.engine_versions_not_offered:
                return {}, [("", f"no RDS engine versions found: {{Engine: {args.args['engine']}, EngineVersion: {version}}}")]
            return {"id": version, "engine": args.args["engine"], "version": version, "versionActual": version}
        if token == "aws:ssm/getParameter:getParameter":
            return {"id": args.args["name"], "name": args.args["name"], "value": "ami-0123456789abcdef0", "type": "String"}
        if token == "aws:index/getPartition:getPartition":
            return {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com"}
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/test", "userId": "test", "id": ACCOUNT}
        if token == "aws:secretsmanager/getSecretVersion:getSecretVersion":
            secret = json.dumps({"username": "admin", "password": "mock-master-password"})
            return {"id": args.args["secretId"], "arn": args.args["secretId"], "secretString": secret}
        raise NotImplementedError(f"unmocked invoke {token}")

    def _instances(self) -> list[dict[str, Any]]:
        return self.deployed.stored("aws:rds/clusterInstance:ClusterInstance")

    def _zones_selling(self, instance_type: str, region: str) -> list[str]:
        """The zones of `region` where the fake account offers `instance_type`."""
        count = len(ZONE_LETTERS) if region == self.region else 2
        return [
            zone_name(region, index)
            for index in range(count)
            if not (is_graviton(instance_type) and zone_id(region, index) in ZONE_IDS_WITHOUT_GRAVITON)
        ]

    def _clusters(self, region: str | None) -> list[dict[str, Any]]:
        """The deployed clusters of `region` (the stack's when None)."""
        region = region or self.region
        return [c for c in self.deployed.stored("aws:rds/cluster:Cluster") if (c.get("region") or self.region) == region]

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        resource_id, state = self._new_state(args)
        # A resource that exists answers with what AWS stored, as far as the program did not send it.
        stored = self.deployed.resources.get((args.typ, args.name), {})
        state.update({key: value for key, value in stored.items() if key not in args.inputs})
        return resource_id, state

    def _new_state(self, args: pulumi.runtime.MockResourceArgs):
        if args.typ == "pulumi:pulumi:StackReference":
            name = args.inputs.get("name", args.name)
            return name, {"name": name, "outputs": self.stack_outputs.get(name, {}), "secretOutputNames": []}
        inputs = dict(args.inputs)
        resource_id = inputs.get("identifier") or inputs.get("clusterIdentifier") or f"{args.name}-id"
        state = dict(inputs)
        state.setdefault("arn", f"arn:aws:mock:{args.typ}:{ACCOUNT}:{args.name}")
        if args.typ == "aws:rds/cluster:Cluster":
            cluster_id = inputs["clusterIdentifier"]
            region = inputs.get("region") or self.region
            resource_id = cluster_id
            state.update(
                endpoint=f"{cluster_id}.cluster-abc.{region}.rds.amazonaws.com",
                readerEndpoint=f"{cluster_id}.cluster-ro-abc.{region}.rds.amazonaws.com",
                port=3306,
                arn=f"arn:aws:rds:{region}:{ACCOUNT}:cluster:{cluster_id}",
                clusterResourceId="cluster-ABCDEFGHIJKL",
                # Computed by the provider: a restored cluster keeps the snapshot's user and version.
                masterUsername=inputs.get("masterUsername", "admin"),
                engineVersionActual=inputs.get("engineVersion"),
                masterUserSecrets=[{"secretArn": f"arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:rds!cluster-{cluster_id}"}],
            )
        if args.typ == "random:index/randomId:RandomId":
            state.update(hex=MOCK_RANDOM_HEX, b64Url="mock", dec="1")
        if args.typ == "random:index/randomPassword:RandomPassword":
            state["result"] = MOCK_PASSWORD
        if args.typ == "aws:rds/globalCluster:GlobalCluster":
            resource_id = inputs["globalClusterIdentifier"]
            # Computed writer endpoint (rds/global_cluster.go Read: DescribeGlobalClusters' Endpoint).
            state["endpoint"] = f"{resource_id}.global-abc.global.rds.amazonaws.com"
        if args.typ == "aws:rds/clusterSnapshot:ClusterSnapshot":
            resource_id = inputs["dbClusterSnapshotIdentifier"]
        if args.typ == "aws:ec2/instance:Instance":
            resource_id = "i-0123456789abcdef0"
        if args.typ in ("aws:rds/proxy:Proxy", "aws:rds/proxyEndpoint:ProxyEndpoint"):
            name = inputs.get("dbProxyEndpointName") or inputs["name"]
            state["endpoint"] = f"{name}.proxy-abc.{inputs.get('region') or self.region}.rds.amazonaws.com"
        if args.typ == "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
            # The provider modifies TargetGroupName "default" and reads `name` back (terraform-provider-aws
            # internal/service/rds/proxy_default_target_group.go).
            state["name"] = "default"
        if args.typ in ("aws:ec2/securityGroup:SecurityGroup",):
            resource_id = f"sg-{zlib.crc32(args.name.encode()):017x}"
        state.setdefault("name", f"{args.name}-name")
        if args.typ == "aws:iam/role:Role":
            state["arn"] = f"arn:aws:iam::{ACCOUNT}:role/{args.name}"
        if args.typ == "aws:sns/topic:Topic":
            state["arn"] = f"arn:aws:sns:{inputs.get('region') or self.region}:{ACCOUNT}:{args.name}"
        if args.typ == "aws:kms/key:Key":
            state["arn"] = f"arn:aws:kms:{inputs.get('region') or self.region}:{ACCOUNT}:key/{args.name}"
        return resource_id, state


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, also keeping the resource options from each registration."""

    def __init__(self, mocks: RecordingMocks):
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registrations.append(
                Registration(
                    type=request.type,
                    name=request.name,
                    inputs=self.resources[response.urn].state if request.type.startswith("pulumi:") else _inputs(request),
                    parent=request.parent,
                    protect=request.protect,
                    ignore_changes=list(request.ignoreChanges),
                    retain_on_delete=request.retainOnDelete,
                    dependencies=list(request.dependencies),
                    delete_before_replace=request.deleteBeforeReplace,
                    urn=response.urn,
                    property_dependencies={key: list(deps.urns) for key, deps in request.propertyDependencies.items()},
                    aliases=[_alias(alias) for alias in request.aliases],
                    import_id=request.importId,
                )
            )
        return response


def _alias(alias) -> dict[str, Any]:
    if alias.WhichOneof("alias") == "urn":
        return {"urn": alias.urn}
    spec = alias.spec
    given = {
        "name": spec.name,
        "type": spec.type,
        "stack": spec.stack,
        "project": spec.project,
        "parent": spec.parentUrn,
        "no_parent": spec.noParent,
    }
    return {key: value for key, value in given.items() if value}


def _inputs(request) -> dict[str, Any]:
    from pulumi.runtime import rpc

    return rpc.deserialize_properties(request.object)


class StrictLoader(yaml.SafeLoader):
    """YAML as the Pulumi CLI's Go parser reads it: a key given twice is an error, not a silent overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> Any:
    """`path` parsed strictly (see StrictLoader)."""
    return yaml.load(path.read_bytes(), Loader=StrictLoader)  # a SafeLoader subclass: no arbitrary objects


def project_name(root: Path = PROJECT_ROOT) -> str:
    """The `name` of `root`/Pulumi.yaml, read through the Pulumi SDK's own project type."""
    return ProjectSettings.from_dict(load_yaml(root / "Pulumi.yaml")).name


class StackFileError(Exception):
    """A stack file that cannot be read, as one line: `Pulumi.dev.yaml:3: what is wrong`."""


def stack_config(stack: str, root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """The stack's real configuration file, as a flat `namespace:key` map."""
    path = root / f"Pulumi.{stack}.yaml"
    try:
        document = load_yaml(path) or {}
    except yaml.YAMLError as error:
        raise StackFileError(_yaml_error_line(path.name, error)) from None
    config = (document.get("config") or {}) if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise StackFileError(f"{path.name}: expected a mapping with a `config:` mapping of `namespace:key: value` settings")
    try:
        return namespaced(config, project_name(root))  # bare keys are the project's, as the CLI reads them
    except ValueError as error:
        raise StackFileError(f"{path.name}: {error}") from None


def _yaml_error_line(file_name: str, error: yaml.YAMLError) -> str:
    if not isinstance(error, yaml.MarkedYAMLError):  # bytes that are not text: no line to point at
        return f"{file_name}: {' '.join(str(error).split())}"
    mark = error.problem_mark or error.context_mark
    line = f"{file_name}:{mark.line + 1}: " if mark else f"{file_name}: "
    line += error.problem or "invalid YAML"
    if error.context and error.context_mark:
        line += f" ({error.context} at line {error.context_mark.line + 1})"
    return line


def _as_config_values(config: dict[str, Any]) -> dict[str, str]:
    # Pulumi hands structured values to the program as JSON text, scalars as their string form.
    values = {}
    for key, value in config.items():
        if isinstance(value, (dict, list)):
            values[key] = json.dumps(value)
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        else:
            values[key] = str(value)
    return values


def run_program(
    stack: str,
    overrides: dict[str, Any] | None = None,
    remove: tuple[str, ...] = (),
    stack_outputs: dict[str, dict] | None = None,
    root: Path = PROJECT_ROOT,
    deployed: AccountState | None = None,
) -> Deployment:
    """Run `root`/__main__.py for `stack` under the recording mock engine, in an empty fake
    account or in one holding what an earlier run left (`deployed`)."""
    config = {k: v for k, v in stack_config(stack, root).items() if k not in remove}
    config.update(overrides or {})
    pulumi.runtime.set_all_config(_as_config_values(config))
    mocks = RecordingMocks(stack_outputs, region=str(config.get("aws:region", "us-east-1")), deployed=deployed)
    return run_declarations(
        lambda: runpy.run_path(str(root / "__main__.py"), run_name="__main__"), mocks, project_name(root), stack
    )


def run_declarations(program: Callable[[], Any], mocks: RecordingMocks, project: str, stack: str) -> Deployment:
    """Run `program` under the recording mock engine until everything it declared is registered."""
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    _sync_await(run_pulumi_func(program))
    stack_resource = pulumi.runtime.get_root_resource()
    assert isinstance(stack_resource, Stack), "the program ran outside a Pulumi stack"
    outputs = {name: _resolve(value) for name, value in stack_resource.outputs.items()}
    stack_resource.outputs.clear()
    return Deployment(monitor.registrations, outputs, mocks.invokes)


def _resolve(value: Any) -> Any:
    return _sync_await(pulumi.Output.from_input(value).future())
