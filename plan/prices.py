"""The price table behind the monthly estimate, and the assumptions it is applied with.

Prices are on-demand, us-east-1 (PRICE_REGION), USD, approximate; they are a review aid, not a
quote. Other regions cost up to about 20% more: the estimate prices them at these figures and says
so on each such line. Update PRICES_AS_OF with the table.

Sources: ../shared/aws-facts.md (Serverless v2 ACU-hour, db.r5.large, db.r7g.large, Aurora
Standard storage and I/O); AWS pricing pages for the rest, as read on the date below. Families
marked (estimate) were not checked against AWS's page and are scaled from their neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICES_AS_OF = "2026-11-27"
PRICE_REGION = "us-east-1"
"""The only region the table has: a line for anything elsewhere says it stands in (plan/cost.py)."""
HOURS_PER_MONTH = 730

SERVERLESS_ACU_HOUR = 0.12
STORAGE_GB_MONTH = 0.10
IO_PER_MILLION = 0.20
# Hourly price of the `large` size; RDS prices scale linearly with size within a family.
INSTANCE_LARGE_HOURLY = {
    "r5": 0.29,
    "r7g": 0.28,
    "r6g": 0.26,  # (estimate)
    "r6i": 0.29,  # (estimate)
    "r7i": 0.30,  # (estimate)
    "r8g": 0.29,  # (estimate)
}
SIZE_MULTIPLIER = {
    "large": 1,
    "xlarge": 2,
    "2xlarge": 4,
    "4xlarge": 8,
    "8xlarge": 16,
    "12xlarge": 24,
    "16xlarge": 32,
    "24xlarge": 48,
}
# Aurora I/O-Optimized (`storageType: aurora-iopt1`): no I/O charge, storage $0.225 a GB-month, and
# instances and Serverless v2 ACU-hours 30% dearer than on Standard. (estimate) The Aurora pricing
# page could not be read here on 2026-12-03; the figures are AWS's own us-east-1 constants in
# github.com/aws/agent-toolkit-for-aws (Aurora MySQL skill, references/io-optimized-pricing.md:
# storage $0.225, "Compute multiplier 1.30x", "the 30% multiplier applies to ACU-hour pricing"),
# which third-party readings of the pricing page agree with (cloudfix.com, jusdb.com, 2026).
IO_OPTIMIZED_STORAGE_GB_MONTH = 0.225
IO_OPTIMIZED_COMPUTE_MULTIPLIER = 1.30
# AWS's guidance: I/O-Optimized is the cheaper configuration once I/O is above about 25% of the
# Aurora bill (Aurora User Guide, "Storage configurations for Amazon Aurora DB clusters").
IO_OPTIMIZED_BREAK_EVEN_IO_SHARE = 0.25
# RDS Extended Support, charged from the day after a major version's end of standard support, per
# vCPU-hour of each provisioned instance: $0.100 in years 1-2 and $0.200 from year 3 (AWS's rate for
# US East (Ohio), as quoted in getreadystack's aurora-mysql57-upgrade-blocker-lint README, 2026;
# the Aurora pricing page's "Extended Support" section could not be read here: (estimate)). Aurora
# MySQL has no year-3 price: the release calendar lists year-3 pricing "Not applicable" for Aurora
# MySQL version 3, and aws-samples/rds-extended-support-cost-estimator: "Extended Support for Amazon
# Aurora MySQL compatible engine is charged at Year 1 prices for the entire duration".
# Serverless v2 is charged per ACU-hour instead; no published figure was found, so it is not priced
# (the estimate says so) rather than guessed.
EXTENDED_SUPPORT_VCPU_HOUR_YEARS_1_2 = 0.100
EXTENDED_SUPPORT_VCPU_HOUR_YEAR_3 = 0.200
EXTENDED_SUPPORT_ACU_HOUR: float | None = None


@dataclass(frozen=True)
class MajorVersionSupport:
    """One row of AWS's release calendar for an Aurora MySQL major version."""

    name: str
    standard_support_ends: str
    extended_support_charged_from: str | None
    extended_support_year_3_from: str | None
    extended_support_ends: str | None


# Aurora MySQL Release Notes, "Release calendars for Aurora MySQL", "Release calendar for Aurora
# MySQL major versions", as read on 2026-12-03; None where AWS writes "To be determined" or "Not
# applicable". Offline, so a dated table: the live source is `aws rds
# describe-db-major-engine-versions --engine aurora-mysql` (SupportedEngineLifecycles) or
# `aws rds describe-db-engine-versions` / `aws.rds.get_engine_version`.
STANDARD_SUPPORT_AS_OF = "2026-12-03"
MAJOR_VERSION_SUPPORT = {
    "8.0": MajorVersionSupport("Aurora MySQL version 3", "2028-04-30", "2028-05-01", None, "2029-07-31"),
    "8.4": MajorVersionSupport("Aurora MySQL version 8.4", "April 2032", None, None, None),
}

EC2_HOURLY = {"t4g.micro": 0.0084, "t4g.small": 0.0168, "t3.micro": 0.0104}
EBS_GP3_GB_MONTH = 0.08
# Every public IPv4 address, an EC2 instance's automatic one included, since 1 February 2024
# (AWS News Blog, "New - AWS Public IPv4 Address Charge + Public IP Insights"): $3.65 a month for
# 730 h. An automatic address is released when its instance stops, so it is billed while it runs.
PUBLIC_IPV4_HOUR = 0.005
# RDS Proxy for provisioned instances: per vCPU-hour of the instances it serves, at least 2 vCPUs
# (Amazon RDS Proxy pricing page, us-east-1). (estimate) The figure is the one commonly quoted;
# neither this page nor a dated copy of it could be read when it was entered on 2026-11-27.
PROXY_VCPU_HOUR = 0.015
PROXY_MIN_VCPUS = 2
# Memory-optimized `large` classes have 2 vCPUs; vCPUs scale with size like prices (SIZE_MULTIPLIER).
LARGE_VCPUS = 2
# A customer managed key: $1 a month. With automatic (yearly) rotation, the first and the second
# rotation each add $1 a month; later rotations add nothing (AWS KMS pricing, since May 2024). The
# estimate prices the first year; the line says what the key costs from its third year.
KMS_KEY_MONTH = 1.00
KMS_ROTATION_MONTH = 1.00
KMS_CHARGED_ROTATIONS = 2
SECRET_MONTH = 0.40
ALARM_MONTH = 0.10
DASHBOARD_MONTH = 3.00

# Assumed use, per stack shape. Serverless: a working day of activity at half the maximum ACU,
# paused (or at the minimum) the rest of the time. A client host that stops when idle runs during
# the same busy hours, plus its idle delay once a working day before its alarm stops it.
WORKING_DAYS_PER_MONTH = 22
BUSY_HOURS_PER_MONTH = 8 * WORKING_DAYS_PER_MONTH
BUSY_FRACTION_OF_MAX_ACU = 0.5
STORAGE_GB = {"serverless": 1, "provisioned": 20}
IO_MILLIONS = {"serverless": 1, "provisioned": 50}
CLIENT_ROOT_VOLUME_GB = 8


def instance_vcpus(instance_class: str) -> int | None:
    """`db.r7g.xlarge` -> 4 vCPUs, or None when the table does not know the class."""
    parts = instance_class.split(".")
    if len(parts) != 3 or parts[1] not in INSTANCE_LARGE_HOURLY or parts[2] not in SIZE_MULTIPLIER:
        return None
    return LARGE_VCPUS * SIZE_MULTIPLIER[parts[2]]


def instance_hourly(instance_class: str) -> float | None:
    """`db.r7g.xlarge` -> its hourly price, or None when the table does not know it."""
    parts = instance_class.split(".")
    if len(parts) != 3 or parts[1] not in INSTANCE_LARGE_HOURLY or parts[2] not in SIZE_MULTIPLIER:
        return None
    return INSTANCE_LARGE_HOURLY[parts[1]] * SIZE_MULTIPLIER[parts[2]]
