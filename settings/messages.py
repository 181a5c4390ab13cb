"""The one formatter: every refusal of a stack's settings as one line.

`aurora:<key> is <value as written>: <what is allowed>`: the key as typed after `pulumi config
set`, the value as the stack file has it (pydantic reports the input before any conversion, so
numeric text stays text), and what the field's type or its rule allows (`values`, `checks`). A
list item reads `has <item>`, a map's key `has key <key>`.
"""

from __future__ import annotations

import difflib
from typing import Any, Literal, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from . import checks as v
from .model import StackConfig, keys_of, section_model
from .namespaces import provider_keys
from .values import REFUSED

# A whole number's errors: its type, and pydantic's `ge` and `le`; all answered with its range.
WHOLE_NUMBER_ERRORS = ("int_type", "int_from_float", "greater_than_equal", "less_than_equal")
# What a value of the wrong type should have been, by pydantic's error type.
EXPECTED = {
    "bool_type": "allowed values are true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "string_type": "expected text",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
}


def problems(error: ValidationError) -> list[str]:
    """One line per problem in a pydantic error; a Serverless v1 configuration gets one."""
    # A default that follows capacityType is not computed when capacityType (or a field before it) is
    # refused: that refusal is the problem, not the defaults it left open.
    details = [detail for detail in error.errors(include_url=False) if detail["type"] != "default_factory_not_called"]
    v1 = [detail for detail in details if _is_serverless_v1(detail)]
    if v1:
        # What v1 also brought (its other keys, its engine version, no capacityType) follows from it.
        details = v1[:1] + [detail for detail in details if not _brought_by_v1(detail)]
    messages: list[str] = []
    for detail in details:
        message = _message(detail)
        if message not in messages:
            messages.append(message)
    return messages


def _is_serverless_v1(detail: ErrorDetails) -> bool:
    """A Serverless v1 key (engineMode, scalingConfiguration) or capacityType."""
    if detail["type"] == "extra_forbidden":  # always located: pydantic names the key it refuses
        return str(detail["loc"][-1]) in v.SERVERLESS_V1_KEYS
    return detail["loc"] == ("capacityType",) and v.is_serverless_v1_capacity(detail["input"])


def _brought_by_v1(detail: ErrorDetails) -> bool:
    if _is_serverless_v1(detail):
        return True
    if detail["loc"] == ("capacityType",):
        return detail["type"] == "missing"
    return detail["loc"] == ("engineVersion",) and v.is_aurora_mysql_1(detail["input"])


def _message(detail: ErrorDetails) -> str:
    loc, kind = detail["loc"], detail["type"]
    if loc and loc[-1] == "[key]":  # a map's key: `aurora:tags has key 'aws:x'`
        return f"{v.setting(_key(loc[:-2]))} has key {v.show(loc[-2])}: {_allowed(detail)}"
    path = [str(part) for part in loc if isinstance(part, str)]
    name = ".".join(path)
    if kind == "extra_forbidden":
        return _unknown_key(path)
    if kind == "missing":
        return f"{v.setting(name)} is required: {_field(path).description}"
    # pydantic reports the value as the stack file has it ("0.5" stays text), before any conversion.
    value = detail["input"]
    if kind in ("model_type", "model_attributes_type") or (kind == "dict_type" and _is_section(path)):
        return f"{v.setting(name)} is {v.show(value)}: expected an object with keys {', '.join(keys_of(_model(path)))}"
    verb = "has" if isinstance(loc[-1], int) else "is"  # an item of a list
    return f"{v.setting(name)} {verb} {v.show(value)}: {_allowed(detail, path)}"


def _allowed(detail: ErrorDetails, path: list[str] | None = None) -> str:
    kind, context = detail["type"], detail.get("ctx") or {}
    if kind == REFUSED:
        return str(context["allowed"])
    if kind == "literal_error" and path is not None:
        if path == ["capacityType"] and v.is_serverless_v1_capacity(detail["input"]):
            return v.SERVERLESS_V1_END
        return v.allowed_values(_literal_values(_field(path).annotation))
    if kind == "enum" and path is not None:  # a closed set declared as an Enum (settings/checks.py)
        return v.allowed_values(v.values_of(_field(path).annotation))
    if kind == "dict_type":
        return "expected a map of names to text"
    if kind in WHOLE_NUMBER_ERRORS and path is not None and (bounds := _bounds(_field(path))):
        return f"allowed values are whole numbers from {bounds[0]} to {bounds[1]}"
    if kind in EXPECTED and kind != "bool_type" and path is not None:
        # A value of the wrong type: what the type is, and what the setting is for.
        return f"{EXPECTED[kind]}: {_field(path).description}"
    return EXPECTED.get(kind, detail["msg"].lower())


def _bounds(found: Any) -> tuple[int, int] | None:
    """The `ge` and `le` of a whole-number field (`Field(ge=..., le=...)`, alone or `| None`)."""
    low: Any = None
    high: Any = None
    for item in [*getattr(found, "metadata", ()), *get_args(getattr(found, "annotation", found))]:
        if isinstance(item, annotated_types.Ge):
            low = item.ge
        elif isinstance(item, annotated_types.Le):
            high = item.le
        elif (inner := _bounds(item)) is not None:
            return inner
    return (low, high) if low is not None and high is not None else None


def _literal_values(annotation: Any) -> tuple[Any, ...]:
    """The values of a field's `Literal[...]` type."""
    assert get_origin(annotation) is Literal, annotation
    return get_args(annotation)


def _key(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc if isinstance(part, str))


def _is_section(path: list[str]) -> bool:
    return section_model(_field(path).annotation) is not None


def _model(path: list[str]) -> type[BaseModel]:
    model: type[BaseModel] = StackConfig
    for key in path:
        section = section_model(_field_of(model, key).annotation)
        assert section is not None, path
        model = section
    return model


def _field_of(model: type[BaseModel], key: str) -> Any:
    return next(field for name, field in model.model_fields.items() if (field.alias or name) == key)


def _field(path: list[str]) -> Any:
    """The declared field a path reaches: the setting itself, or the map it is a key of (`tags.Team`)."""
    model: type[BaseModel] = StackConfig
    for key in path:
        field = _field_of(model, key)
        section = section_model(field.annotation)
        if section is None:
            return field
        model = section
    return field


def _unknown_key(path: list[str]) -> str:
    *parents, key = path
    name = v.setting(".".join(path))
    if key in v.SERVERLESS_V1_KEYS:
        return f"{name} is a Serverless v1 setting: {v.SERVERLESS_V1_END}"
    allowed = keys_of(_model(parents))
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean {v.setting('.'.join([*parents, close[0]]))}?" if close else ""
    if not parents:
        # A provider's key written without its namespace reads as the program's (`region` is aurora:region).
        owner = next((namespace for namespace, keys in provider_keys().items() if key in keys), None)
        if not hint and owner is not None:
            hint = f"; did you mean {owner}:{key}?"
        return f"{name} is not a known setting{hint}"
    return f"{name} is not a known setting{hint or ':'} allowed keys are {', '.join(allowed)}"
