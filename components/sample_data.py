"""SampleData: the workshop's `tutorial.planet` table, applied through the RDS Data API on `pulumi up`.

A Pulumi dynamic resource: its inputs carry the SQL itself and a digest of it, so editing a file
shows as an update in the preview and re-applies on the next `up`; an unchanged file changes
nothing. Deleting the resource leaves the data alone unless `aurora:dropSampleDataOnDelete` asks
otherwise. The provider runs in Pulumi's dynamic-provider process, started in the project
directory, which is why it imports `ops` lazily (the same code `python -m ops seed` runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider, UpdateResult

from ops.sql_files import SAMPLE_DATA_DIR, SAMPLE_DATA_TEARDOWN_DIR, SqlFile, digest, load_sql_files


def _files_input(files: list[SqlFile]) -> list[dict[str, Any]]:
    return [{"name": f.name, "statements": list(f.statements)} for f in files]


def _files_from_input(value: list[dict[str, Any]]) -> list[SqlFile]:
    return [SqlFile(item["name"], tuple(item["statements"])) for item in value]


def _session(props: dict[str, Any]):
    import boto3

    from ops.data_api import DataApiSession

    client = boto3.client("rds-data", region_name=props["region"])
    # Progress goes to the engine's log, shown under the resource in `pulumi up`.
    return DataApiSession(client, props["cluster_arn"], props["secret_arn"], report=pulumi.log.info)


class SqlFilesProvider(ResourceProvider):
    """Applies SQL files through the Data API; teardown files run on delete only when asked."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        _session(props).apply_files(_files_from_input(props["files"]))
        return CreateResult(id_=f"{props['cluster_arn']}/{props['digest'][:12]}", outs=props)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = ("files", "digest", "cluster_arn", "secret_arn", "region", "teardown_files", "drop_on_delete")
        changed = [key for key in keys if olds.get(key) != news.get(key)]
        # Never replace: a replacement would run delete (and maybe the teardown) on live data.
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if (olds.get("digest"), olds.get("cluster_arn")) != (news["digest"], news["cluster_arn"]):
            _session(news).apply_files(_files_from_input(news["files"]))
        return UpdateResult(outs=news)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        if props.get("drop_on_delete"):
            _session(props).apply_files(_files_from_input(props["teardown_files"]))

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

    def __init__(self, name: str, args: SampleDataArgs, opts: pulumi.ResourceOptions | None = None):
        files = load_sql_files(args.sql_dir)
        props = {
            "cluster_arn": args.cluster_arn,
            "secret_arn": args.secret_arn,
            "region": args.region,
            "files": _files_input(files),
            "digest": digest(files),
            "teardown_files": _files_input(load_sql_files(args.teardown_dir)),
            "drop_on_delete": args.drop_on_delete,
        }
        super().__init__(SqlFilesProvider(), name, props, opts)
