"""Issue #31: a package user's bad arg value is refused as a stack file's is: by the same rule
(settings/checks.py), in one line naming the arg, the value and what is allowed, before the
component declares anything (components/arg_rules.py). Tried through the package's provider
(`ComponentProvider.construct`, the host's path), beside the stack file's refusal of the same value."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import ComponentInitError

from components.arg_rules import ArgError, arg_name, refuse_bad_args
from package.members import COMPONENTS, NAME, VERSION
from plan.engine import RecordingMocks, run_declarations
from settings import checks
from tests.settings.helpers import problems

PROVIDER = ComponentProvider(COMPONENTS, NAME, version=VERSION)
CLUSTER_ARGS: dict[str, Any] = {
    "clusterIdentifier": "aurora-dev",
    "engineVersion": "8.0.mysql_aurora.3.10.5",
    "instanceClasses": ["db.serverless"],
    "monitoringInterval": 0,
    "dataApi": True,
    "iamAuthentication": False,
    "backupRetentionDays": 1,
    "backupWindow": "03:00-04:00",
    "maintenanceWindow": "sun:05:00-sun:06:00",
    "deletionProtection": False,
    "protect": False,
    "applyImmediately": True,
    "logExports": ["error"],
    "logRetentionDays": 30,
    "caCertificateIdentifier": "rds-ca-rsa2048-g1",
    "engineLifecycleSupport": "open-source-rds-extended-support-disabled",
    "storageType": "aurora",
    "masterUsername": "admin",
    "subnetGroupName": "group",
    "securityGroupIds": ["sg-0aaaaaaaaaaaaaaa1"],
    "availabilityZones": ["us-east-1a", "us-east-1b"],
    "region": "us-east-1",
    "globalPrimary": False,
    "masterPasswordVersion": 1,
    "tags": {},
}


def refusal(component: str, inputs: dict[str, Any]) -> tuple[str, list]:
    """The host's error (the component's own exception, wrapped: its text is what the user reads),
    and what was registered meanwhile, once every registration has reached the mock engine."""
    messages = []

    def construct() -> None:
        with pytest.raises(ComponentInitError) as caught:
            PROVIDER.construct("refused", f"{NAME}:index:{component}", inputs, pulumi.ResourceOptions())
        assert isinstance(caught.value.inner, ArgError)
        messages.append(str(caught.value))

    deployment = run_declarations(construct, RecordingMocks(), "aurora", "dev")
    return messages[0], deployment.resources


OBSERVED = {"clusterIdentifier": "aurora-dev", "region": "us-east-1", "serverless": True}
APP_USER = {
    "endpoint": "127.0.0.1:3307",
    "masterUsername": "admin",
    "secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:master",
    "clusterResourceId": "cluster-ABC",
    "region": "us-east-1",
    "userName": "app",
}


@pytest.mark.engine
@pytest.mark.parametrize(
    ("component", "inputs", "arg", "bad", "setting"),
    [
        ("AuroraCluster", CLUSTER_ARGS, "engineVersion", "5.7.mysql_aurora.2.11.2", {"engineVersion": "5.7.mysql_aurora.2.11.2"}),
        ("AuroraCluster", CLUSTER_ARGS, "logRetentionDays", 10, {"logRetentionDays": 10}),
        ("AuroraCluster", CLUSTER_ARGS, "backupWindow", "25:00-26:00", {"backupWindow": "25:00-26:00"}),
        ("Network", {}, "vpcId", "vpc-nope", {"network": {"vpcId": "vpc-nope"}}),
        ("Observability", OBSERVED, "alarmEmail", "nobody", {"alarmEmail": "nobody"}),
        ("AppUser", APP_USER, "userName", "root", {"appUser": {"endpoint": "127.0.0.1:3307", "name": "root"}}),
    ],
    ids=["engine-version", "log-retention", "backup-window", "vpc-id", "alarm-email", "app-user-name"],
)
def test_a_bad_arg_gets_the_stack_file_s_reason_and_nothing_is_declared(component, inputs, arg, bad, setting):
    [stack_line] = problems({"capacityType": "serverless", **setting})
    reason = stack_line.split(": ", 1)[1]

    message, declared = refusal(component, {**inputs, arg: bad})

    assert message == f"{component} arg {arg} is {bad!r}: {reason}"
    assert declared == []


def test_an_unknown_value_is_left_to_aws():
    refuse_bad_args("Network", {"vpc_id": pulumi.Output.from_input("vpc-nope")}, {"vpc_id": lambda value: "refused"})


def test_every_refused_arg_is_named_each_on_its_own_line():
    with pytest.raises(ArgError) as caught:
        refuse_bad_args(
            "Network", {"vpc_id": "x", "region": "y"}, {"vpc_id": lambda v: "no vpc", "region": lambda v: "no region"}
        )

    assert str(caught.value).splitlines() == ["Network arg vpcId is 'x': no vpc", "Network arg region is 'y': no region"]


def test_arg_names_are_the_schema_s():
    assert [arg_name(key) for key in ("vpc_id", "allowed_security_group_ids", "region")] == [
        "vpcId",
        "allowedSecurityGroupIds",
        "region",
    ]


ADOPTED = {"instanceZones": ["us-east-1a"], "logTypes": ["error"]}


@pytest.mark.engine
@pytest.mark.parametrize(
    ("component", "inputs", "arg", "bad", "reason"),
    [
        (
            "AuroraCluster",
            CLUSTER_ARGS,
            "adopted",
            {**ADOPTED, "instanceZones": ["east"]},
            "'east' is refused: " + str(checks.check_availability_zone("east")),
        ),
        ("AuroraCluster", CLUSTER_ARGS, "adopted", {**ADOPTED, "logTypes": ["x"]}, checks.check_log_exports(["x"])),
        (
            "Network",
            {},
            "existingSubnetGroup",
            "default",
            checks.check_subnet_group_name("default"),
        ),
    ],
    ids=["instance-zone", "log-types", "subnet-group-name"],
)
def test_a_bad_adoption_arg_gets_its_setting_s_reason_and_nothing_is_declared(component, inputs, arg, bad, reason):
    """The rules of `aurora:adopt` (settings/model.py AdoptConfig), for the package's nested values."""
    message, declared = refusal(component, {**inputs, arg: bad})

    assert reason
    assert message.startswith(f"{component} arg {arg} is ")
    assert message.endswith(f": {reason}")
    assert declared == []
