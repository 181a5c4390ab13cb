"""Snapshot copies across regions, exports to S3, and waking a paused serverless cluster."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from awscalls.data_api import call_while_resuming
from awscalls.errors import AWS_FAILURES, OperationError, error_code, one_line

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
    dropped and the stem shortened to keep within the 63 characters of a snapshot identifier. A copy
    of the same snapshot already in that region (an earlier run's) is followed instead of starting
    another: a snapshot never changes, so a second copy would only be billed twice."""
    if target_region == source_region:
        raise OperationError(f"--to-region {target_region} is the snapshot's own region: choose another region")
    source = describe_snapshot(source_rds, snapshot)
    if source.get("StorageEncrypted") and not kms_key:
        raise OperationError(f"snapshot {snapshot!r} is encrypted: pass --kms-key with a KMS key of {target_region}")
    existing = _copy_of(target_rds, source["DBClusterSnapshotArn"])
    if existing:
        target_name = existing["DBClusterSnapshotIdentifier"]
        report(f"{snapshot} already has a copy in {target_region}, {target_name} ({existing['Status']}): following it")
    else:
        target_name = fit(snapshot, f"-{target_region}-{now.strftime('%Y%m%d%H%M%S')}", CLUSTER_SNAPSHOT)
        _start_copy(target_rds, source, snapshot, target_name, source_region, target_region, kms_key)
        report(f"copy of {snapshot} to {target_region} as {target_name} started")

    def available() -> str | None:
        state = describe_snapshot(target_rds, target_name)["Status"]
        return None if state == "available" else state

    try:
        seconds = waiting.until(available, f"the copy in {target_region}", report)
        arn = describe_snapshot(target_rds, target_name)["DBClusterSnapshotArn"]
    except (OperationError, *AWS_FAILURES) as error:
        raise OperationError(
            f"{_reason(error)}; the copy {target_name} in {target_region} is left as AWS has it: "
            "run the same command again to follow it"
        ) from error
    return {"snapshot": target_name, "region": target_region, "arn": arn, "seconds": round(seconds, 1)}


# Snapshot states of a copy that will not become available (DBClusterSnapshot.Status).
_DEAD_SNAPSHOT = ("failed", "deleting")


def _copy_of(target_rds: Any, source_arn: str) -> dict[str, Any] | None:
    """A manual snapshot of the target region copied from `source_arn` (its SourceDBClusterSnapshotArn)
    and not failed; None when there is none."""
    request: dict[str, Any] = {"SnapshotType": "manual"}
    while True:
        page = target_rds.describe_db_cluster_snapshots(**request)
        for found in page.get("DBClusterSnapshots", []):
            if found.get("SourceDBClusterSnapshotArn") == source_arn and found.get("Status") not in _DEAD_SNAPSHOT:
                return found
        if not page.get("Marker"):
            return None
        request["Marker"] = page["Marker"]


def _start_copy(
    target_rds: Any,
    source: dict[str, Any],
    snapshot: str,
    target_name: str,
    source_region: str,
    target_region: str,
    kms_key: str | None,
) -> None:
    """CopyDBClusterSnapshot; botocore's retry of a copy that started answers AlreadyExists for our
    own copy, which is then followed."""
    request = {
        "SourceDBClusterSnapshotIdentifier": source["DBClusterSnapshotArn"],
        "TargetDBClusterSnapshotIdentifier": target_name,
        "SourceRegion": source_region,
        "CopyTags": True,
    }
    if kms_key:
        request["KmsKeyId"] = kms_key
    try:
        target_rds.copy_db_cluster_snapshot(**request)
    except AWS_FAILURES as error:
        if error_code(error) == "DBClusterSnapshotAlreadyExistsFault":
            found = describe_snapshot(target_rds, target_name)
            if found.get("SourceDBClusterSnapshotArn") == source["DBClusterSnapshotArn"]:
                return
            raise OperationError(
                f"snapshot {target_name} already exists in {target_region} and is not a copy of {snapshot}"
            ) from error
        raise OperationError(
            f"{one_line(error)}; the copy of {snapshot} to {target_region} as {target_name} may have started: "
            "run the same command again, it follows that copy if it exists and starts one if not"
        ) from error


def export_to_s3(
    rds: Any, snapshot: str, bucket: str, role_arn: str, kms_key: str, now: datetime, report: Report
) -> dict[str, Any]:
    """Start a Parquet export of a cluster snapshot to S3; exports take long, so this does not wait.

    The task is named `<snapshot>-export-<UTC time>`, the stem shortened (never the time) to keep
    within the 60 characters of an export task identifier. An export of the same snapshot to the same
    bucket that is starting, running or complete (an earlier run's) is reported instead of starting
    another: the snapshot never changes, so a second export would write the same data again."""
    source = describe_snapshot(rds, snapshot)
    existing = _export_of(rds, source["DBClusterSnapshotArn"], bucket)
    if existing:
        task_id, status = existing["ExportTaskIdentifier"], existing.get("Status")
        news = f"{snapshot} already has an export to {bucket}, task {task_id} ({status}), so none is started"
    else:
        task_id = fit(snapshot, f"-export-{now.strftime('%Y%m%d%H%M%S')}", EXPORT_TASK)
        status = _start_export(rds, task_id, source["DBClusterSnapshotArn"], bucket, role_arn, kms_key)
        news = f"export task {task_id} started"
    report(f"{news}; `aws rds describe-export-tasks --export-task-identifier {task_id}` follows it")
    return {"exportTask": task_id, "status": status, "bucket": bucket, "source": source["DBClusterSnapshotArn"]}


# Export task states that will not deliver the export (ExportTask.Status).
_DEAD_EXPORT = ("FAILED", "CANCELED", "CANCELING")


def _same_export(task: dict[str, Any], source_arn: str, bucket: str) -> bool:
    return task.get("SourceArn") == source_arn and task.get("S3Bucket") == bucket and not task.get("S3Prefix")


def _export_of(rds: Any, source_arn: str, bucket: str) -> dict[str, Any] | None:
    """An export task of `source_arn` into the top of `bucket` that is not failed or cancelled."""
    request: dict[str, Any] = {"SourceArn": source_arn}
    while True:
        page = rds.describe_export_tasks(**request)
        for task in page.get("ExportTasks", []):
            if _same_export(task, source_arn, bucket) and str(task.get("Status", "")).upper() not in _DEAD_EXPORT:
                return task
        if not page.get("Marker"):
            return None
        request["Marker"] = page["Marker"]


def _start_export(rds: Any, task_id: str, source_arn: str, bucket: str, role_arn: str, kms_key: str) -> str | None:
    """StartExportTask; botocore's retry of a task that started answers AlreadyExists for our own task."""
    try:
        task = rds.start_export_task(
            ExportTaskIdentifier=task_id, SourceArn=source_arn, S3BucketName=bucket, IamRoleArn=role_arn, KmsKeyId=kms_key
        )
    except AWS_FAILURES as error:
        if error_code(error) == "ExportTaskAlreadyExistsFault":
            found = rds.describe_export_tasks(ExportTaskIdentifier=task_id)["ExportTasks"][0]
            if _same_export(found, source_arn, bucket):
                return found.get("Status")
            raise OperationError(f"export task {task_id} already exists and exports something else") from error
        raise OperationError(
            f"{one_line(error)}; export task {task_id} may have started: run the same command again, "
            "it reports that task if it exists and starts one if not"
        ) from error
    return task.get("Status")


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, OperationError) else one_line(error)


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
