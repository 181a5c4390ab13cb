"""RDS Extended Support enrolment (`engineLifecycleSupport`) and the storage configuration
(`storageType`) as settings: their defaults per shape, the choices AWS accepts, and the one-line
refusal of any other (pure: no mock engine). What the clusters receive is pinned in
tests/components/test_engine_lifecycle_and_storage.py."""

from __future__ import annotations

import pytest

from settings.checks import ENGINE_LIFECYCLE_SUPPORTS, EXTENDED_SUPPORT_DISABLED, EXTENDED_SUPPORT_ENABLED
from tests.settings.helpers import load, problems

SERVERLESS = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}
PROVISIONED = {"capacityType": "provisioned"}


def test_dev_opts_out_of_extended_support_and_prod_stays_enrolled():
    assert load(SERVERLESS).engine_lifecycle_support == EXTENDED_SUPPORT_DISABLED
    assert load(PROVISIONED).engine_lifecycle_support == EXTENDED_SUPPORT_ENABLED


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
@pytest.mark.parametrize("choice", ENGINE_LIFECYCLE_SUPPORTS)
def test_either_enrolment_can_be_chosen_for_either_shape(raw, choice):
    assert load({**raw, "engineLifecycleSupport": choice}).engine_lifecycle_support == choice


def test_the_allowed_enrolments_are_the_two_aws_accepts():
    """botocore rds CreateDBCluster EngineLifecycleSupport; rds/cluster.go engineLifecycleSupport_Values()."""
    assert ENGINE_LIFECYCLE_SUPPORTS == ("open-source-rds-extended-support", "open-source-rds-extended-support-disabled")


@pytest.mark.parametrize("value", ["open-source-rds-standard-support", "disabled", True])
def test_another_enrolment_is_refused_in_one_line(value):
    [problem] = problems({**SERVERLESS, "engineLifecycleSupport": value})
    assert problem.startswith(f"aurora:engineLifecycleSupport is {value!r}")
    assert "open-source-rds-extended-support-disabled" in problem and "\n" not in problem


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
def test_both_shapes_keep_standard_storage_by_default(raw):
    assert load(raw).storage_type == "aurora"


@pytest.mark.parametrize("raw", [SERVERLESS, PROVISIONED])
def test_io_optimized_storage_can_be_chosen_for_both_shapes(raw):
    assert load({**raw, "storageType": "aurora-iopt1"}).storage_type == "aurora-iopt1"


@pytest.mark.parametrize("value", ["io1", "gp3", "", "standard"])
def test_a_storage_type_aurora_does_not_offer_is_refused_in_one_line(value):
    """io1, io2, gp3 are Multi-AZ DB cluster storage (botocore rds CreateDBCluster StorageType)."""
    [problem] = problems({**PROVISIONED, "storageType": value})
    assert problem.startswith(f"aurora:storageType is {value!r}")
    assert "aurora-iopt1" in problem and "\n" not in problem
