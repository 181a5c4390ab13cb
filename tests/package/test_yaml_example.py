"""Issue #31: examples/package-yaml/Pulumi.yaml, a Pulumi YAML program using the package, checked
offline against the committed schema (package/schema.json): each resource's type is one of the
package's, each property is an input of it with a value of the input's type, every required input
is given, a `${resource.output}` names an output of a resource declared before it and never feeds an
input the schema marks plain (a plain input is read while the component runs: it must be a value).
Then the example is constructed through the package's provider under the mock engine, as the host
would for `pulumi up`: the values pass the components' rules and make the dev cluster."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pytest
from pulumi.provider.experimental.component import ComponentProvider

from package import schema as package_schema
from package.members import COMPONENTS, NAME, VERSION
from plan.engine import PROJECT_ROOT, RecordingMocks, load_yaml, run_declarations

EXAMPLE = PROJECT_ROOT / "examples" / "package-yaml" / "Pulumi.yaml"
PROGRAM = load_yaml(EXAMPLE)
SCHEMA = package_schema.package_schema()
REFERENCE = re.compile(r"^\$\{([\w-]+)\.(\w+)\}$")
SCALARS: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,)}


def type_problems(value: Any, spec: dict[str, Any], where: str, resources: dict[str, Any]) -> list[str]:
    """What is wrong with `value` as an input of schema `spec` (empty: nothing)."""
    if isinstance(value, str) and (reference := REFERENCE.match(value)):
        return reference_problems(reference.group(1), reference.group(2), spec, where, resources)
    if "$ref" in spec:
        nested = SCHEMA["types"][spec["$ref"].removeprefix("#/types/")]
        if "enum" in nested:  # a closed set: YAML gives a member's value
            members = [member["value"] for member in nested["enum"]]
            if value in members and type(value) is type(members[0]):
                return []
            return [f"{where}: {value!r} is not one of {', '.join(map(str, members))}"]
        return object_problems(value, nested["properties"], nested.get("required", []), where, resources)
    kind = spec["type"]
    if kind == "array":
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        return [p for i, item in enumerate(value) for p in type_problems(item, spec["items"], f"{where}[{i}]", resources)]
    if kind == "object":
        if not isinstance(value, dict):
            return [f"{where}: expected a mapping"]
        items = spec["additionalProperties"]
        return [p for key, item in value.items() for p in type_problems(item, items, f"{where}.{key}", resources)]
    allowed = SCALARS[kind]
    if isinstance(value, bool) and bool not in allowed or not isinstance(value, allowed):
        return [f"{where}: expected {kind}, got {value!r}"]
    return []


def reference_problems(name: str, output: str, spec: dict[str, Any], where: str, resources: dict[str, Any]) -> list[str]:
    if name not in resources:
        return [f"{where}: ${{{name}.{output}}} names no resource declared before it"]
    if spec.get("plain"):
        return [f"{where}: a plain input takes a value, not ${{{name}.{output}}}"]
    outputs = SCHEMA["resources"][resources[name]["type"]]["properties"]
    if output not in outputs:
        return [f"{where}: {name} has no output {output}"]
    found, wanted = outputs[output].get("type"), spec.get("type")
    return [] if found == wanted else [f"{where}: {name}.{output} is {found}, the input is {wanted}"]


def object_problems(value: Any, properties: dict, required: list[str], where: str, resources: dict[str, Any]) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected a mapping"]
    found = [f"{where}: no input {key}" for key in value if key not in properties]
    found += [f"{where}: {key} is required" for key in required if key not in value]
    return found + [
        p
        for key, item in value.items()
        if key in properties
        for p in type_problems(item, properties[key], f"{where}.{key}", resources)
    ]


def example_problems(program: dict[str, Any]) -> list[str]:
    declared: dict[str, Any] = {}
    found = []
    for name, resource in program["resources"].items():
        spec = SCHEMA["resources"].get(resource["type"])
        if spec is None:
            found.append(f"{name}: {resource['type']} is not a resource of the package")
            continue
        found += object_problems(
            resource.get("properties", {}), spec["inputProperties"], spec.get("requiredInputs", []), name, declared
        )
        declared[name] = resource
    for name, value in program.get("outputs", {}).items():
        reference = REFERENCE.match(value)
        if not reference or reference.group(1) not in declared:
            found.append(f"outputs.{name}: {value} names no resource of the program")
        elif reference.group(2) not in SCHEMA["resources"][declared[reference.group(1)]["type"]]["properties"]:
            found.append(f"outputs.{name}: {reference.group(1)} has no output {reference.group(2)}")
    return found


def test_the_example_is_a_yaml_program_that_uses_the_package():
    assert PROGRAM["runtime"] == "yaml"
    assert set(PROGRAM["packages"]) == {NAME}
    assert {resource["type"] for resource in PROGRAM["resources"].values()} == {
        "aurora:index:Network",
        "aurora:index:AuroraCluster",
        "aurora:index:Observability",
    }


def test_every_resource_matches_the_schema():
    assert example_problems(PROGRAM) == []


@pytest.mark.parametrize(
    ("resource", "change", "problem"),
    [
        ("database", {"engineVersoin": "8.0.mysql_aurora.3.10.5"}, "database: no input engineVersoin"),
        ("database", {"dataApi": "yes"}, "database.dataApi: expected boolean, got 'yes'"),
        ("database", {"storageType": "gp3"}, "database.storageType: 'gp3' is not one of aurora, aurora-iopt1"),
        ("database", {"monitoringInterval": "60"}, "database.monitoringInterval: '60' is not one of 0, 1, 5, 10, 15, 30, 60"),
        ("database", {"serverlessScaling": {"minCapacity": 0}}, "database.serverlessScaling: maxCapacity is required"),
        ("database", {"availabilityZones": "${network.availabilityZones}"}, "a plain input takes a value"),
        (
            "database",
            {"subnetGroupName": "${network.subnetGroup}"},
            "database.subnetGroupName: network has no output subnetGroup",
        ),
        ("network", {"tags": "${database.endpoint}"}, "names no resource declared before it"),
    ],
)
def test_the_check_finds_a_misspelt_mistyped_missing_or_unresolvable_input(resource, change, problem):
    changed = {**PROGRAM, "resources": {**PROGRAM["resources"]}}
    changed["resources"][resource] = {**changed["resources"][resource]}
    changed["resources"][resource]["properties"] = {**changed["resources"][resource]["properties"], **change}

    assert any(problem in found for found in example_problems(changed)), example_problems(changed)


def test_an_output_of_the_program_must_be_an_output_of_a_component():
    changed = {**PROGRAM, "outputs": {**PROGRAM["outputs"], "writer": "${database.writer}"}}

    assert example_problems(changed) == ["outputs.writer: database has no output writer"]


def test_a_missing_required_input_is_found():
    changed = {**PROGRAM, "resources": {**PROGRAM["resources"]}}
    changed["resources"]["database"] = {
        **changed["resources"]["database"],
        "properties": {k: v for k, v in PROGRAM["resources"]["database"]["properties"].items() if k != "masterUsername"},
    }

    assert example_problems(changed) == ["database: masterUsername is required"]


@pytest.mark.engine
def test_the_example_constructs_the_dev_cluster_through_the_package():
    provider = ComponentProvider(COMPONENTS, NAME, version=VERSION)
    states: dict[str, dict[str, Any]] = {}

    def resolved(value: Any) -> Any:
        if isinstance(value, str) and (reference := REFERENCE.match(value)):
            return states[reference.group(1)][reference.group(2)]
        if isinstance(value, list):
            return [resolved(item) for item in value]
        return {key: resolved(item) for key, item in value.items()} if isinstance(value, dict) else value

    def program() -> None:
        for name, resource in PROGRAM["resources"].items():
            inputs = resolved(resource["properties"])
            states[name] = provider.construct(name, resource["type"], inputs, pulumi.ResourceOptions()).state

    deployment = run_declarations(program, RecordingMocks(region="us-east-1"), "aurora-package-dev", "dev")

    [cluster] = deployment.of_type("aws:rds/cluster:Cluster")
    assert cluster.inputs["clusterIdentifier"] == "aurora-package-dev"
    assert cluster.inputs["serverlessv2ScalingConfiguration"] == {
        "minCapacity": 0,
        "maxCapacity": 4,
        "secondsUntilAutoPause": 300,
    }
    assert cluster.inputs["storageEncrypted"] is True
    assert [r.inputs["instanceClass"] for r in deployment.of_type("aws:rds/clusterInstance:ClusterInstance")] == ["db.serverless"]
