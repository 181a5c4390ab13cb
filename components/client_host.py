"""ClientHost: the workshop's Cloud9 environment as AWS offers it today.

Cloud9 is closed to new customers, so the client is a small EC2 instance reached through SSM
Session Manager: no SSH key, no inbound rule, IMDSv2 only, encrypted disk. Its role may read
exactly one secret, the cluster's master secret, so `aurora-mysql` on the host can connect.

Like Cloud9, the host stops itself when idle: a CloudWatch alarm on its CPU whose action is the
EC2 stop action. CloudWatch performs EC2 alarm actions through its service-linked role
AWSServiceRoleForCloudWatchEvents, which it creates itself on the first such alarm (CloudWatch User
Guide, "Using service-linked roles for CloudWatch"), so no role or Lambda is declared here.
`python -m ops client start` starts it again.
"""

# No `from __future__ import annotations`: Pulumi's analyzer reads the args and outputs as types.
import shlex
from pathlib import Path
from typing import NotRequired, TypedDict

import pulumi
import pulumi_aws as aws

from settings import checks as v

from .arg_rules import Rule, check_tags, refuse_bad_args
from .iam import secret_read_policy, service_role
from .package_identity import released_identity, type_token

INIT_SCRIPT = Path(__file__).parent / "scripts" / "client-init.sh"
SSM_CORE_POLICY = "policy/AmazonSSMManagedInstanceCore"
# Latest Amazon Linux 2023 for Graviton, published by AWS as a public SSM parameter.
AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
DEFAULT_INSTANCE_TYPE = "t4g.micro"
# EC2 basic monitoring publishes CPUUtilization every 5 minutes: one evaluation period each.
IDLE_PERIOD_SECONDS = 300
# The SSM agent alone keeps the busiest minute of an idle t4g.micro well under this.
IDLE_CPU_PERCENT = 2


def stop_action_arn(region: str) -> str:
    """The EC2 stop alarm action (PutMetricAlarm AlarmActions, botocore cloudwatch model), in the
    region's partition (arn:aws-cn:... in China)."""
    return f"arn:{v.PARTITION_OF_REGION[region]}:automate:{region}:ec2:stop"


class ClientHostArgs(TypedDict):
    """Where the host runs and which cluster it connects to; a dict from the program and from the package."""

    subnet_id: str
    """Subnet with a route to SSM (public in the default VPC, or NAT / VPC endpoints)."""
    security_group_id: pulumi.Input[str]
    """The client security group created by Network (no inbound rules)."""
    associate_public_ip: bool
    """Public IP for reaching SSM without NAT (default VPC only); no inbound rule admits anything."""
    cluster_endpoint: pulumi.Input[str]
    """Writer endpoint the `aurora-mysql` helper connects to."""
    reader_endpoint: pulumi.Input[str]
    """Reader endpoint for `aurora-mysql --reader`."""
    port: pulumi.Input[float]
    """MySQL port, a whole number. A number, not an integer, in the schema: pulumi 3.272's component
    host converts an integer arg with int() before the component runs, which fails on an output such
    as `AuroraCluster.port` (pulumi/provider/experimental/component.py `map_input_properties`)."""
    master_username: pulumi.Input[str]
    """User the helper signs in as (the cluster's, which a restored cluster takes from its snapshot)."""
    secret_arn: pulumi.Input[str]
    """The only secret the host's role may read."""
    region: str
    """AWS region, for the helper's Secrets Manager call and the stop action."""
    alarm_name: str
    """Name of the idle-stop alarm (the stack names it after the cluster)."""
    idle_stop_minutes: NotRequired[int]
    """Stop the host after this many minutes of low CPU; 0 never stops it; default 30."""
    instance_type: NotRequired[str]
    """A small Graviton instance: the client only runs the MySQL CLI; default t4g.micro."""
    tags: NotRequired[dict[str, str]]
    """Tags for every resource; default none."""


# Each arg's rule is its setting's (settings/model.py).
CLIENT_HOST_ARG_RULES: dict[str, Rule] = {
    "subnet_id": v.subnet_id,
    "region": v.check_region,
    "idle_stop_minutes": v.check_idle_stop_minutes,
    "tags": check_tags,
}
DEFAULT_IDLE_STOP_MINUTES = 30


def render_user_data(endpoint: str, reader_endpoint: str, port: float, user: str, secret_arn: str, region: str) -> str:
    """The instance's user data: the cluster's coordinates as shell exports, then the init script."""
    exports = {
        "AURORA_ENDPOINT": endpoint,
        "AURORA_READER_ENDPOINT": reader_endpoint,
        "AURORA_PORT": str(int(port)),
        "AURORA_USER": user,
        "AURORA_SECRET_ARN": secret_arn,
        "AWS_REGION": region,
    }
    lines = ["#!/bin/bash"] + [f"export {key}={shlex.quote(value)}" for key, value in exports.items()]
    return "\n".join(lines) + "\n" + INIT_SCRIPT.read_text()


class ClientHost(pulumi.ComponentResource):
    """An SSM-managed EC2 instance with the MySQL client and a TLS-verifying connect helper."""

    instance_id: pulumi.Output[str]
    """The EC2 instance: `aws ssm start-session --target <instanceId>`."""

    def __init__(self, name: str, args: ClientHostArgs, opts: pulumi.ResourceOptions | None = None):
        refuse_bad_args("ClientHost", args, CLIENT_HOST_ARG_RULES)
        super().__init__(type_token("ClientHost"), name, None, released_identity(opts, "aurora:client:ClientHost"))
        tags = args.get("tags", {})
        idle_stop_minutes = args.get("idle_stop_minutes", DEFAULT_IDLE_STOP_MINUTES)
        child = pulumi.ResourceOptions(parent=self)

        # The children, for the program (not outputs of the package).
        self.role: aws.iam.Role
        self.role, _ = service_role(
            f"{name}-role",
            f"{name}-ssm-core",
            "ec2.amazonaws.com",
            "Aurora client host: SSM Session Manager and the cluster's master secret",
            SSM_CORE_POLICY,
            tags,
            child,
        )
        aws.iam.RolePolicy(
            f"{name}-read-master-secret",
            role=self.role.id,
            policy=pulumi.Output.from_input(args["secret_arn"]).apply(secret_read_policy),
            opts=child,
        )
        profile = aws.iam.InstanceProfile(f"{name}-profile", role=self.role.name, tags=tags, opts=child)

        user_data = pulumi.Output.all(
            args["cluster_endpoint"], args["reader_endpoint"], args["port"], args["secret_arn"], args["master_username"]
        ).apply(lambda values: render_user_data(values[0], values[1], values[2], values[4], values[3], args["region"]))
        self.instance: aws.ec2.Instance = aws.ec2.Instance(
            f"{name}-instance",
            ami=aws.ssm.get_parameter(name=AMI_PARAMETER).value,
            instance_type=args.get("instance_type", DEFAULT_INSTANCE_TYPE),
            subnet_id=args["subnet_id"],
            vpc_security_group_ids=[args["security_group_id"]],
            associate_public_ip_address=args["associate_public_ip"],
            iam_instance_profile=profile.name,
            user_data=user_data,
            metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required", http_endpoint="enabled"),
            root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(encrypted=True, volume_type="gp3"),
            tags={**tags, "Name": f"{name}"},
            # A newer Amazon Linux image must not replace the host on every `up`.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["ami"]),
        )
        self.instance_id = self.instance.id
        self.idle_stop_alarm: aws.cloudwatch.MetricAlarm | None = (
            self._idle_stop_alarm(name, args, idle_stop_minutes, tags, child) if idle_stop_minutes else None
        )
        self.register_outputs({"instanceId": self.instance_id})

    def _idle_stop_alarm(
        self, name: str, args: ClientHostArgs, idle_stop_minutes: int, tags: dict[str, str], child: pulumi.ResourceOptions
    ) -> aws.cloudwatch.MetricAlarm:
        periods = idle_stop_minutes * 60 // IDLE_PERIOD_SECONDS
        return aws.cloudwatch.MetricAlarm(
            f"{name}-idle-stop",
            name=args["alarm_name"],
            alarm_description=(
                f"Stops the Aurora client host after {idle_stop_minutes} idle minutes "
                "(start it with `python -m ops client start`)"
            ),
            namespace="AWS/EC2",
            metric_name="CPUUtilization",
            dimensions={"InstanceId": self.instance.id},
            statistic="Maximum",
            period=IDLE_PERIOD_SECONDS,
            evaluation_periods=periods,
            datapoints_to_alarm=periods,
            comparison_operator="LessThanThreshold",
            threshold=IDLE_CPU_PERCENT,
            # A stopped host sends no data. Counted as not breaching, the alarm returns to OK while the
            # host is stopped and, after a start, needs `periods` fresh idle datapoints before it acts:
            # it never stops a host just started on the strength of datapoints from before its stop,
            # and an alarm that stayed in ALARM would never act again (actions run on state changes).
            treat_missing_data="notBreaching",
            alarm_actions=[stop_action_arn(args["region"])],
            # Stopping is the whole job: no OK or INSUFFICIENT_DATA action, nothing pages anyone.
            ok_actions=[],
            insufficient_data_actions=[],
            actions_enabled=True,
            tags=tags,
            opts=child,
        )
