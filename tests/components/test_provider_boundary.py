"""What `pulumi up` shows when a dynamic resource fails: Pulumi's own host code, run on our providers.

Pulumi's dynamic-provider host is the pulumi package's `pulumi/dynamic/__main__.py` (pulumi/pulumi,
sdk/python/lib/pulumi/dynamic/__main__.py; 3.272 as locked). Its `_abort_with_traceback` wraps each
call and answers a failure with `context.abort(grpc.StatusCode.UNKNOWN, traceback.format_exc())`:
that text is the resource's error in `pulumi up`. Importing the module starts the host's gRPC
server, so the wrapper is taken from the installed source and run here unchanged.
"""

from __future__ import annotations

import ast
import sys
import traceback
from pathlib import Path

import boto3
import grpc
import pulumi.dynamic
import pytest
from pulumi.dynamic import Config, ConfigureRequest

from components.restore_completion import RestoreCompletionError, RestoreCompletionProvider
from components.sample_data import SampleDataError, SqlFilesProvider

HOST = Path(pulumi.dynamic.__file__).parent / "__main__.py"
PROPS = {
    "cluster_arn": "arn:aws:rds:us-east-1:123456789012:cluster:aurora-dev",
    "cluster_resource_id": "cluster-ABCDEFGHIJKL",
    "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:s",
    "region": "us-east-1",
    "files": [{"name": "01.sql", "statements": ["CREATE DATABASE IF NOT EXISTS tutorial"]}],
    "digest": "d1",
    "teardown_files": [],
    "drop_on_delete": False,
}


def host_wrapper():
    """`_abort_with_traceback` as the installed host defines it."""
    tree = ast.parse(HOST.read_text())
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "_abort_with_traceback")
    namespace = {"grpc": grpc, "traceback": traceback}
    exec(compile(ast.Module([function], type_ignores=[]), str(HOST), "exec"), namespace)
    return namespace["_abort_with_traceback"]


class AbortedCall:
    """The gRPC servicer context: `abort` records what the CLI receives and ends the call, as grpc's does."""

    def abort(self, code, details):
        self.code, self.details = code, details
        raise RuntimeError("aborted")


def sent_to_the_cli(call) -> str:
    @host_wrapper()
    def servicer_method(self, request, context):
        return call()

    context = AbortedCall()
    with pytest.raises(RuntimeError, match="aborted"):
        servicer_method(None, None, context)
    assert context.code == grpc.StatusCode.UNKNOWN
    return context.details


@pytest.fixture
def host(monkeypatch):
    """The provider as the host runs it: `configure` called once on loading; the traceback limit it
    sets is undone after the test."""
    monkeypatch.setattr(sys, "tracebacklimit", 1000, raising=False)
    logged = []
    monkeypatch.setattr("pulumi.log.info", lambda message, *args, **kwargs: logged.append(message))

    def load(provider):
        provider.configure(ConfigureRequest(Config(raw_config={}, project_name="aurora")))
        return provider

    load.logged = logged
    return load


@pytest.fixture
def data_api(monkeypatch, stub):
    client, stubber = stub("rds-data")
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    return stubber


def test_the_host_sends_the_whole_traceback_of_an_exception():
    """Why the boundary exists: without it the CLI gets every frame and every chained exception."""

    def failing():
        try:
            raise KeyError("inner")
        except KeyError as error:
            raise ValueError("outer") from error

    details = sent_to_the_cli(failing)
    assert details.startswith("Traceback (most recent call last):")
    assert "The above exception was the direct cause" in details and details.count("\n") > 5


def test_a_failing_sample_data_reaches_pulumi_up_as_one_line(host, data_api):
    data_api.add_client_error("begin_transaction", "BadRequestException", "Database error", 400)
    provider = host(SqlFilesProvider())
    details = sent_to_the_cli(lambda: provider.create(PROPS))
    assert details == (
        f"components.sample_data.SampleDataError: sample data on {PROPS['cluster_arn']}: could not start a "
        "transaction through the Data API: BadRequestException: Database error. Files before it stay applied (one "
        "transaction per file); fix the cause and run `pulumi up` again, or `python -m ops seed`\n"
    )


def test_the_detail_is_logged_in_one_line_with_the_chain_and_where_each_was_raised(host, data_api):
    data_api.add_client_error("begin_transaction", "BadRequestException", "Database error", 400)
    provider = host(SqlFilesProvider())
    sent_to_the_cli(lambda: provider.create(PROPS))
    [logged] = host.logged
    assert logged.startswith("the sample data, create failed: SampleDataError at components/sample_data.py:")
    assert "; caused by OperationError at awscalls/data_api.py:" in logged
    assert "; caused by BadRequestException at " in logged
    assert logged.endswith("An error occurred (BadRequestException) when calling the BeginTransaction operation: Database error")
    assert "\n" not in logged


def test_a_defect_is_one_line_too_naming_the_resource_and_the_call(host):
    provider = host(SqlFilesProvider())
    details = sent_to_the_cli(lambda: provider.create({}))
    assert details == (
        "components.sample_data.SampleDataError: the sample data, create: KeyError: 'region' (a fault of this "
        "program; the detail is in the log)\n"
    )


def test_a_failing_refresh_of_the_restore_completion_is_one_line(host, monkeypatch, stub):
    client, stubber = stub("rds")
    stubber.add_client_error("describe_db_clusters", "Throttling", "Rate exceeded", 400)
    monkeypatch.setattr(boto3, "client", lambda service, region_name: client)
    provider = host(RestoreCompletionProvider())
    details = sent_to_the_cli(lambda: provider.read("id", {"region": "us-east-1", "cluster_identifier": "aurora-prod"}))
    assert details == (
        "components.restore_completion.RestoreCompletionError: the restore completion, read: Throttling: Rate "
        "exceeded; fix the cause and run `pulumi up` again\n"
    )


def test_outside_the_host_the_provider_keeps_its_exception_type_and_python_its_tracebacks(data_api):
    """`configure` is the host's call only: the program's process and the tests keep tracebacks."""
    data_api.add_client_error("begin_transaction", "BadRequestException", "Database error", 400)
    with pytest.raises(SampleDataError) as caught:
        SqlFilesProvider().create(PROPS)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert getattr(sys, "tracebacklimit", None) != 0


def test_every_method_of_both_providers_is_behind_the_boundary():
    for provider, error_type in ((SqlFilesProvider, SampleDataError), (RestoreCompletionProvider, RestoreCompletionError)):
        for name in ("create", "diff", "delete", "read", *(["update"] if provider is SqlFilesProvider else [])):
            assert getattr(provider, name).__wrapped__, f"{provider.__name__}.{name}"
        assert provider.configure is not pulumi.dynamic.ResourceProvider.configure
        assert issubclass(error_type, Exception)
