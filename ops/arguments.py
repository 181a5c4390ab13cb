"""What every `python -m ops` command line is made of: the parser that turns a refusal into one
line, the global options each command takes, the argument groups several commands share, and the
argument types that refuse a bad value while parsing."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from awscalls.errors import OperationError

from .cluster_ops import parse_time

MAX_TIMEOUT_SECONDS = 24 * 3600


class UsageError(Exception):
    """A command line argparse refused, or one that lacks what says which resource to act on;
    printed as one `error:` line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own hook; raising keeps the output one line
        raise UsageError(f"{message} (see `{self.prog} --help`)")


class Subcommands:
    """The subcommands of one parser (COMMAND, or a command's ACTION); each takes the global
    options too, so they work before or after it."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str, metavar: str) -> None:
        self._subparsers = parser.add_subparsers(dest=dest, required=True, metavar=metavar)
        self._global_options = [global_options(top_level=False)]

    def add(self, name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return self._subparsers.add_parser(name, help=summary, description=description, parents=self._global_options)


def global_options(top_level: bool) -> Parser:
    """The options every command takes. On the commands their defaults are suppressed, so a value
    given before the command is not reset by the command's parser."""
    parser = Parser(add_help=False)
    group = parser.add_argument_group("global options (before or after the command)")

    def default(value: Any) -> Any:
        return value if top_level else argparse.SUPPRESS

    group.add_argument("--stack", default=default(None), help="read identifiers from this Pulumi stack's outputs (e.g. dev)")
    group.add_argument("--cluster", default=default(None), help="RDS cluster identifier")
    group.add_argument(
        "--region", default=default(None), help="AWS region (default: the stack's, AWS_REGION, AWS_DEFAULT_REGION, the profile's)"
    )
    group.add_argument("--json", action="store_true", default=default(False), help="print the result as JSON")
    group.add_argument("--yes", action="store_true", default=default(False), help="answer yes to confirmations (for scripts)")
    group.add_argument(
        "--timeout",
        type=bounded_number("seconds", MAX_TIMEOUT_SECONDS),
        default=default(1800.0),
        help=f"seconds to wait for an operation (default 1800, at most {MAX_TIMEOUT_SECONDS})",
    )
    return parser


def data_api_target_options(parser: argparse.ArgumentParser) -> None:
    """The Data API target named outright rather than through --stack or --cluster (the first
    choice of `Context.data_api_target`)."""
    parser.add_argument("--cluster-arn", help="cluster ARN for the Data API (with --secret-arn)")
    parser.add_argument("--secret-arn", help="Secrets Manager secret ARN for the Data API (with --cluster-arn)")


def bounded_number(what: str, high: float) -> Callable[[str], float]:
    """An argparse type: a number above 0 and at most `high`. nan fails every comparison and inf
    and 1e12 exceed `high`, so all three are refused."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not 0 < value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed: give {what} above 0 and at most {high:g}")
        return value

    return parse


def port_number(text: str) -> int:
    if not (text.isascii() and text.isdecimal() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port: give a whole number from 1 to 65535")
    return int(text)


def time_argument(text: str) -> datetime:
    try:
        return parse_time(text)
    except OperationError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
