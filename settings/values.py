"""The types of the settings' values, as pydantic checks them.

pydantic checks the type first: strict, so `true` is not 1 and 1 is not text; numeric text and
"true"/"false" are read as numbers and flags first, because `pulumi config set` without `--path`
stores every value as text. Then a value's own rule (`checks`) judges it and says what is allowed.
Every refusal leaves here as a pydantic error; `loading` writes each as one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError, PydanticKnownError

T = TypeVar("T")

REFUSED = "aurora"
"""The type of the error a value's rule raises; its context holds what is allowed."""

_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d*\.\d+$")


def as_number(value: Any) -> Any:
    """`pulumi config set --path aurora:x.y 0.5` stores "0.5": numeric text counts as the number."""
    if isinstance(value, str):
        if _INTEGER.match(value):
            return int(value)
        if _DECIMAL.match(value):
            return float(value)
    return value


def as_flag(value: Any) -> Any:
    """`pulumi config set aurora:x true` without --path stores the text "true"."""
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


def as_choice_number(value: Any) -> Any:
    """A number of a list: a flag is not one (a Literal of numbers would take true for 1)."""
    if isinstance(value, bool):
        raise PydanticKnownError("int_type")
    return as_number(value)


def checked(check: Callable[[T], str | None]) -> AfterValidator:
    """Runs a value's rule once, on a value of the field's type; a refusal carries what is allowed."""

    def validate(value: T) -> T:
        allowed = check(value)
        if allowed is not None:
            raise PydanticCustomError(REFUSED, "{allowed}", {"allowed": allowed})
        return value

    return AfterValidator(validate)


Flag = Annotated[bool, Field(strict=True), BeforeValidator(as_flag)]
Text = Annotated[str, Field(strict=True)]
Whole = Annotated[int, Field(strict=True), BeforeValidator(as_number)]
Number = Annotated[float, Field(strict=True), BeforeValidator(as_number)]
ChoiceNumber = BeforeValidator(as_choice_number)
