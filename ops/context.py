"""What a `python -m ops` command runs with: its parsed arguments, AWS clients in the right region,
the terminal, and the answers to "which cluster?" and "proceed?"."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from botocore.config import Config

from awscalls.errors import OperationError

from . import cluster_ops
from .arguments import UsageError
from .cluster_ops import Waiting
from .stack_outputs import require
from .targets import DataApiTarget, from_cluster


@dataclass
class Context:
    """What a command needs: parsed arguments, AWS clients, and the terminal."""

    args: argparse.Namespace
    session: Any
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    read_outputs: Callable[[str], dict[str, Any]]
    read_config: Callable[[str, str], str | None]
    environ: Mapping[str, str]
    waiting: Waiting = field(default_factory=Waiting)
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    _outputs: dict[str, Any] | None = field(default=None, repr=False)
    _region: str | None = field(default=None, repr=False)

    def client(self, service: str, config: Config | None = None) -> Any:
        options = {"config": config} if config else {}
        return self.session.client(service, region_name=self.region(), **options)

    def region(self) -> str:
        """--region; else the stack's (clusterArn output, then `aws:region` config); else
        AWS_REGION, AWS_DEFAULT_REGION, the profile's region. The error names what was tried."""
        if self._region is None:
            self._region = self._find_region()
        return self._region

    def _find_region(self) -> str:
        if self.args.region:
            return self.args.region
        tried = ["--region"]
        if self.args.stack and not getattr(self.args, "writes_stack", False):  # a stack `adopt` writes has no outputs yet
            arn = self.stack_outputs().get("clusterArn", "")
            if arn.count(":") >= 4 and arn.split(":")[3]:
                return arn.split(":")[3]
            configured = self.read_config(self.args.stack, "aws:region")
            if configured:
                return configured
            tried.append(f"stack {self.args.stack!r} (clusterArn output, aws:region config)")
        for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
            if self.environ.get(variable):
                return self.environ[variable]
            tried.append(variable)
        profile_region = getattr(self.session, "region_name", None)
        if profile_region:
            return profile_region
        tried.append("the AWS profile's region")
        raise OperationError(f"no AWS region: tried {', '.join(tried)}; pass --region REGION")

    def progress(self, message: str) -> None:
        print(message, file=self.stderr, flush=True)

    def stack_outputs(self) -> dict[str, Any]:
        if self._outputs is None:
            self._outputs = self.read_outputs(self.args.stack)
        return self._outputs

    def stack_output(self, key: str) -> Any:
        return require(self.stack_outputs(), key, self.args.stack)

    def cluster_id(self) -> str:
        if self.args.cluster:
            return self.args.cluster
        if self.args.stack:
            return self.stack_output("clusterIdentifier")
        raise UsageError("say which cluster: --cluster ID or --stack NAME")

    def data_api_target(self) -> DataApiTarget:
        """--cluster-arn with --secret-arn; else the stack's outputs; else the cluster's managed secret."""
        arn, secret = getattr(self.args, "cluster_arn", None), getattr(self.args, "secret_arn", None)
        if arn or secret:
            if not (arn and secret):
                raise UsageError("--cluster-arn and --secret-arn go together: pass both")
            return DataApiTarget(arn, secret)
        if self.args.stack:
            return DataApiTarget(self.stack_output("clusterArn"), self.stack_output("secretArn"))
        if self.args.cluster:
            return from_cluster(cluster_ops.describe_cluster(self.client("rds"), self.args.cluster))
        raise UsageError("say which cluster: --stack NAME, --cluster ID, or --cluster-arn with --secret-arn")

    def confirm(self, question: str) -> None:
        """Ask before changing a live database or creating what is billed until deleted; --yes
        answers for the user. Raises when declined."""
        if self.args.yes:
            return
        if not self.stdin.isatty():
            raise OperationError("not confirmed: standard input is not a terminal; pass --yes to proceed")
        self.stderr.write(f"{question} [y/N] ")
        self.stderr.flush()
        if self.stdin.readline().strip().lower() not in ("y", "yes"):
            raise OperationError("not confirmed: nothing was changed")
