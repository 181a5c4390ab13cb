"""`client start`: wake the client host its idle alarm stopped, and say how to open a session.

The host stops itself after `clientIdleStopMinutes` of low CPU (components/client_host.py). Starting
it is EC2 `StartInstances`; it is usable once Systems Manager reports its agent `Online`
(`DescribeInstanceInformation` PingStatus), which takes a minute or two after the instance runs.
`host_state` is what `status` shows about the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awscalls.errors import AWS_FAILURES, OperationError, answer_field, error_code, one_line

from .cluster_ops import Report, Waiting

# EC2 instance states from which StartInstances cannot bring the host back.
GONE = ("shutting-down", "terminated")


def session_command(instance_id: str, region: str) -> str:
    return f"aws ssm start-session --target {instance_id} --region {region}"


def instance_state(ec2: Any, instance_id: str) -> str:
    try:
        reservations = answer_field(ec2.describe_instances(InstanceIds=[instance_id]), "Reservations")
    except AWS_FAILURES as error:
        if error_code(error) in ("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"):
            raise OperationError(_not_found(ec2, instance_id)) from error
        raise
    instances = [instance for reservation in reservations for instance in reservation["Instances"]]
    if not instances:
        raise OperationError(_not_found(ec2, instance_id))
    return str(instances[0]["State"]["Name"])


def _not_found(ec2: Any, instance_id: str) -> str:
    return f"client host {instance_id!r} not found in this account in region {ec2.meta.region_name}: check --instance-id and --region"


def ssm_ping_status(ssm: Any, instance_id: str) -> str | None:
    """The SSM agent's PingStatus (`Online`, `ConnectionLost`, `Inactive`), None before it registers."""
    found = ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])
    entries = answer_field(found, "InstanceInformationList")
    return str(entries[0]["PingStatus"]) if entries else None


def start(ec2: Any, ssm: Any, instance_id: str, region: str, report: Report, waiting: Waiting) -> dict[str, Any]:
    """Start the host (if it is not running), wait until it runs and SSM reports it Online."""
    state = instance_state(ec2, instance_id)
    if state in GONE:
        raise OperationError(f"client host {instance_id} is {state}: run `pulumi up` to create it again")
    started_at = waiting.clock()
    if state == "stopping":
        # StartInstances refuses a stopping instance (IncorrectInstanceState): let it finish.
        waiting.until(_until_state(ec2, instance_id, "stopped"), f"client host {instance_id} to stop", report)
        state = "stopped"
    if state == "running":
        report(f"client host {instance_id} is already running")
    else:
        report(f"starting client host {instance_id} (was {state})")
        try:
            ec2.start_instances(InstanceIds=[instance_id])
        except AWS_FAILURES as error:
            raise OperationError(
                f"{one_line(error)}; client host {instance_id} may be starting: run the same command again, "
                "it waits for a host that runs and starts one that does not"
            ) from error
        try:
            waiting.until(_until_state(ec2, instance_id, "running"), f"client host {instance_id} to run", report)
        except (OperationError, *AWS_FAILURES) as error:
            raise _after_start(instance_id, error) from error
    try:
        waiting.until(_until_online(ssm, instance_id), f"SSM to report {instance_id} online", report)
    except (OperationError, *AWS_FAILURES) as error:
        raise (_after_start(instance_id, error) if state != "running" else error) from error
    command = session_command(instance_id, region)
    report(f"client host {instance_id} is online; open a session with: {command}")
    return {
        "instanceId": instance_id,
        "state": "running",
        "ssm": "Online",
        "waitedSeconds": round(waiting.clock() - started_at),
        "session": command,
    }


def _after_start(instance_id: str, error: Exception) -> OperationError:
    reason = str(error) if isinstance(error, OperationError) else one_line(error)
    return OperationError(
        f"{reason}; client host {instance_id} was started by this command and is left running "
        "(it stops itself when idle; `python -m ops status --stack NAME` shows it)"
    )


def _until_state(ec2: Any, instance_id: str, wanted: str) -> Callable[[], str | None]:
    def check() -> str | None:
        state = instance_state(ec2, instance_id)
        if state == wanted:
            return None
        if state in GONE:
            raise OperationError(f"client host {instance_id} became {state} while waiting for it to be {wanted}")
        return state

    return check


def _until_online(ssm: Any, instance_id: str) -> Callable[[], str | None]:
    def check() -> str | None:
        ping = ssm_ping_status(ssm, instance_id)
        return None if ping == "Online" else f"agent {ping or 'not registered yet'}"

    return check


def host_state(ec2: Any, instance_id: str) -> dict[str, Any]:
    """The client host for `status`: its EC2 state, or why it could not be read."""
    try:
        state = instance_state(ec2, instance_id)
    except OperationError as error:
        return {"instanceId": instance_id, "state": "not found", "couldNotRead": str(error)}
    except AWS_FAILURES as error:
        return {
            "instanceId": instance_id,
            "state": f"not read: {error_code(error) or one_line(error)}",
            "couldNotRead": one_line(error),
        }
    note = "start it with `python -m ops client start`" if state == "stopped" else None
    return {"instanceId": instance_id, "state": state, "note": note}
