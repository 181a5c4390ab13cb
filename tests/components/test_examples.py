"""The stack files in `examples/`: each runs under the mock engine as the stack it is copied to,
declares the resources that make its shape, and passes every mandatory policy of the pack.

An example is run as a user runs it: copied to `Pulumi.<name>.yaml` beside the project file and
the program, in a project root of its own (`run_program(..., root=...)`)."""

from __future__ import annotations

import json
import re

import pytest
from pulumi_policy import EnforcementLevel

from plan import cost
from plan.engine import Deployment, run_program
from plan.snapshot import take
from policy.policies import POLICIES
from tests.helpers import EXAMPLE_FILES, EXAMPLES, example_name, example_root
from tests.policy.helpers import all_violations

MANDATORY = [policy for policy in POLICIES if policy.enforcement_level == EnforcementLevel.MANDATORY]
CLUSTER = "aws:rds/cluster:Cluster"


def run_example(name: str, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    return run_program(name, root=example_root(name, tmp_path_factory))


@pytest.fixture(scope="module")
def existing_vpc(tmp_path_factory) -> Deployment:
    return run_example("existing-vpc", tmp_path_factory)


@pytest.fixture(scope="module")
def global_dr(tmp_path_factory) -> Deployment:
    return run_example("global-dr", tmp_path_factory)


@pytest.fixture(scope="module")
def snapshot_copy_dr(tmp_path_factory) -> Deployment:
    return run_example("snapshot-copy-dr", tmp_path_factory)


@pytest.fixture(scope="module")
def app_user(tmp_path_factory) -> Deployment:
    return run_example("app-user", tmp_path_factory)


def test_the_examples_are_the_four_documented_shapes():
    assert [example_name(path) for path in EXAMPLE_FILES] == ["app-user", "existing-vpc", "global-dr", "snapshot-copy-dr"]


def test_the_examples_readme_lists_every_example_file_and_no_other():
    listed = set(re.findall(r"\[`(Pulumi\.[\w.-]+\.yaml)`\]\(\1\)", (EXAMPLES / "README.md").read_text()))
    assert listed == {path.name for path in EXAMPLE_FILES}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=example_name)
def test_each_example_starts_with_a_header_comment_saying_how_to_use_it(path):
    # The first line names the schema for editors (tests/settings/test_reference.py); the header follows.
    header = path.read_text().split("\nconfig:\n", 1)[0].split("\n", 1)[1]
    assert header.startswith("# Example: ") and "copy to Pulumi.<stack>.yaml" in header


@pytest.mark.engine
def test_existing_vpc_puts_everything_in_the_given_vpc_and_subnets(existing_vpc):
    vpc_id, subnet_ids = "vpc-0123456789abcdef0", ["subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
    assert {group.inputs["vpcId"] for group in existing_vpc.of_type("aws:ec2/securityGroup:SecurityGroup")} == {vpc_id}
    assert existing_vpc.one("aws:rds/subnetGroup:SubnetGroup").inputs["subnetIds"] == subnet_ids
    [cidr_rule] = [
        rule
        for rule in existing_vpc.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if "cidrIpv4" in rule.inputs
    ]
    assert (cidr_rule.inputs["cidrIpv4"], cidr_rule.inputs["fromPort"], cidr_rule.inputs["toPort"]) == (
        "10.20.0.0/16",
        3306,
        3306,
    )


@pytest.mark.engine
def test_existing_vpc_client_host_sits_in_the_private_subnet_without_a_public_address(existing_vpc):
    host = existing_vpc.one("aws:ec2/instance:Instance")
    assert host.inputs["subnetId"] == "subnet-0123456789abcdef1"
    assert host.inputs["associatePublicIpAddress"] is False


@pytest.mark.engine
def test_the_estimate_prices_a_public_ipv4_address_only_on_the_default_vpc_client_host(tmp_path_factory):
    """The dev stack's host in the default VPC has one (see tests/plan/test_cost.py); this one has none."""
    snapshot = take("existing-vpc", example_root("existing-vpc", tmp_path_factory))
    assert snapshot.error is None
    items = [line.item for line in cost.estimate(snapshot).lines]
    assert "client-instance" in items and "client-instance public IPv4" not in items


@pytest.mark.engine
def test_global_dr_makes_a_global_database_from_the_primary_with_a_secondary_in_the_dr_region(global_dr):
    primary = global_dr.one(CLUSTER, "database-cluster")
    secondary = global_dr.one(CLUSTER, "global-database-secondary-cluster")
    global_cluster = global_dr.one("aws:rds/globalCluster:GlobalCluster")
    assert global_cluster.inputs["sourceDbClusterIdentifier"] == "arn:aws:rds:us-east-1:123456789012:cluster:aurora-global-dr"
    assert primary.inputs["backtrackWindow"] == 0
    assert secondary.inputs["region"] == "us-west-2" and secondary.inputs["storageEncrypted"] is True
    assert secondary.inputs["kmsKeyId"].startswith("arn:aws:kms:us-west-2:")
    assert global_cluster.protect and secondary.protect and primary.protect
    [instance] = [
        i for i in global_dr.of_type("aws:rds/clusterInstance:ClusterInstance") if i.inputs.get("region") == "us-west-2"
    ]
    assert instance.inputs["publiclyAccessible"] is False


@pytest.mark.engine
def test_global_dr_primary_uses_a_generated_write_only_password_not_a_managed_one(global_dr):
    primary = global_dr.one(CLUSTER, "database-cluster")
    assert "manageMasterUserPassword" not in primary.inputs and "masterPassword" not in primary.inputs
    assert primary.inputs["masterPasswordWoVersion"] == 1
    secret_version = global_dr.one("aws:secretsmanager/secretVersion:SecretVersion")
    assert "secretString" not in secret_version.inputs and secret_version.inputs["secretStringWoVersion"] == 1


@pytest.mark.engine
def test_global_dr_secondary_admits_only_the_configured_private_range(global_dr):
    rules = [r for r in global_dr.of_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") if r.inputs.get("region")]
    assert [(r.inputs["cidrIpv4"], r.inputs["region"]) for r in rules] == [("10.30.0.0/16", "us-west-2")]


@pytest.mark.engine
def test_snapshot_copy_dr_copies_daily_recovery_points_into_an_encrypted_vault_in_the_dr_region(snapshot_copy_dr):
    cluster = snapshot_copy_dr.one(CLUSTER)
    assert cluster.inputs["backtrackWindow"] == 24 * 3600
    key = snapshot_copy_dr.one("aws:kms/key:Key", "disaster-recovery-dr-key")
    assert key.inputs["region"] == "us-west-2" and key.inputs["enableKeyRotation"] is True
    dr_vault = snapshot_copy_dr.one("aws:backup/vault:Vault", "disaster-recovery-dr-vault")
    assert dr_vault.inputs["region"] == "us-west-2" and dr_vault.inputs["kmsKeyArn"].endswith("/disaster-recovery-dr-key")
    assert dr_vault.inputs["forceDestroy"] is False
    [rule] = snapshot_copy_dr.one("aws:backup/plan:Plan").inputs["rules"]
    assert rule["lifecycle"] == {"deleteAfter": 7}
    [copy] = rule["copyActions"]
    assert copy["destinationVaultArn"].endswith(":disaster-recovery-dr-vault") and copy["lifecycle"] == {"deleteAfter": 7}
    selection = snapshot_copy_dr.one("aws:backup/selection:Selection")
    assert selection.inputs["resources"] == ["arn:aws:rds:us-east-1:123456789012:cluster:aurora-snapshot-copy-dr"]


@pytest.mark.engine
def test_app_user_signs_in_with_iam_and_gets_dml_on_the_tutorial_database_only(app_user):
    user = app_user.one("mysql:index/user:User")
    assert (user.inputs["user"], user.inputs["authPlugin"], user.inputs["tlsOption"]) == ("app", "AWSAuthenticationPlugin", "SSL")
    assert "plaintextPassword" not in user.inputs and "password" not in user.inputs
    grant = app_user.one("mysql:index/grant:Grant")
    assert grant.inputs["database"] == "tutorial"
    assert sorted(grant.inputs["privileges"]) == ["DELETE", "INSERT", "SELECT", "UPDATE"]
    provider = app_user.one("pulumi:providers:mysql")
    assert provider.inputs["endpoint"] == "127.0.0.1:3307"
    assert app_user.one(CLUSTER).inputs["iamDatabaseAuthenticationEnabled"] is True


@pytest.mark.engine
def test_app_user_connect_policy_names_that_user_only(app_user):
    document = json.loads(app_user.one("aws:iam/policy:Policy", "app-user-connect").inputs["policy"])
    assert document["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "rds-db:connect",
            "Resource": "arn:aws:rds-db:us-east-1:123456789012:dbuser:cluster-ABCDEFGHIJKL/app",
        }
    ]


@pytest.mark.engine
@pytest.mark.parametrize("name", ["existing-vpc", "global-dr", "snapshot-copy-dr", "app-user"])
def test_every_example_passes_every_mandatory_policy(name, request):
    deployment = request.getfixturevalue(name.replace("-", "_"))
    assert all_violations(deployment, MANDATORY) == []


@pytest.mark.engine
def test_the_advisory_policies_say_what_the_docs_say_of_the_examples(global_dr, app_user, existing_vpc, snapshot_copy_dr):
    """A Global Database cannot backtrack; the MySQL provider signs in with the master password."""
    advisory = [policy for policy in POLICIES if policy.enforcement_level == EnforcementLevel.ADVISORY]
    [backtrack] = all_violations(global_dr, advisory)
    assert backtrack.startswith("database-cluster: production clusters keep a backtrack window")
    assert len(all_violations(app_user, advisory)) == 1
    assert all_violations(existing_vpc, advisory) == all_violations(snapshot_copy_dr, advisory) == []
