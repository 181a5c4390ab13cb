"""`python -m plan`: what each stack declares and roughly costs, offline, and what a change would do.

Runs the program under the Pulumi SDK's mock engine: no credentials, no Pulumi CLI, no AWS calls.
Invokes are answered by a fake account (a default VPC with three zones), so subnet ids and zones
are stand-ins; everything the program decides from its configuration is real.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import cost, diff, text, tree
from .engine import PROJECT_ROOT
from .snapshot import Snapshot, start_in_child, take

# The exit codes docs/offline-plan.md documents.
EXIT_PLANNED = 0
EXIT_PROGRAM_FAILS = 1
"""The program fails for a stack, or its stack file cannot be read (or does not exist)."""
EXIT_BAD_REVISION = 2
"""`--diff REF` names no git revision here (argparse also exits 2 for a command line it refuses)."""
EXIT_STATEFUL_CHANGE = 3
"""`--strict`, and a change would replace or delete a stateful resource."""


class PlanError(Exception):
    """A one-line reason the plan cannot be made, with the exit code it ends in."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


def parse_args(argv: list[str]) -> argparse.Namespace:
    stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in PROJECT_ROOT.glob("Pulumi.*.yaml"))
    parser = argparse.ArgumentParser(
        prog="python -m plan",
        description="Offline plan: each stack's resource tree and estimated monthly cost, from the mock engine.",
    )
    parser.add_argument("stacks", nargs="*", default=stacks, help=f"stacks to plan (default: {' '.join(stacks)})")
    parser.add_argument(
        "--diff",
        metavar="REF",
        help="also compare with git revision REF (e.g. origin/main) and mark "
        "changes that would replace or delete a stateful resource",
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown document (for a pull request comment)")
    parser.add_argument(
        "--strict",
        action="store_true",
        help=f"exit {EXIT_STATEFUL_CHANGE} when a change would replace or delete a stateful resource",
    )
    return parser.parse_args(argv)


def checkout(ref: str, into: Path) -> None:
    """Extract the files of git revision `ref` into `into` (no work tree or index is touched)."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=PROJECT_ROOT, capture_output=True, check=False)
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise PlanError(
            f"--diff {ref}: not a git revision here ({reason[-1] if reason else 'git archive failed'})", EXIT_BAD_REVISION
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


@dataclass
class StackPlan:
    stack: str
    lines: list[str]
    failed: bool = False
    """The program could not be run for this stack."""
    incomplete: str | None = None
    """Why part of the plan is missing (the program fails, or the revision compared with does)."""
    losing: list[diff.Change] = field(default_factory=list)
    """The changes that would replace or delete a stateful resource."""


def plan_stack(stack: str, old: Snapshot | None, ref: str | None, current: Snapshot | None = None) -> StackPlan:
    """The changes since `ref` first (when asked), then the resource tree and the cost estimate
    (of `current`, taken here when not given)."""
    current = take(stack) if current is None else current
    tree_lines = tree.render(current)
    if current.error:
        return StackPlan(stack, tree_lines, failed=True, incomplete="\n".join(tree_lines))
    current_cost = cost.estimate(current)
    lines: list[str] = []
    losing: list[diff.Change] = []
    incomplete = None
    if old is not None and ref is not None:
        if old.error:
            incomplete = "\n".join(tree.failure_lines(f"Cannot compare {stack} with {ref}: {old.error}"))
            lines += incomplete.splitlines()
        else:
            changes = diff.compare(old, current)
            losing = [change for change in changes if change.loses_data]
            lines += diff.render(changes, diff.unchanged_count(old, current, changes), ref, stack)
            if old.resources:
                before, after = cost.estimate(old).total, current_cost.total
                lines += ["", f"Estimated monthly cost: ${before:,.2f} at {ref} -> ${after:,.2f} ({after - before:+,.2f})"]
        lines.append("")
    lines += tree_lines + [""] + cost.render(current_cost, stack)
    return StackPlan(stack, lines, losing=losing, incomplete=incomplete)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    plans: list[StackPlan] = []
    try:
        for stack in args.stacks:
            if not (PROJECT_ROOT / f"Pulumi.{stack}.yaml").exists():
                raise PlanError(f"stack {stack!r}: no Pulumi.{stack}.yaml in {PROJECT_ROOT}", EXIT_PROGRAM_FAILS)
        with tempfile.TemporaryDirectory(prefix="plan-") as scratch:
            old_root = Path(scratch)
            if args.diff:
                checkout(args.diff, old_root)
            # Each revision's program runs in its own child, alongside this checkout's (two cores, half the wait).
            pending = {stack: start_in_child(stack, old_root) for stack in args.stacks} if args.diff else {}
            for stack in args.stacks:
                current = take(stack)
                old = pending[stack]() if args.diff else None
                plans.append(plan_stack(stack, old, args.diff, current))
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(render_markdown(plans) if args.markdown else "\n\n".join("\n".join(text.fitted(plan.lines)) for plan in plans))
    if any(plan.failed for plan in plans):
        return EXIT_PROGRAM_FAILS
    loses_data = any(plan.losing for plan in plans)
    return EXIT_STATEFUL_CHANGE if args.strict and loses_data else EXIT_PLANNED


def render_markdown(plans: list[StackPlan]) -> str:
    """A pull request comment: what could not be planned and the data-loss warnings of every stack
    at the top, then each stack."""
    parts = ["## Offline plan", ""]
    missing = [
        f"> - {line}" if i == 0 else f">   {line.strip()}"
        for plan in plans
        if plan.incomplete
        for i, line in enumerate(plan.incomplete.splitlines())
    ]
    if missing:
        parts += ["> [!CAUTION]", "> The plan is incomplete:", ">", *missing, ""]
    warnings = [f"> - `{plan.stack}` `{change.title()}`: {change.consequence()}" for plan in plans for change in plan.losing]
    if warnings:
        parts += [
            "> [!WARNING]",
            f"> {len(warnings)} change(s) would replace or delete a stateful resource (its data would be lost):",
            ">",
            *warnings,
            "",
        ]
    parts.append("Made by `python -m plan` under the mock engine: no cloud credentials were used.")
    for plan in plans:
        parts += ["", f"### `{plan.stack}`", "", "```text", *text.fitted(plan.lines), "```"]
    return "\n".join(parts)
