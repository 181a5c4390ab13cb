"""Human output: aligned `key  value` lines, nested sections indented, lists of records as
tables. Nothing is printed as a Python repr; a missing value reads `-`."""

from __future__ import annotations

from typing import Any

MISSING = "-"
# A list of plain values longer than this is printed one item a line.
INLINE_LIST_WIDTH = 60


def text(value: Any) -> str:
    """One value as a person reads it."""
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(text(item) for item in value) or MISSING
    if isinstance(value, dict):
        return ", ".join(f"{key} {text(item)}" for key, item in value.items()) or MISSING
    return str(value)


def grid(columns: list[str], rows: list[list[Any]], indent: str = "") -> list[str]:
    """Rows under a header, each column as wide as its widest cell."""
    cells = [columns] + [[text(value) for value in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(columns))]
    return [indent + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]


def table(records: list[dict[str, Any]], indent: str = "") -> list[str]:
    """Records as a grid whose columns are their keys."""
    columns = list(dict.fromkeys(key for record in records for key in record))
    return grid(columns, [[record.get(column) for column in columns] for record in records], indent)


def lines(result: dict[str, Any], indent: str = "") -> list[str]:
    """A result dict as aligned lines: scalars as `key  value`, dicts as indented sections,
    lists of dicts as tables, short lists inline and long ones one item a line."""
    width = max((len(key) for key in result), default=0)
    out: list[str] = []
    for key, value in result.items():
        if isinstance(value, dict) and value:
            out.append(f"{indent}{key}")
            out += lines(value, indent + "  ")
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            out.append(f"{indent}{key}")
            out += table(value, indent + "  ")
        elif isinstance(value, list) and len(text(value)) > INLINE_LIST_WIDTH:
            out.append(f"{indent}{key}")
            out += [f"{indent}  {text(item)}" for item in value]
        else:
            out.append(f"{indent}{key.ljust(width)}  {text(value)}".rstrip())
    return out
