"""Plan output that fits a terminal and a pull request comment: no line longer than `MAX_WIDTH`.

Values are shown the way `pulumi preview --diff` shows them (strings quoted, whole numbers without
a decimal point, secrets as `[secret]`), shortened at a token boundary, with what was left out named, when they do not fit.
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
    """`text` cut to `width` characters at a token boundary (never inside a word or a quoted
    string), ending in what was cut: `... and 3 more items` for a list or mapping, else
    `... (12 more characters)`."""
    return _excerpt(text, 0, width)


def around_first_difference(old: str, new: str, width: int) -> tuple[str, str]:
    """Both texts cut to `width` at token boundaries, each showing the place where they start to
    differ (a policy document that changed in one statement shows that statement, not its first
    bytes), with what was cut before and after named."""
    if len(old) <= width and len(new) <= width:
        return old, new
    common = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    aim = max(0, common - width // 10)

    def excerpt(text: str) -> str:
        if len(text) <= width:
            return text
        # From the start of the item that differs when it is short enough, else a few words before.
        items = [start for start in _item_starts(text) or [] if start <= common and common - start <= width // 2]
        start = max(items) if items else max(cut for cut in _boundaries(text) if cut <= aim)
        first_item = (_item_starts(text) or [0])[0]
        if start == first_item:
            start = 0  # the first item: nothing before it but the bracket
        return _excerpt(text, start, width) if len(_head(text, start)) < width // 2 else _excerpt(text, 0, width)

    return excerpt(old), excerpt(new)


def _excerpt(text: str, start: int, width: int) -> str:
    """`text` from the boundary `start` on, at most `width` characters with what was left out before
    and after named."""
    head = _head(text, start) if start else ""
    room = width - len(head)
    if len(text) - start <= room:
        return head + text[start:]
    cuts = [cut for cut in _boundaries(text) if cut >= start and cut - start + len(_tail(text, cut)) <= room]
    if len(cuts) > 1 or (cuts and cuts[0] > start):
        return head + text[start : cuts[-1]] + _tail(text, cuts[-1])
    # One token longer than the room (a long name or an encoded blob): its start, then its length.
    cut = start + max(room - len(_characters_tail(len(text) - start - room)), 0)
    return head + text[start:cut] + _characters_tail(len(text) - cut)


def _boundaries(text: str) -> list[int]:
    """The places `text` may be cut: its start and the start of each word (after a space), never
    inside a word, a number or a name."""
    return [0, *(space.end() for space in re.finditer(r"\s+", text) if space.end() < len(text))]


def _item_starts(text: str) -> list[int] | None:
    """Where each top-level item of a shown list or mapping (`[a, b]`, `(json) {a: 1}`) starts, or
    None when `text` is not one."""
    opening = text.find("[") if text.startswith("[") else text.find("{")
    if opening < 0 or text[:opening] not in ("", "(json) "):
        return None
    starts, depth, quoted, escaped = [], 0, False, False
    for i, char in enumerate(text[opening:], opening):
        if quoted:
            quoted, escaped = (char != '"' or escaped), (char == "\\" and not escaped)
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth == 1 and text[i + 1 : i + 2] not in ("]", "}"):
                starts.append(i + 1)
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 1:
            starts.append(i + 2)
    return starts


def _tail(text: str, cut: int) -> str:
    """What stands for `text[cut:]` when it is cut off."""
    starts = _item_starts(text)
    if starts is None:
        return _characters_tail(len(text) - cut)
    ends = [*starts[1:], len(text) + 2]
    missing = sum(1 for end in ends if end - 2 > cut)
    return f"{ELLIPSIS} and {missing} more item{'s' if missing != 1 else ''}"


def _characters_tail(count: int) -> str:
    return f"{ELLIPSIS} ({count} more characters)"


def _head(text: str, start: int) -> str:
    """What stands for `text[:start]` when it is cut off: the whole items it held, or else its length."""
    starts = _item_starts(text) or []
    whole = sum(1 for item in starts if item < start) - (0 if start in starts else 1)
    if whole > 0:
        return f"({whole} item{'s' if whole != 1 else ''} before) {ELLIPSIS} "
    return f"({start} characters before) {ELLIPSIS} "


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
