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
from pathlib import Path

from . import cost, diff, tree
from .engine import PROJECT_ROOT
from .snapshot import Snapshot, take, take_in_child

EXIT_PROGRAM_FAILS = 1
EXIT_BAD_REVISION = 2
EXIT_STATEFUL_CHANGE = 3


class PlanError(Exception):
    """A one-line reason the plan cannot be made."""


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
        raise PlanError(f"--diff {ref}: not a git revision here ({reason[-1] if reason else 'git archive failed'})")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


def plan_stack(stack: str, old: Snapshot | None, ref: str | None) -> tuple[list[str], bool, bool]:
    """Lines for one stack; whether the program failed; whether a stateful resource would be lost."""
    current = take(stack)
    lines = tree.render(current)
    if current.error:
        return lines, True, False
    current_cost = cost.estimate(current)
    lines += [""] + cost.render(current_cost, stack)
    loses_data = False
    if old is not None and ref is not None:
        lines.append("")
        if old.error:
            lines.append(f"Cannot compare with {ref}: {old.error}")
        else:
            changes = diff.compare(old, current)
            loses_data = any(change.loses_data for change in changes)
            lines += diff.render(changes, ref, stack)
            if old.resources:
                before, after = cost.estimate(old).total, current_cost.total
                lines.append(f"Estimated monthly cost: ${before:,.2f} at {ref} -> ${after:,.2f} ({after - before:+,.2f})")
    return lines, False, loses_data


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sections: list[tuple[str, list[str]]] = []
    failed = lost = False
    try:
        with tempfile.TemporaryDirectory(prefix="plan-") as scratch:
            old_root = Path(scratch)
            if args.diff:
                checkout(args.diff, old_root)
            for stack in args.stacks:
                if not (PROJECT_ROOT / f"Pulumi.{stack}.yaml").exists():
                    raise PlanError(f"stack {stack!r}: no Pulumi.{stack}.yaml in {PROJECT_ROOT}")
                old = take_in_child(stack, old_root) if args.diff else None
                lines, stack_failed, stack_lost = plan_stack(stack, old, args.diff)
                sections.append((stack, lines))
                failed, lost = failed or stack_failed, lost or stack_lost
    except PlanError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_REVISION
    print(render_markdown(sections) if args.markdown else "\n\n".join("\n".join(lines) for _, lines in sections))
    if failed:
        return EXIT_PROGRAM_FAILS
    return EXIT_STATEFUL_CHANGE if args.strict and lost else 0


def render_markdown(sections: list[tuple[str, list[str]]]) -> str:
    parts = ["## Offline plan", "", "Made by `python -m plan` under the mock engine: no cloud credentials were used."]
    for stack, lines in sections:
        parts += ["", f"### `{stack}`", "", "```text", *lines, "```"]
    return "\n".join(parts)
