"""Plan output that fits a terminal and a pull request comment: no line longer than `MAX_WIDTH`.

Values are shown the way `pulumi preview --diff` shows them (strings quoted, whole numbers without
a decimal point, secrets as `[secret]`), shortened with `...` when they do not fit.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from pulumi.runtime.rpc import is_rpc_secret

MAX_WIDTH = 100
"""Characters per line of plan output (a GitHub code block shows about this many without scrolling)."""
CONTINUATION = "    "
"""Added to a line's own indent for the lines it wraps onto."""
ELLIPSIS = "..."


def shown(value: Any, quoted: bool = True) -> str:
    """One value as `pulumi preview --diff` prints it: secrets as `[secret]`, keys sorted, whole
    numbers without a decimal point (the engine sends every number as a float), JSON text decoded
    after `(json)`, other strings quoted unless `quoted` is off."""
    if is_rpc_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {shown(value[key], quoted)}" for key in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(shown(item, quoted) for item in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and quoted:
        document = _json_document(value)
        return json.dumps(value) if document is None else "(json) " + shown(document)
    return str(value)


def _json_document(text: str) -> dict | list | None:
    # A policy or dashboard body: shown decoded, as Pulumi shows it, not as one escaped string.
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, (dict, list)) else None


def truncated(text: str, width: int) -> str:
    """`text` cut to `width` characters, ending in `...` when cut."""
    if len(text) <= width:
        return text
    return text[: max(width - len(ELLIPSIS), 0)] + ELLIPSIS


def around_first_difference(old: str, new: str, width: int) -> tuple[str, str]:
    """Both texts cut to `width`, each showing the place where they start to differ
    (a policy document that changed in one statement shows that statement, not its first bytes)."""
    if len(old) <= width and len(new) <= width:
        return old, new
    common = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    start = max(0, common - width // 3)

    def excerpt(text: str) -> str:
        if len(text) <= width:
            return text
        if start == 0:
            return truncated(text, width)
        return truncated(ELLIPSIS + text[start + len(ELLIPSIS) :], width)

    return excerpt(old), excerpt(new)


def packed(head: str, items: list[str], indent: str) -> list[str]:
    """`head` followed by `items` two spaces apart, on lines of at most `MAX_WIDTH` characters that
    start with `indent`. An item moves whole to the next line; one longer than a line gets lines of
    its own, broken after its commas."""
    lines = [head]
    full = False
    for item in items:
        if not full and len(lines[-1]) + 2 + len(item) <= MAX_WIDTH:
            lines[-1] += "  " + item
            continue
        item_lines = _broken_after_commas(item, indent)
        lines += item_lines
        full = len(item_lines) > 1
    return lines


def _broken_after_commas(item: str, indent: str) -> list[str]:
    lines = [indent]
    for piece in re.split(r"(?<=, )", item):
        if len(lines[-1]) + len(piece.rstrip()) > MAX_WIDTH and lines[-1].strip():
            lines[-1] = lines[-1].rstrip()
            lines.append(indent + CONTINUATION)
        lines[-1] += piece
    return [wrapped for line in lines for wrapped in fitted([line.rstrip()])]


def fitted(lines: list[str]) -> list[str]:
    """Each line wrapped at spaces to `MAX_WIDTH`, its continuation indented under it."""
    result = []
    for line in lines:
        if len(line) <= MAX_WIDTH:
            result.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())] + CONTINUATION
        result += textwrap.wrap(line, MAX_WIDTH, subsequent_indent=indent, break_on_hyphens=False)
    return result
