"""Generates the configuration reference and the stack-file JSON Schema from `settings/model.py`.

`python -m settings.reference` rewrites the table in docs/configuration.md (between the
markers) and schema/stack-config.schema.json; `--check` only says whether they are stale, as
`terraform-docs --output-check` does. tests/settings/test_reference.py runs the check.
"""

from __future__ import annotations

import json
import sys
import types
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import checks as v
from .model import StackConfig, section_model

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "configuration.md"
SCHEMA = ROOT / "schema" / "stack-config.schema.json"
BEGIN = "<!-- BEGIN GENERATED SETTINGS: python -m settings.reference -->"
END = "<!-- END GENERATED SETTINGS -->"

_TYPES = {str: "string", int: "int", float: "number", bool: "bool", tuple: "list", dict: "map"}


def _type_name(annotation: Any) -> str:
    if section_model(annotation) is not None:
        return "list of objects" if get_origin(annotation) is tuple else "object"
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Literal:
        return _TYPES[type(get_args(annotation)[0])]
    if isinstance(annotation, type) and issubclass(annotation, Enum):  # a closed set: its values' type
        return _TYPES[type(v.values_of(annotation)[0])]
    if get_origin(annotation) is Annotated:
        return _type_name(get_args(annotation)[0])
    return _TYPES[get_origin(annotation) or annotation]


def _default(field: FieldInfo) -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    if "x-default" in extra:
        return str(extra["x-default"])
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return "see keys" if section_model(field.annotation) else "`{}`"
    if field.default is None:
        return "absent"
    return f"`{json.dumps(list(field.default) if isinstance(field.default, tuple) else field.default).strip(chr(34))}`"


def _rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        key = prefix + (field.alias or name)
        description = (field.description or "").replace("|", "\\|")
        rows.append(f"| `{key}` | {_type_name(field.annotation)} | {_default(field)} | {description} |")
        nested = section_model(field.annotation)
        if nested is not None:
            rows += _rows(nested, key + ".")
    return rows


def reference_table() -> str:
    header = ["| Key | Type | Default | Meaning and allowed values |", "|---|---|---|---|"]
    return "\n".join([BEGIN, *header, *_rows(StackConfig), END])


# What the Pulumi CLI writes for `pulumi config set aurora:key 14` (no --path: text) and for
# `--path aurora:x.y 0.5` (non-integers: text), which the models accept too (`values.as_number`).
_AS_TEXT = {
    "number": {"type": "string", "pattern": r"^-?\d*\.?\d+$"},
    "integer": {"type": "string", "pattern": r"^-?\d+$"},
    "boolean": {"enum": ["true", "false"]},
}


JSON_SCHEMA_BOUNDS = {"ge": "minimum", "le": "maximum"}


def _text_too(node: Any) -> Any:
    """The schema with every number and boolean also accepted as the text the CLI stores."""
    if isinstance(node, list):
        return [_text_too(item) for item in node]
    if not isinstance(node, dict):
        return node
    # pydantic titles a field by its Python name ("Mincapacity"); editors show the key and description.
    node = {key: _text_too(value) for key, value in node.items() if key != "title" or "properties" in node}
    # pydantic writes a constrained type behind a validator with its own `ge`/`le`, which JSON Schema
    # does not know: editors check the range only as `minimum`/`maximum`.
    node = {JSON_SCHEMA_BOUNDS.get(key, key): value for key, value in node.items()}
    kind = node.get("type")
    if isinstance(kind, str) and kind in _AS_TEXT:
        del node["type"]
        allowed = node.pop("enum", None)
        if allowed is None:
            node["anyOf"] = [{"type": kind}, _AS_TEXT[kind]]
        else:
            node["anyOf"] = [{"type": kind, "enum": allowed}, {"enum": [str(value) for value in allowed]}]
    return node


def stack_schema() -> dict[str, Any]:
    """`Pulumi.<stack>.yaml`: the `aurora:*` keys as the models declare them, `aws:region`, and any
    other provider's namespaced keys."""
    models = _text_too(StackConfig.model_json_schema(by_alias=True))
    definitions = models.pop("$defs", {})
    aurora = {f"aurora:{key}": value for key, value in models["properties"].items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Pulumi stack file of the aurora program",
        "description": "Generated from settings/model.py by `python -m settings.reference`; do not edit.",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": {
                    "aws:region": {"type": "string", "description": "The primary AWS region", "enum": list(v.AWS_REGIONS)},
                    **aurora,
                },
                "required": ["aws:region", *(f"aurora:{key}" for key in models.get("required", []))],
                # Other providers' keys (`namespace:key`) are theirs to check; an unknown aurora key is an error.
                "patternProperties": {"^(?!aurora:)[A-Za-z0-9_-]+:[A-Za-z0-9_.-]+$": {}},
                "additionalProperties": False,
            },
            "secretsprovider": {"type": "string"},
            "encryptedkey": {"type": "string"},
            "encryptionsalt": {"type": "string"},
            "environment": {},
        },
        "required": ["config"],
        "additionalProperties": False,
        "$defs": definitions,
    }


def schema_text() -> str:
    return json.dumps(stack_schema(), indent=2) + "\n"


def reference_text(current: str) -> str:
    """The page with its generated table replaced; the prose around it is kept."""
    before, rest = current.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    return before + reference_table() + after


def stale() -> list[Path]:
    outdated = []
    if reference_text(REFERENCE.read_text()) != REFERENCE.read_text():
        outdated.append(REFERENCE)
    if not SCHEMA.exists() or SCHEMA.read_text() != schema_text():
        outdated.append(SCHEMA)
    return outdated


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        outdated = stale()
        for path in outdated:
            print(f"{path} is stale: run python -m settings.reference", file=sys.stderr)
        return 1 if outdated else 0
    REFERENCE.write_text(reference_text(REFERENCE.read_text()))
    SCHEMA.parent.mkdir(exist_ok=True)
    SCHEMA.write_text(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
