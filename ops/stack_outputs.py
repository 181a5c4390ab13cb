"""Reading a stack's outputs with the Pulumi CLI, so `--stack dev` finds the cluster by itself."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

from awscalls.errors import OperationError

Runner = Callable[[list[str]], "subprocess.CompletedProcess[str]"]


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def read_stack_outputs(stack: str, run: Runner = _run) -> dict[str, Any]:
    """`pulumi stack output --json` of a stack; a one-line OperationError when it cannot be read."""
    command = ["pulumi", "stack", "output", "--json", "--stack", stack]
    try:
        result = run(command)
    except FileNotFoundError as error:
        raise OperationError("the pulumi CLI is not on PATH: install it, or pass --cluster instead of --stack") from error
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise OperationError(f"cannot read outputs of stack {stack!r}: {reason[-1] if reason else 'pulumi failed'}")
    try:
        return json.loads(result.stdout)
    except ValueError as error:
        raise OperationError(f"stack {stack!r} printed outputs that are not JSON") from error


def read_stack_config(stack: str, key: str, run: Runner = _run) -> str | None:
    """`pulumi config get KEY` of a stack, or None when it is unset or cannot be read."""
    try:
        result = run(["pulumi", "config", "get", key, "--stack", stack])
    except FileNotFoundError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def require(outputs: dict[str, Any], key: str, stack: str) -> Any:
    if key not in outputs:
        raise OperationError(f"stack {stack!r} has no output {key!r}: run `pulumi up -s {stack}` first")
    return outputs[key]
