"""`python -m ops`: the command line for operating the workshop's clusters.

Results go to standard output (text, or one JSON document with --json); progress and questions go
to standard error, so `--json` output stays machine-readable. A failure ends with one line,
`error: ...`, and exit status 1; a usage error exits 2; nothing prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from . import seed
from .data_api import describe
from .errors import OperationError
from .stack_outputs import read_stack_outputs, require


@dataclass
class Context:
    """What a command needs: parsed arguments, AWS clients, and the terminal."""

    args: argparse.Namespace
    session: Any
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    read_outputs: Callable[[str], dict[str, Any]]
    _outputs: Optional[dict[str, Any]] = field(default=None, repr=False)

    def client(self, service: str) -> Any:
        return self.session.client(service, region_name=self.args.region)

    def progress(self, message: str) -> None:
        print(message, file=self.stderr, flush=True)

    def stack_outputs(self) -> dict[str, Any]:
        if self._outputs is None:
            self._outputs = self.read_outputs(self.args.stack)
        return self._outputs

    def stack_output(self, key: str) -> Any:
        return require(self.stack_outputs(), key, self.args.stack)

    def confirm(self, question: str) -> None:
        """Ask before changing a live database; --yes answers for the user. Raises when declined."""
        if self.args.yes:
            return
        if not self.stdin.isatty():
            raise OperationError("not confirmed: standard input is not a terminal; pass --yes to proceed")
        self.stderr.write(f"{question} [y/N] ")
        self.stderr.flush()
        if self.stdin.readline().strip().lower() not in ("y", "yes"):
            raise OperationError("not confirmed: nothing was changed")


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--stack", help="read identifiers from this Pulumi stack's outputs (e.g. dev)")
    target.add_argument("--cluster", help="RDS cluster identifier")
    parser.add_argument("--region", help="AWS region (default: boto3's configuration)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ops",
        description="Operate the workshop's Aurora clusters. boto3's own settings apply (AWS_PROFILE, AWS_ENDPOINT_URL).",
    )
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    seeding = commands.add_parser(
        "seed",
        help="apply the sample-data SQL files",
        description=(
            "Apply sql/sample-data/*.sql (one transaction per file; safe to repeat). Through the Data API with "
            "--stack or --cluster-arn/--secret-arn, or over a direct connection with --host (password from MYSQL_PWD)."
        ),
    )
    seeding.add_argument("--cluster-arn", help="cluster ARN for the Data API")
    seeding.add_argument("--secret-arn", help="Secrets Manager secret ARN for the Data API")
    seeding.add_argument("--host", help="connect directly to this MySQL host instead of the Data API")
    seeding.add_argument("--port", type=int, default=3306, help="MySQL port (default 3306)")
    seeding.add_argument("--user", help="MySQL user for --host (password from MYSQL_PWD)")
    seeding.add_argument("--ssl-ca", help="CA bundle to verify the server's TLS certificate")
    seeding.set_defaults(handler=run_seed, yes=True)
    return parser


def run_seed(context: Context) -> dict[str, Any]:
    args = context.args
    if args.host:
        if not args.user:
            raise OperationError("--host needs --user (and the password in MYSQL_PWD)")
        return seed.seed_directly(args.host, args.port, args.user, args.ssl_ca, context.progress)
    if args.stack:
        cluster_arn, secret_arn = context.stack_output("clusterArn"), context.stack_output("secretArn")
    elif args.cluster_arn and args.secret_arn:
        cluster_arn, secret_arn = args.cluster_arn, args.secret_arn
    else:
        raise OperationError("say where to seed: --stack NAME, --cluster-arn with --secret-arn, or --host with --user")
    return seed.seed_through_data_api(context.client("rds-data"), cluster_arn, secret_arn, context.progress)


def _print_result(result: dict[str, Any], as_json: bool, out: TextIO) -> None:
    if as_json:
        json.dump(result, out, indent=2, default=str)
        out.write("\n")
        return
    for key, value in result.items():
        if isinstance(value, list):
            out.write(f"{key}:\n")
            for item in value:
                out.write(f"  {item}\n")
        else:
            out.write(f"{key}: {value}\n")


def main(
    argv: Optional[list[str]] = None,
    session: Any = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    read_outputs: Callable[[str], dict[str, Any]] = read_stack_outputs,
) -> int:
    args = build_parser().parse_args(argv)
    try:
        context = Context(args, session or boto3.session.Session(), stdin, stdout, stderr, read_outputs)
        result = args.handler(context)
    except OperationError as error:
        print(f"error: {error}", file=stderr)
        return 1
    except NoCredentialsError:
        print("error: no AWS credentials found: configure a profile (AWS_PROFILE) or environment credentials", file=stderr)
        return 1
    except NoRegionError:
        print("error: no AWS region: pass --region or set AWS_REGION", file=stderr)
        return 1
    except (ClientError, BotoCoreError) as error:
        print(f"error: {describe(error)}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the operation may still be running in AWS: check `python -m ops status`", file=stderr)
        return 130
    _print_result(result, args.json, stdout)
    return 0
