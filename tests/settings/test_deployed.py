"""What AWS already runs (`settings/deployed.py`): the engine version is never planned backwards,
a deleted promotion snapshot is recognised by the provider's own answer, and a change AWS would
defer to the maintenance window is refused before anything is declared."""

from __future__ import annotations

import pytest

from awsfacts.engine_versions import parameter_group_family, version_key
from settings import deployed
from settings.deployed import (
    DeployedCluster,
    DeployedInstance,
    DeployedStateError,
    deferred_change_problems,
    kept_engine_version,
)
from settings.loading import load_settings

V3_10_5 = "8.0.mysql_aurora.3.10.5"
V3_10_6 = "8.0.mysql_aurora.3.10.6"


def test_versions_compare_by_their_numbers():
    assert version_key(V3_10_5) == (8, 0, 3, 10, 5)
    assert version_key("8.4.7") == (8, 4, 7)
    assert version_key("8.0.mysql_aurora.3.9.12") < version_key(V3_10_5)  # numbers, not text
    assert version_key(V3_10_5) < version_key("8.4.7")
    assert version_key("8.0") == (8, 0)
    assert version_key("latest") is None


def test_a_first_deployment_uses_the_configured_version():
    assert kept_engine_version(V3_10_5, None, "prod") == (V3_10_5, None)


def test_the_same_version_plans_nothing_and_says_nothing():
    assert kept_engine_version(V3_10_5, V3_10_5, "prod") == (V3_10_5, None)


def test_a_minor_aws_upgraded_is_kept_with_one_line_saying_what_to_write():
    version, warning = kept_engine_version(V3_10_5, V3_10_6, "prod")
    assert version == V3_10_6
    assert warning is not None and "\n" not in warning
    assert f"aurora:engineVersion is {V3_10_5!r} but the cluster runs {V3_10_6!r}" in warning
    assert f"write `aurora:engineVersion: {V3_10_6}` in Pulumi.prod.yaml" in warning


def test_a_later_version_in_the_stack_file_is_an_upgrade_that_applies():
    assert kept_engine_version("8.0.mysql_aurora.3.11.0", V3_10_6, "prod") == ("8.0.mysql_aurora.3.11.0", None)
    assert kept_engine_version("8.4.7", V3_10_6, "prod") == ("8.4.7", None)


def test_a_later_major_running_is_never_planned_back():
    assert kept_engine_version(V3_10_6, "8.4.7", "prod")[0] == "8.4.7"


def test_a_version_that_is_not_numbers_is_left_as_configured():
    assert kept_engine_version(V3_10_5, "8.0.mysql_aurora.3.10.5-preview", "dev") == (V3_10_5, None)


def test_the_settings_keep_their_stack_when_the_version_is_kept(monkeypatch):
    warnings = []
    monkeypatch.setattr(deployed.pulumi.log, "warn", warnings.append)
    settings = load_settings({"capacityType": "provisioned", "engineVersion": V3_10_5}, "aurora", "prod", "us-east-1")
    kept = deployed.with_deployed_engine_version(settings, DeployedCluster("aurora-prod", V3_10_6))
    assert (kept.engine_version, parameter_group_family(kept.engine_version), kept.stack, kept.cluster_name) == (
        V3_10_6,
        "aurora-mysql8.0",
        "prod",
        "aurora-prod",
    )
    assert settings.engine_version == V3_10_5 and len(warnings) == 1
    assert deployed.with_deployed_engine_version(settings, None) is settings


def test_the_cluster_tag_names_the_promotion_snapshot():
    assert (
        DeployedCluster("c", V3_10_5, {"PromotedFromSnapshot": "c-promotion-0a1b2c3d"}).promotion_snapshot
        == "c-promotion-0a1b2c3d"
    )
    assert DeployedCluster("c", V3_10_5, {"PromotedFromSnapshot": ""}).promotion_snapshot is None


@pytest.mark.parametrize(
    "error",
    [
        "invoke of aws:rds/getClusterSnapshot:getClusterSnapshot failed: Your query returned no results. "
        "Please change your search criteria and try again.",
        "invoke failed: reading RDS Cluster Snapshots: DBClusterSnapshotNotFoundFault: DBClusterSnapshot c not found",
    ],
)
def test_a_snapshot_the_provider_cannot_find_is_gone(monkeypatch, error):
    """terraform-provider-aws rds/cluster_snapshot_data_source.go ("Your query returned no results");
    botocore rds DescribeDBClusterSnapshots: DBClusterSnapshotNotFoundFault."""

    def not_found(**kwargs):
        raise Exception(error)

    monkeypatch.setattr(deployed.aws.rds, "get_cluster_snapshot", not_found)
    assert deployed.snapshot_exists("c-promotion-0a1b2c3d") is False


def test_any_other_failure_stops_the_run_instead_of_forgetting_the_snapshot(monkeypatch):
    def denied(**kwargs):
        raise Exception("invoke failed: AccessDenied: not authorized to perform rds:DescribeDBClusterSnapshots")

    monkeypatch.setattr(deployed.aws.rds, "get_cluster_snapshot", denied)
    with pytest.raises(DeployedStateError, match="could not read cluster snapshot c-promotion-0a1b2c3d: .*AccessDenied"):
        deployed.snapshot_exists("c-promotion-0a1b2c3d")


def test_a_snapshot_the_provider_returns_exists(monkeypatch):
    asked = []
    monkeypatch.setattr(deployed.aws.rds, "get_cluster_snapshot", lambda **kwargs: asked.append(kwargs))
    assert deployed.snapshot_exists("c-promotion-0a1b2c3d") is True
    assert asked == [{"db_cluster_snapshot_identifier": "c-promotion-0a1b2c3d", "snapshot_type": "manual"}]


# --- Changes AWS would defer to the maintenance window -----------------------------------------------

CA_2048, CA_4096 = "rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1"


def prod_settings(**raw):
    return load_settings({"capacityType": "provisioned", "engineVersion": V3_10_5, **raw}, "aurora", "prod", "us-east-1")


def running_prod(ca: str = CA_2048, instance_class: str = "db.r7g.large", iam: bool = True, extra=()) -> DeployedCluster:
    names = ["aurora-prod-instance-1", "aurora-prod-instance-2", *extra]
    instances = tuple(DeployedInstance(name, instance_class, ca) for name in names)
    return DeployedCluster("aurora-prod", V3_10_5, iam_authentication=iam, instances=instances)


def test_nothing_differs_nothing_is_refused():
    assert deferred_change_problems(prod_settings(), running_prod()) == []
    assert deferred_change_problems(prod_settings(), None) == []


def test_a_ca_change_in_the_maintenance_window_names_each_instance_and_what_it_runs():
    (problem,) = deferred_change_problems(prod_settings(caCertificateIdentifier=CA_4096), running_prod())
    assert problem.startswith(
        f"aurora:caCertificateIdentifier is {CA_4096!r} but aurora-prod-instance-1 runs {CA_2048!r}, "
        f"aurora-prod-instance-2 runs {CA_2048!r}: with aurora:applyImmediately false"
    )
    assert f"each instance reboots now), or keep aurora:caCertificateIdentifier: {CA_2048} " in problem


def test_apply_immediately_lets_every_deferred_change_through():
    settings = prod_settings(caCertificateIdentifier=CA_4096, applyImmediately=True, iamAuthentication=False)
    assert deferred_change_problems(settings, running_prod(instance_class="db.r7g.xlarge")) == []


def test_each_deferred_change_is_one_line():
    problems = deferred_change_problems(
        prod_settings(caCertificateIdentifier=CA_4096, iamAuthentication=False), running_prod(instance_class="db.r6g.large")
    )
    assert [p.split(" is ")[0] for p in problems] == [
        "aurora:caCertificateIdentifier",
        "aurora:provisioned.instanceClass",
        "aurora:iamAuthentication",
    ]
    assert "aurora:iamAuthentication is false but the cluster runs with it true" in problems[2]


def running(*classes: str) -> DeployedCluster:
    instances = tuple(DeployedInstance(f"aurora-prod-instance-{n}", c, CA_2048) for n, c in enumerate(classes, start=1))
    return DeployedCluster("aurora-prod", V3_10_5, iam_authentication=True, instances=instances)


def test_each_instance_is_compared_with_its_own_class():
    settings = prod_settings(provisioned={"readers": 2, "readerInstanceClasses": ["db.r6g.large"]})
    assert deferred_change_problems(settings, running("db.r7g.large", "db.r6g.large", "db.r7g.large")) == []


def test_a_readers_class_change_in_the_maintenance_window_names_its_item_and_that_reader_alone():
    settings = prod_settings(provisioned={"readers": 2, "readerInstanceClasses": ["db.r7g.large", "db.r6g.large"]})
    (problem,) = deferred_change_problems(settings, running("db.r7g.large", "db.r7g.large", "db.r7g.large"))
    assert problem.startswith(
        "aurora:provisioned.readerInstanceClasses[1] is 'db.r6g.large' but aurora-prod-instance-3 runs 'db.r7g.large': "
        "with aurora:applyImmediately false"
    )
    assert "or keep aurora:provisioned.readerInstanceClasses[1]: db.r7g.large " in problem


def test_an_instance_the_program_does_not_declare_is_not_compared():
    """A reader added outside Pulumi is not the program's to change; a reader the program adds is
    created with the configured values, not modified."""
    cluster = running_prod()
    outsider = DeployedInstance("aurora-prod-manual", "db.r6g.large", CA_4096)
    cluster = DeployedCluster(cluster.identifier, V3_10_5, iam_authentication=True, instances=(*cluster.instances, outsider))
    assert deferred_change_problems(prod_settings(), cluster) == []


def test_the_running_values_are_read_from_each_member_instance(monkeypatch):
    """aws_rds_cluster data source: cluster_members; aws_db_instance data source: the running
    db_instance_class and ca_cert_identifier (terraform-provider-aws rds/instance_data_source.go)."""

    class Found:
        cluster_identifiers = ["aurora-prod"]

    class Cluster:
        engine_version, tags, iam_database_authentication_enabled = V3_10_5, {}, True
        cluster_members = ["aurora-prod-instance-2", "aurora-prod-instance-1"]

    class Instance:
        db_instance_class, ca_cert_identifier = "db.r7g.large", CA_2048

    asked = []
    monkeypatch.setattr(deployed.aws.rds, "get_clusters", lambda **kwargs: Found())
    monkeypatch.setattr(deployed.aws.rds, "get_cluster", lambda **kwargs: Cluster())
    monkeypatch.setattr(deployed.aws.rds, "get_instance", lambda **kwargs: asked.append(kwargs) or Instance())
    assert deployed.find_deployed_cluster("aurora-prod") == running_prod()
    assert asked == [{"db_instance_identifier": "aurora-prod-instance-1"}, {"db_instance_identifier": "aurora-prod-instance-2"}]


def test_a_restored_stack_whose_completion_failed_may_be_run_again():
    """The restore does not send IAM authentication (terraform-provider-aws rds/cluster.go,
    resourceClusterCreate, RestoreDBClusterFromSnapshot input); the restore completion turns it on
    applied immediately. After a failed first `up` the cluster runs without it, and the re-run the
    completion's message asks for must not be refused."""
    restored = prod_settings(restoreFrom={"stack": "organization/aurora/dev"})
    assert deferred_change_problems(restored, running_prod(iam=False)) == []
    # Turning it off is the cluster resource's change, deferred like any other.
    (problem,) = deferred_change_problems(
        prod_settings(restoreFrom={"stack": "organization/aurora/dev"}, iamAuthentication=False), running_prod()
    )
    assert problem.startswith("aurora:iamAuthentication is false but the cluster runs with it true")
    # Without a restore, nothing else turns it on: the change is deferred and refused.
    assert len(deferred_change_problems(prod_settings(), running_prod(iam=False))) == 1


def test_an_instance_that_cannot_be_read_stops_the_run_in_one_line(monkeypatch):
    def refused(**_):
        raise Exception("invocation of aws:rds/getInstance:getInstance returned an error:\nAccessDenied: not authorized")

    monkeypatch.setattr(deployed.aws.rds, "get_instance", refused)
    with pytest.raises(deployed.DeployedStateError) as caught:
        deployed.find_deployed_instance("aurora-prod-instance-1")
    assert str(caught.value) == (
        "could not read instance aurora-prod-instance-1 of the deployed cluster (DescribeDBInstances): invocation of "
        "aws:rds/getInstance:getInstance returned an error: AccessDenied: not authorized"
    )
