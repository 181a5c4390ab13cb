"""`python -m ops`: the command line for operating the workshop's clusters.

Results go to standard output (aligned text, or one JSON document with --json); progress and
questions go to standard error, so `--json` output stays machine-readable. A failure ends with one
line, `error: ...`, and exit status 1; a usage error exits 2; nothing prints a traceback.
Global options (--stack, --cluster, --region, --json, --yes, --timeout) work before or after the
command, as with `aws` and `pulumi`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TextIO

import boto3

from awscalls.errors import AWS_FAILURES, OperationError, one_line, raised_inside_botocore

from .arguments import Parser, Subcommands, UsageError, global_options
from .cluster_ops import Waiting
from .commands import COMMANDS
from .context import Context
from .render import lines
from .stack_outputs import read_stack_config, read_stack_outputs


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m ops",
        description="Operate the workshop's Aurora clusters. boto3's own settings apply (AWS_PROFILE, AWS_ENDPOINT_URL).",
        parents=[global_options(top_level=True)],
    )
    commands = Subcommands(parser, dest="command", metavar="COMMAND")
    for add_command in COMMANDS:
        add_command(commands)
    return parser


def main(
    argv: list[str] | None = None,
    session: Any = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    read_outputs: Callable[[str], dict[str, Any]] = read_stack_outputs,
    waiting: Waiting | None = None,
    now: Callable[[], datetime] | None = None,
    read_config: Callable[[str, str], str | None] = read_stack_config,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run one command; its exit status. A reader that closes the pipe early (`ops --json status |
    head -1`) is normal for a command line: the command then ends quietly with status 1, as the
    `signal` module's "Note on SIGPIPE" in Python's documentation advises."""
    try:
        try:
            return _run(argv, session, stdin, stdout, stderr, read_outputs, waiting, now, read_config, environ)
        finally:
            stdout.flush()  # a reader that left shows here, inside this `try`, not at interpreter exit
    except BrokenPipeError:
        _discard_output_of_closed_pipes(stdout, stderr)
        return 1


def _discard_output_of_closed_pipes(*streams: TextIO) -> None:
    """Point the streams' descriptors at os.devnull, so the flush at interpreter exit finds no closed
    pipe to fail on again (Python's documentation, `signal` module, "Note on SIGPIPE")."""
    for stream in streams:
        try:
            descriptor = stream.fileno()
        except (AttributeError, OSError, ValueError):  # io.StringIO and other streams without a descriptor
            continue
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


def _run(
    argv: list[str] | None,
    session: Any,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    read_outputs: Callable[[str], dict[str, Any]],
    waiting: Waiting | None,
    now: Callable[[], datetime] | None,
    read_config: Callable[[str, str], str | None],
    environ: Mapping[str, str] | None,
) -> int:
    try:
        args = _parse(argv)
    except UsageError as error:
        print(f"error: {error}", file=stderr)
        return 2
    try:
        context = Context(
            args,
            session or boto3.session.Session(),
            stdin,
            stdout,
            stderr,
            read_outputs,
            read_config,
            os.environ if environ is None else environ,
        )
        if waiting is not None:
            context.waiting = waiting
        if now is not None:
            context.now = now
        _print_result(_dispatch(context), args, stdout)
    except UsageError as error:
        print(f"error: {error}", file=stderr)
        return 2
    except OperationError as error:
        print(f"error: {error}", file=stderr)
        return 1
    except AWS_FAILURES as error:
        print(f"error: {one_line(error)}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the operation may still be running in AWS: check `python -m ops status`", file=stderr)
        return 130
    except BrokenPipeError:
        raise  # the reader left: `main` ends quietly
    except Exception as error:  # noqa: BLE001 (the promise is one line, never a traceback, even for a defect)
        if raised_inside_botocore(error):
            print(f"error: {one_line(error)}", file=stderr)
            return 1
        first = (str(error).strip().splitlines() or [""])[0]
        print(f"error: unexpected {type(error).__name__}: {first} (a defect in ops: please report it)", file=stderr)
        return 1
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    # `adopt` reads --cluster and writes the stack --stack names: there, the two name different things.
    if args.stack and args.cluster and not getattr(args, "writes_stack", False):
        raise UsageError("--stack and --cluster name the cluster twice: give one (see `python -m ops --help`)")
    return args


def _dispatch(context: Context) -> dict[str, Any]:
    """The command's result: its handler, run within --timeout, once the cluster it needs is named."""
    context.waiting.timeout_seconds = context.args.timeout
    if getattr(context.args, "needs_cluster", False):
        context.cluster_id()  # a missing --cluster/--stack is a usage error before anything else is resolved
    return context.args.handler(context)


def _print_result(result: dict[str, Any], args: argparse.Namespace, out: TextIO) -> None:
    if args.json:
        json.dump(result, out, indent=2, default=str)
        out.write("\n")
        return
    render = getattr(args, "render", lines)
    out.write("".join(f"{line}\n" for line in render(result)))
