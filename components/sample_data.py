"""SampleData: the workshop's `tutorial.planet` table, applied through the RDS Data API on `pulumi up`.

A Pulumi dynamic resource: its inputs carry the SQL itself and a digest of it, so editing a file
shows as an update in the preview and re-applies on the next `up`; an unchanged file changes
nothing. Deleting the resource leaves the data alone unless `aurora:dropSampleDataOnDelete` asks
otherwise. The provider runs in Pulumi's dynamic-provider process, started in the project
directory, which is why it imports `awscalls` lazily (the same code `python -m ops seed` runs).

The SQL is applied again when the cluster is a new one: a replaced cluster keeps its identifier
and so its ARN, but gets a new `cluster_resource_id`, which is part of the inputs.

`pulumi.log` from a dynamic provider goes to the provider host's stderr, not under the resource:
what was applied is recorded in the `applied` output (the stack exports it), and a failure raises
one line that says what happened and what to do (`provider_boundary`). The SQL is idempotent, so
`pulumi up` after a failure at any call applies it again and ends where a clean run ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, UpdateResult

from awscalls.sql_files import SAMPLE_DATA_DIR, SAMPLE_DATA_TEARDOWN_DIR, SqlFile, digest, load_sql_files

from .provider_boundary import OneLineProvider, in_one_line


def _files_input(files: list[SqlFile]) -> list[dict[str, Any]]:
    return [{"name": f.name, "statements": list(f.statements)} for f in files]


def _files_from_input(value: list[dict[str, Any]]) -> list[SqlFile]:
    return [SqlFile(item["name"], tuple(item["statements"])) for item in value]


class SampleDataError(Exception):
    """The SQL could not be applied; the message says which file and what to do."""


def _apply(props: dict[str, Any], files_key: str) -> list[str]:
    import boto3

    from awscalls.data_api import DataApiSession
    from awscalls.errors import OperationError

    client = boto3.client("rds-data", region_name=props["region"])
    session = DataApiSession(client, props["cluster_arn"], props["secret_arn"], report=pulumi.log.info)
    try:
        return session.apply_files(_files_from_input(props[files_key]))
    except OperationError as error:
        raise SampleDataError(
            f"sample data on {props['cluster_arn']}: {error}. Files before it stay applied (one transaction "
            "per file); fix the cause and run `pulumi up` again, or `python -m ops seed`"
        ) from error


# A change of any of these re-runs the SQL: new SQL, another cluster, or a new incarnation of it.
REAPPLY_KEYS = ("digest", "cluster_arn", "cluster_resource_id")


WHAT = "the sample data"


class SqlFilesProvider(OneLineProvider):
    """Applies SQL files through the Data API; teardown files run on delete only when asked."""

    @in_one_line(SampleDataError, WHAT)
    def create(self, props: dict[str, Any]) -> CreateResult:
        applied = _apply(props, "files")
        return CreateResult(id_=f"{props['cluster_arn']}/{props['digest'][:12]}", outs={**props, "applied": applied})

    @in_one_line(SampleDataError, WHAT)
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("files", "secret_arn", "region", "teardown_files", "drop_on_delete", *REAPPLY_KEYS)
        changed = [key for key in keys if olds.get(key) != news.get(key)]
        # Never replace: a replacement would run delete (and maybe the teardown) on live data.
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    @in_one_line(SampleDataError, WHAT)
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if any(olds.get(key) != news.get(key) for key in REAPPLY_KEYS):
            return UpdateResult(outs={**news, "applied": _apply(news, "files")})
        return UpdateResult(outs={**news, "applied": olds.get("applied")})

    @in_one_line(SampleDataError, WHAT)
    def delete(self, _id: str, props: dict[str, Any]) -> None:
        if props.get("drop_on_delete"):
            _apply(props, "teardown_files")

    @in_one_line(SampleDataError, WHAT)
    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        """On refresh: gone when its cluster is gone, otherwise the recorded outputs unchanged.

        The rows are not read back. That would take the Data API and the master secret
        (rds-data:ExecuteStatement, secretsmanager:GetSecretValue), which the read-only drift role
        must not hold, and the workshop's exercises change the rows on purpose: rows that differ
        from the seed files are use, not drift. The outputs record which SQL `up` applied to which
        cluster, which stays true while that cluster exists, so returning them unchanged reports no
        drift that is not there. A deleted cluster took the data with it: the resource is then gone
        (an empty id), and an `up` after the refresh seeds the cluster that replaces it.
        """
        import boto3

        rds = boto3.client("rds", region_name=props["region"])
        try:
            rds.describe_db_clusters(DBClusterIdentifier=props["cluster_arn"])
        except rds.exceptions.DBClusterNotFoundFault:
            return pulumi.dynamic.ReadResult(None, {})
        return pulumi.dynamic.ReadResult(id_, props)


@dataclass
class SampleDataArgs:
    cluster_arn: pulumi.Input[str]
    """The cluster to seed (its writer must exist: pass it in depends_on)."""
    cluster_resource_id: pulumi.Input[str]
    """The cluster's resource id: new for a replaced cluster, which then gets the data again."""
    secret_arn: pulumi.Input[str]
    """The cluster's managed master secret, used by the Data API."""
    region: str
    """Region of the cluster."""
    drop_on_delete: bool = False
    """Run the teardown SQL (DROP DATABASE tutorial) when this resource is deleted."""
    sql_dir: Path = SAMPLE_DATA_DIR
    """Directory of the SQL files, applied in name order, one transaction per file."""
    teardown_dir: Path = SAMPLE_DATA_TEARDOWN_DIR
    """Directory of the teardown SQL."""


class SampleData(pulumi.dynamic.Resource):
    """The workshop's sample data, kept in step with the SQL files in the repository."""

    digest: pulumi.Output[str]
    applied: pulumi.Output[list[str] | None]
    """What the last create or update committed, one line per file."""

    def __init__(self, name: str, args: SampleDataArgs, opts: pulumi.ResourceOptions | None = None):
        files = load_sql_files(args.sql_dir)
        props = {
            "cluster_arn": args.cluster_arn,
            "cluster_resource_id": args.cluster_resource_id,
            "secret_arn": args.secret_arn,
            "region": args.region,
            "files": _files_input(files),
            "digest": digest(files),
            "teardown_files": _files_input(load_sql_files(args.teardown_dir)),
            "drop_on_delete": args.drop_on_delete,
            "applied": None,
        }
        super().__init__(SqlFilesProvider(), name, props, opts)
