"""Issue #31: the package's schema is what Pulumi's analyzer infers from the components, committed as
package/schema.json and checked here for staleness (as schema/stack-config.schema.json is, in
tests/settings/test_reference.py); every input and output is described; the tokens are the ones the
component host requires (`<package>:index:<Class>`, pulumi/provider/experimental/component.py
`validate_resource_type`); PulumiPlugin.yaml declares the Python runtime with uv (Pulumi's
PulumiPlugin.yaml reference: `runtime`, its `options`)."""

from __future__ import annotations

import json

import pytest

from package import schema as package_schema
from package.members import COMPONENTS
from plan.engine import PROJECT_ROOT, load_yaml
from settings import checks

SCHEMA = json.loads(package_schema.SCHEMA.read_text())


def test_the_committed_schema_is_the_one_the_analyzer_infers():
    assert package_schema.main(["--check"]) == 0, "run: .venv/bin/python -m package.schema"


def test_a_schema_that_differs_from_the_inferred_one_is_reported_stale(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "schema.json"
    stale.write_text(package_schema.SCHEMA.read_text().replace("The writer endpoint.", "The endpoint."))
    monkeypatch.setattr(package_schema, "SCHEMA", stale)

    assert package_schema.main(["--check"]) == 1
    assert "schema.json is stale: run .venv/bin/python -m package.schema" in capsys.readouterr().err


def test_each_packaged_component_is_a_resource_of_the_index_module():
    assert sorted(SCHEMA["resources"]) == sorted(f"aurora:index:{component.__name__}" for component in COMPONENTS)


def described(properties: dict) -> list[str]:
    return [name for name, spec in properties.items() if not (spec.get("description") or "").strip()]


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_every_input_and_output_is_described(token):
    resource = SCHEMA["resources"][token]
    assert resource["description"].strip()
    assert resource["inputProperties"] and resource["properties"]
    assert described(resource["inputProperties"]) == []
    assert described(resource["properties"]) == []


OBJECT_TYPES = {token: spec for token, spec in SCHEMA["types"].items() if "enum" not in spec}
ENUM_TYPES = {token: spec for token, spec in SCHEMA["types"].items() if "enum" in spec}


def test_every_property_of_a_nested_type_is_described():
    assert OBJECT_TYPES, "AuroraCluster's serverlessScaling is a nested type"
    for spec in OBJECT_TYPES.values():
        assert spec["description"].strip()
        assert described(spec["properties"]) == []


def test_the_closed_sets_of_the_args_are_the_enums_settings_checks_declares():
    """Each closed set an arg takes is one Enum of settings/checks.py, whose values the stack file's
    rules allow: the schema's enum is that declaration, not a copy."""
    assert {token: [member["value"] for member in spec["enum"]] for token, spec in ENUM_TYPES.items()} == {
        "aurora:index:CaCertificate": list(checks.CA_CERTIFICATES),
        "aurora:index:EngineLifecycleSupport": list(checks.ENGINE_LIFECYCLE_SUPPORTS),
        "aurora:index:InsightsMode": list(checks.INSIGHTS_MODES),
        "aurora:index:MonitoringInterval": list(checks.MONITORING_INTERVALS),
        "aurora:index:StorageType": list(checks.STORAGE_TYPES),
    }
    cluster = SCHEMA["resources"]["aurora:index:AuroraCluster"]["inputProperties"]
    assert cluster["insightsMode"]["$ref"] == "#/types/aurora:index:InsightsMode"
    assert cluster["monitoringInterval"]["$ref"] == "#/types/aurora:index:MonitoringInterval"


@pytest.mark.parametrize("token", sorted(ENUM_TYPES))
def test_every_enum_and_each_of_its_members_is_described(token):
    """The SDK generators name a member by its `name` and document it by its description."""
    spec = ENUM_TYPES[token]
    assert spec["description"].strip()
    assert [member["name"] for member in spec["enum"] if not (member.get("description") or "").strip()] == []


def test_the_plugin_manifest_runs_the_package_with_python_and_uv():
    manifest = load_yaml(PROJECT_ROOT / "package" / "PulumiPlugin.yaml")

    assert manifest == {"runtime": {"name": "python", "options": {"toolchain": "uv"}}}
