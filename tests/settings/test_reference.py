"""The configuration reference and the stack-file schema are generated from the models and kept
current, the way `terraform-docs --output-check` keeps a module's README current; every stack file
and example is valid against the committed schema, as an editor with the YAML language server
(redhat yaml-language-server, `# yaml-language-server: $schema=` modeline) checks it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from plan.engine import PROJECT_ROOT
from settings import model as config_models
from settings import reference as config_docs
from settings.model import StackConfig

STACK_FILES = sorted(PROJECT_ROOT.glob("Pulumi.*.yaml")) + sorted((PROJECT_ROOT / "examples").glob("Pulumi.*.yaml"))
SCHEMA = json.loads(config_docs.SCHEMA.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def name(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def errors(document: dict) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


def stack(**aurora: object) -> dict:
    return {"config": {"aws:region": "us-east-1", **{f"aurora:{key}": value for key, value in aurora.items()}}}


def test_the_reference_table_and_the_schema_are_current():
    assert config_docs.stale() == [], "run: .venv/bin/python -m settings.reference"


def test_the_check_notices_a_hand_edited_table(tmp_path, monkeypatch):
    page = tmp_path / "configuration.md"
    page.write_text(config_docs.REFERENCE.read_text().replace("| `dataApi` | bool | `true` |", "| `dataApi` | bool | `false` |"))
    monkeypatch.setattr(config_docs, "REFERENCE", page)
    assert config_docs.stale() == [page]
    assert config_docs.main(["--check"]) == 1


def test_the_table_lists_every_setting_and_sub_setting_with_its_description():
    table = config_docs.reference_table()
    for key, field in StackConfig.model_fields.items():
        assert f"| `{field.alias}` |" in table, key
        assert field.description, f"{key} has no description"
    assert "| `serverless.minCapacity` | number | `0` |" in table
    assert "| `disasterRecovery.region` | string | required |" in table


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", STACK_FILES, ids=name)
def test_every_stack_file_and_example_is_valid_against_the_schema(path):
    assert errors(yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize("path", STACK_FILES, ids=name)
def test_every_stack_file_names_the_schema_on_its_first_line(path):
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first.removeprefix(prefix)).resolve() == config_docs.SCHEMA


def test_the_schema_refuses_an_unknown_key_at_the_top_and_nested():
    assert errors(stack(capacityType="serverless", dataAPI=True))
    assert errors(stack(capacityType="serverless", serverless={"maxAcu": 8}))
    assert errors(stack(capacityType="serverless", network={"vpcID": "default"}))


def test_the_schema_refuses_a_value_outside_the_allowed_ones():
    assert errors(stack(capacityType="serverless-v1"))
    assert errors(stack(capacityType="provisioned", provisioned={"insights": "premium"}))
    assert errors({"config": {"aurora:capacityType": "serverless"}}), "aws:region is required"


def test_the_schema_accepts_what_the_cli_stores_as_text_and_other_providers_keys():
    """`pulumi config set aurora:dataApi true` and `--path aurora:serverless.minCapacity 0.5` store text."""
    document = stack(capacityType="serverless", dataApi="true", backupRetentionDays="14", serverless={"minCapacity": "0.5"})
    document["config"]["mysql:endpoint"] = "127.0.0.1:3307"
    assert errors(document) == []
    assert errors(stack(capacityType="serverless", dataApi="yes"))


def _keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Every key the models declare, nested ones dotted."""
    found = []
    for field in model.model_fields.values():
        key = prefix + (field.alias or "")
        nested = config_models.section_model(field.annotation)
        found.append(key)
        if nested is not None:
            found += _keys(nested, key + ".")
    return found


def _schema_node(key: str) -> dict:
    first, *rest = key.split(".")
    node = SCHEMA["properties"]["config"]["properties"][f"aurora:{first}"]
    for part in rest:
        # A section, an optional one (anyOf with null) or a list of sections (items: adopt.instances).
        options = [node, *node.get("anyOf", []), node.get("items", {})]
        reference = next((option["$ref"] for option in options if "$ref" in option), None)
        node = SCHEMA["$defs"][reference.rsplit("/", 1)[1]]["properties"][part]
    return node


def test_every_field_of_every_settings_model_is_in_the_reference_and_the_schema():
    """Done-when of issue #14: a setting is one model field; the reference and the schema follow from it."""
    table = config_docs.reference_table()
    keys = _keys(StackConfig)
    assert len(keys) == len(set(keys)) > 40
    for key in keys:
        assert f"| `{key}` |" in table, key
        assert _schema_node(key)["description"], key
