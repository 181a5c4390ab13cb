"""Snapshot copies across regions, exports to S3, and waking a paused serverless cluster."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from awscalls.data_api import call_while_resuming
from awscalls.errors import AWS_FAILURES, OperationError, error_code

from .cluster_ops import Report, Waiting, describe_cluster
from .identifiers import CLUSTER_SNAPSHOT, EXPORT_TASK, fit
from .targets import from_cluster


def describe_snapshot(rds: Any, snapshot: str) -> dict[str, Any]:
    try:
        return rds.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier=snapshot)["DBClusterSnapshots"][0]
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterSnapshotNotFoundFault":
            raise OperationError(
                f"cluster snapshot {snapshot!r} not found in this account in region {rds.meta.region_name}"
            ) from error
        raise


def copy_to_region(
    source_rds: Any,
    target_rds: Any,
    snapshot: str,
    source_region: str,
    target_region: str,
    kms_key: str | None,
    report: Report,
    waiting: Waiting,
    now: datetime,
) -> dict[str, Any]:
    """Copy a cluster snapshot into another region (encrypted copies need a key of that region).

    The copy is named `<snapshot>-<region>-<UTC time>`, the `rds:` prefix of an automated snapshot
    dropped and the stem shortened to keep within the 63 characters of a snapshot identifier."""
    if target_region == source_region:
        raise OperationError(f"--to-region {target_region} is the snapshot's own region: choose another region")
    target_name = fit(snapshot, f"-{target_region}-{now.strftime('%Y%m%d%H%M%S')}", CLUSTER_SNAPSHOT)
    source = describe_snapshot(source_rds, snapshot)
    if source.get("StorageEncrypted") and not kms_key:
        raise OperationError(f"snapshot {snapshot!r} is encrypted: pass --kms-key with a KMS key of {target_region}")
    request = {
        "SourceDBClusterSnapshotIdentifier": source["DBClusterSnapshotArn"],
        "TargetDBClusterSnapshotIdentifier": target_name,
        "SourceRegion": source_region,
        "CopyTags": True,
    }
    if kms_key:
        request["KmsKeyId"] = kms_key
    target_rds.copy_db_cluster_snapshot(**request)
    report(f"copy of {snapshot} to {target_region} as {target_name} started")

    def available() -> str | None:
        state = describe_snapshot(target_rds, target_name)["Status"]
        return None if state == "available" else state

    seconds = waiting.until(available, f"the copy in {target_region}", report)
    return {
        "snapshot": target_name,
        "region": target_region,
        "arn": describe_snapshot(target_rds, target_name)["DBClusterSnapshotArn"],
        "seconds": round(seconds, 1),
    }


def export_to_s3(
    rds: Any, snapshot: str, bucket: str, role_arn: str, kms_key: str, now: datetime, report: Report
) -> dict[str, Any]:
    """Start a Parquet export of a cluster snapshot to S3; exports take long, so this does not wait.

    The task is named `<snapshot>-export-<UTC time>`, the stem shortened (never the time) to keep
    within the 60 characters of an export task identifier."""
    task_id = fit(snapshot, f"-export-{now.strftime('%Y%m%d%H%M%S')}", EXPORT_TASK)
    source = describe_snapshot(rds, snapshot)
    task = rds.start_export_task(
        ExportTaskIdentifier=task_id,
        SourceArn=source["DBClusterSnapshotArn"],
        S3BucketName=bucket,
        IamRoleArn=role_arn,
        KmsKeyId=kms_key,
    )
    report(f"export task {task_id} started; `aws rds describe-export-tasks --export-task-identifier {task_id}` follows it")
    return {"exportTask": task_id, "status": task.get("Status"), "bucket": bucket, "source": source["DBClusterSnapshotArn"]}


def wake(
    rds: Any, data_api: Any, cluster_id: str, clock: Callable[[], float], sleep: Callable[[float], None], report: Report
) -> dict[str, Any]:
    """Resume a paused Serverless v2 cluster by querying it through the Data API; time how long it took."""
    target = from_cluster(describe_cluster(rds, cluster_id))
    start = clock()
    resumed = []

    def select_one() -> Any:
        return data_api.execute_statement(**target.request(), sql="SELECT 1")

    def note(message: str) -> None:
        resumed.append(message)
        report(message)

    call_while_resuming(select_one, sleep=sleep, report=note)
    seconds = clock() - start
    return {"cluster": cluster_id, "wasPaused": bool(resumed), "secondsToAnswer": round(seconds, 1)}
