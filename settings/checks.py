"""The rules of single values: pure functions, no Pulumi, no AWS calls.

pydantic has checked a value's type by the time its rule runs (`values.checked`): a rule takes a
value of its field's type and returns what is allowed (the end of the one line `loading` writes:
`aurora:<key> is <value>: <what is allowed>`), or None when the value is fine. The few checks that
join settings (`check_windows_do_not_overlap`, ...) return a whole line for `rules`.
"""

from __future__ import annotations

import difflib
import enum
import ipaddress
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal, get_args

import botocore.loaders

from awsfacts.engine_versions import FIRST_RELEASE_WITH_AUTO_PAUSE, aurora_mysql_3_release, is_aurora_mysql_84
from awsfacts.identifiers import identifier_problem
from awsfacts.limits import MAX_BACKTRACK_HOURS

CapacityType = Literal["serverless", "provisioned"]
ClientKind = Literal["ssm", "none"]
DrMode = Literal["snapshot-copy", "global"]
CAPACITY_TYPES: tuple[str, ...] = get_args(CapacityType)
CLIENT_KINDS: tuple[str, ...] = get_args(ClientKind)
DR_MODES: tuple[str, ...] = get_args(DrMode)

# The closed sets a component arg takes (components/aurora_cluster.py) are declared once, as Enum
# classes: Pulumi's analyzer makes each an enum type of the package's schema, its members' names and
# docstrings the schema's (`pulumi package add` names them so in every SDK: InsightsMode.Standard in
# TypeScript, hence the PascalCase members), and the host hands the component the member. A `str`
# or `int` Enum member equals, hashes and formats as its value, so the settings model takes the same
# class as a field type (pydantic accepts the value) and the rules compare the values derived here.
# A Literal cannot be the one declaration: the analyzer refuses it, and no Enum can be built from it
# with member docstrings. The sets the package does not take stay Literals above.


def values_of(choices: type[enum.Enum]) -> tuple[Any, ...]:
    """The values of a closed set, in declaration order: what the rules and messages list."""
    return tuple(choice.value for choice in choices)


class InsightsMode(enum.StrEnum):
    """Database Insights mode of a cluster with Performance Insights (CreateDBCluster
    DatabaseInsightsMode, botocore rds model)."""

    Standard = "standard"
    """Standard: the program keeps 7 days of Performance Insights, the free tier."""
    Advanced = "advanced"
    """Advanced: needs 465 days of Performance Insights retention (CreateDBCluster DatabaseInsightsMode), charged."""


INSIGHTS_MODES: tuple[str, ...] = values_of(InsightsMode)


class CaCertificate(enum.StrEnum):
    """Certificate authority RDS signs an Aurora instance's server certificate with (Aurora User
    Guide, "Using SSL/TLS to encrypt a connection to a DB cluster", Certificate authorities); all three
    rotate the server certificate automatically. rds-ca-2019 expired in 2024 and is not offered."""

    RdsCaRsa2048G1 = "rds-ca-rsa2048-g1"
    """RSA 2048-bit key, SHA-256 signature: RDS's default for new instances."""
    RdsCaRsa4096G1 = "rds-ca-rsa4096-g1"
    """RSA 4096-bit key, SHA-384 signature."""
    RdsCaEcc384G1 = "rds-ca-ecc384-g1"
    """ECC 384-bit key, SHA-384 signature."""


CA_CERTIFICATES: tuple[str, ...] = values_of(CaCertificate)


class EngineLifecycleSupport(enum.StrEnum):
    """RDS Extended Support enrolment of a cluster, sent when it is created or restored
    (CreateDBCluster and RestoreDBClusterFromSnapshot EngineLifecycleSupport, botocore rds model;
    terraform-provider-aws rds/cluster.go `engine_lifecycle_support`
    StringInSlice(engineLifecycleSupport_Values()))."""

    OpenSourceRdsExtendedSupport = "open-source-rds-extended-support"
    """Enrolled, AWS's default: past the end of standard support the engine stays, charged per vCPU- or ACU-hour."""
    OpenSourceRdsExtendedSupportDisabled = "open-source-rds-extended-support-disabled"
    """Not enrolled: past the end of standard support AWS upgrades the major version itself."""


ENGINE_LIFECYCLE_SUPPORTS: tuple[str, ...] = values_of(EngineLifecycleSupport)
EXTENDED_SUPPORT_ENABLED = EngineLifecycleSupport.OpenSourceRdsExtendedSupport
EXTENDED_SUPPORT_DISABLED = EngineLifecycleSupport.OpenSourceRdsExtendedSupportDisabled


class StorageType(enum.StrEnum):
    """Aurora storage configuration of a cluster (CreateDBCluster StorageType, "Aurora DB clusters -
    aurora | aurora-iopt1", botocore rds model), changed in place."""

    Aurora = "aurora"
    """Aurora Standard, the default: I/O billed per request."""
    AuroraIopt1 = "aurora-iopt1"
    """Aurora I/O-Optimized: no I/O charge, dearer instances and storage; AWS allows a switch to it once every 30 days."""


STORAGE_TYPES: tuple[str, ...] = values_of(StorageType)

# Aurora MySQL log types CloudWatch can receive (RDS API, EnableCloudwatchLogsExports). Not an Enum:
# the package's host (pulumi 3.272, provider/experimental/component.py `map_input_properties`) maps
# each item of a list of a named type as an object, so a list of enum members would reach the
# component as a list of empty dicts; `logExports` stays a list of strings its rule judges.
LOG_EXPORT_TYPES = ("audit", "error", "general", "slowquery", "instance", "iam-db-auth-error")


class MonitoringInterval(enum.IntEnum):
    """Enhanced Monitoring interval of a cluster's instances, in seconds (CreateDBCluster MonitoringInterval,
    "Valid Values: 0 | 1 | 5 | 10 | 15 | 30 | 60", botocore rds model)."""

    Off = 0
    """No Enhanced Monitoring."""
    Every1Second = 1
    """Every second."""
    Every5Seconds = 5
    """Every 5 seconds."""
    Every10Seconds = 10
    """Every 10 seconds."""
    Every15Seconds = 15
    """Every 15 seconds."""
    Every30Seconds = 30
    """Every 30 seconds."""
    Every60Seconds = 60
    """Every minute."""


MONITORING_INTERVALS: tuple[int, ...] = values_of(MonitoringInterval)

# CloudWatch Logs PutRetentionPolicy accepted values.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# Instance families that run Aurora MySQL 3; db.t* classes are excluded because the Data API
# does not support them (aws-facts: "not on db.t* classes").
PROVISIONED_CLASS_FAMILIES = ("r5", "r6g", "r6i", "r7g", "r7i", "r8g", "x2g")
INSTANCE_SIZES = (
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
    "32xlarge",
    "48xlarge",
)

MAX_ACU = 256
MIN_PAUSE_SECONDS, MAX_PAUSE_SECONDS = 300, 86400
MAX_READERS = 15  # An Aurora cluster has at most 15 readers.
# EC2 basic monitoring publishes CPUUtilization every 5 minutes, so the idle alarm's period is 300 s.
# PutMetricAlarm (botocore cloudwatch model, `Period`): for periods under an hour, Period x
# EvaluationPeriods may not exceed one day (86,400 s): at most 288 periods, 1440 minutes.
IDLE_STOP_STEP_MINUTES = 5
MAX_IDLE_STOP_MINUTES = 24 * 60
# `master_password_wo_version` is a TypeInt in the provider; any positive count of rotations fits.
MAX_PASSWORD_VERSION = 1_000_000


# The regions of each AWS partition, from botocore's partitions data (`botocore/data/partitions.json`),
# offline, from the locked botocore; the partitions' `*-global` names are not regions. Not the RDS
# endpoints list (`endpoints.json`, `Session.get_available_regions("rds", ...)`): botocore resolves
# endpoints by rule sets now and that list lags, so it misses regions the partitions data has
# (me-west-1, sa-west-1 in botocore 1.44.8). An unknown name is almost always a typo, and a stack or
# a DR plan in it would fail only when AWS is first called.
# Read once at import, as data.
REGIONS_BY_PARTITION = {
    partition["id"]: tuple(region for region in partition["regions"] if not region.endswith("-global"))
    for partition in botocore.loaders.create_loader().load_data("partitions")["partitions"]
}
PARTITION_OF_REGION = {region: partition for partition, regions in REGIONS_BY_PARTITION.items() for region in regions}
AWS_REGIONS = tuple(PARTITION_OF_REGION)

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = 24 * 60  # minutes
_WEEK = 7 * _DAY
_CLOCK = r"([01]\d|2[0-3]):([0-5]\d)"
_BACKUP_WINDOW = re.compile(rf"^{_CLOCK}-{_CLOCK}$")
_MAINTENANCE_WINDOW = re.compile(rf"^({'|'.join(_DAYS)}):{_CLOCK}-({'|'.join(_DAYS)}):{_CLOCK}$")
MAX_IDENTIFIER_LENGTH = 63
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MYSQL_USER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
_RESERVED_USERS = ("rdsadmin", "rdsrepladmin", "root", "mysql.sys", "mysql.session")
_RESERVED_TAG_PREFIXES = ("aws:", "rds:")
_STACK_REF = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def setting(name: str) -> str:
    """The user-facing name of a setting, as typed after `pulumi config set`."""
    return f"aurora:{name}"


def show(value: Any) -> str:
    """A value as written: a closed set's member (an arg from the package's host) as its value."""
    return repr(value.value if isinstance(value, enum.Enum) else value)


def allowed_values(allowed: Iterable[Any]) -> str:
    return f"allowed values are {', '.join(map(str, allowed))}"


def one_of(allowed: Sequence[Any]) -> Callable[[Any], str | None]:
    """A choice of whole numbers (a Literal would take true for 1)."""
    return lambda value: None if value in allowed else allowed_values(allowed)


SERVERLESS_V1_END = (
    "Aurora Serverless v1 reached end of life in March 2025 (creation blocked since January 2025) and AWS no longer creates it; use "
    "capacityType serverless (Aurora Serverless v2: serverless.minCapacity 0 pauses when idle) with an "
    "Aurora MySQL 3 engineVersion such as 8.0.mysql_aurora.3.10.5"
)
# Keys of the Serverless v1 API (engine_mode, scaling_configuration) that a v1 configuration brings.
SERVERLESS_V1_KEYS = ("engineMode", "engine_mode", "scalingConfiguration", "scaling_configuration")


def is_serverless_v1_capacity(value: Any) -> bool:
    """`serverless-v1` and its spellings: what a workshop-era configuration calls v1."""
    return isinstance(value, str) and re.fullmatch(r"serverless[-_ ]?v1|v1", value.lower()) is not None


def is_aurora_mysql_1(value: Any) -> bool:
    """An Aurora MySQL 1 (MySQL 5.6) version, the only engine of Serverless v1 in the workshop."""
    return isinstance(value, str) and (value.startswith("5.6") or ".mysql_aurora.1." in value)


def check_region(value: str) -> str | None:
    if value in AWS_REGIONS:
        return None
    return f"expected an AWS region, such as us-west-2{_close_region(value)}"


def _close_region(value: str) -> str:
    close = difflib.get_close_matches(value, AWS_REGIONS, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def check_stack_region(region: str) -> str | None:
    """The stack's `aws:region` (the provider's key, not an `aurora:` setting): set, and a region of
    an AWS partition. Without it the provider would fall back to the environment, so the plan, the
    names and the prices could describe another region than the one `pulumi up` creates in."""
    if not region:
        return "aws:region is not set: the stack needs its AWS region; set it with `pulumi config set aws:region us-east-1`"
    if region in AWS_REGIONS:
        return None
    return (
        f"aws:region is {show(region)}: not an AWS region (botocore's partitions data); "
        f"expected one such as us-east-1 or eu-west-1{_close_region(region)}"
    )


def check_idle_stop_minutes(value: int) -> str | None:
    """0 (never stop) or whole minutes the idle alarm can evaluate: steps of 5, at most one day."""
    if value == 0 or (value % IDLE_STOP_STEP_MINUTES == 0 and 0 < value <= MAX_IDLE_STOP_MINUTES):
        return None
    return (
        f"allowed values are 0 (never stop) or {IDLE_STOP_STEP_MINUTES} to "
        f"{MAX_IDLE_STOP_MINUTES} minutes in steps of {IDLE_STOP_STEP_MINUTES} (EC2 reports CPU every 5 minutes; "
        "a CloudWatch alarm evaluates at most one day)"
    )


def check_identifier(value: str) -> str | None:
    """RDS identifier characters: lower-case letters, digits, hyphens; starts with a letter; no
    trailing hyphen and no two hyphens in a row. The length is not measured here: the names derived
    from the cluster name bind before RDS's 63 (`rules` rule `cluster-name-fits` gives the
    one limit that applies to the stack)."""
    if identifier_problem(value, max_length=len(value) or 1, lower_case=True) is None:
        return None
    return (
        "an RDS identifier has lower-case letters, digits or hyphens, starts with a letter, and has no trailing or double hyphen"
    )


def check_engine_version(value: str) -> str | None:
    """Aurora MySQL 3 (MySQL 8.0) or 8.4; the workshop's 5.6 and Serverless v1 are gone."""
    use_instead = "use an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.10.5 (LTS) or Aurora MySQL 8.4"
    if is_aurora_mysql_1(value):
        return (
            "Aurora MySQL 1 (MySQL 5.6) and Aurora Serverless v1 "
            f"reached end of life in 2025 and AWS no longer creates them; {use_instead}"
        )
    if value.startswith("5.7") or ".mysql_aurora.2." in value:
        return f"Aurora MySQL 2 (MySQL 5.7) is out of standard support; {use_instead}"
    if aurora_mysql_3_release(value) is not None or is_aurora_mysql_84(value):
        return None
    return f"expected 8.0.mysql_aurora.3.<minor>.<patch> or 8.4.mysql_aurora.<version>; {use_instead}"


def check_engine_supports_auto_pause(engine_version: str) -> str | None:
    """Scaling to 0 ACU needs Aurora MySQL 3.08 or later (aws-facts: scale to zero)."""
    release = aurora_mysql_3_release(engine_version)
    if release is not None and release < FIRST_RELEASE_WITH_AUTO_PAUSE:
        return (
            f"{setting('serverless.minCapacity')} is 0 but {setting('engineVersion')} is "
            f"{show(engine_version)}: pausing at 0 ACU needs Aurora MySQL 3.08 or later; "
            "raise engineVersion or set minCapacity to 0.5 or more"
        )
    return None


def capacity(low: float) -> Callable[[float], str | None]:
    """ACU from `low` to 256 in steps of 0.5."""
    return lambda value: (
        None
        if low <= value <= MAX_ACU and float(value * 2).is_integer()
        else f"allowed values are {low:g} to {MAX_ACU} ACU in steps of 0.5"
    )


def check_backup_window(value: str) -> str | None:
    if _BACKUP_WINDOW.match(value):
        start, end = daily_interval(value)
        if end - start >= 30:
            return None
    return "expected hh:mm-hh:mm in UTC, at least 30 minutes long"


def check_maintenance_window(value: str) -> str | None:
    if _MAINTENANCE_WINDOW.match(value.lower()):
        start, end = maintenance_interval(value)
        if (end - start) % _WEEK >= 30:
            return None
    return "expected ddd:hh:mm-ddd:hh:mm in UTC (days mon..sun), at least 30 minutes long"


def _minutes(hour: str, minute: str) -> int:
    return int(hour) * 60 + int(minute)


def maintenance_interval(window: str) -> tuple[int, int]:
    """Start and end of a valid maintenance window in minutes since Monday 00:00 UTC."""
    match = _MAINTENANCE_WINDOW.match(window.lower())
    assert match, window
    start = _DAYS.index(match.group(1)) * _DAY + _minutes(match.group(2), match.group(3))
    end = _DAYS.index(match.group(4)) * _DAY + _minutes(match.group(5), match.group(6))
    return start, end


def daily_interval(window: str) -> tuple[int, int]:
    """Start and end of a valid backup window in minutes since 00:00 UTC; the end may pass midnight."""
    match = _BACKUP_WINDOW.match(window)
    assert match, window
    start, end = _minutes(match.group(1), match.group(2)), _minutes(match.group(3), match.group(4))
    return start, end if end > start else end + _DAY


def daily_overlaps_weekly(daily: tuple[int, int], weekly: tuple[int, int]) -> bool:
    """Whether a daily interval (minutes since 00:00, end may pass midnight) meets a weekly one
    (minutes since Monday 00:00) on any day of the week."""
    weekly_start, weekly_end = weekly
    if weekly_end <= weekly_start:
        weekly_end += _WEEK
    for day in range(7):
        start, end = day * _DAY + daily[0], day * _DAY + daily[1]
        # The week is a circle: compare against the weekly interval a week earlier and later too.
        for shift in (-_WEEK, 0, _WEEK):
            if start < weekly_end + shift and weekly_start + shift < end:
                return True
    return False


def daily_overlaps_daily(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return any(first[0] < second[1] + shift and second[0] + shift < first[1] for shift in (-_DAY, 0, _DAY))


def check_windows_do_not_overlap(backup_window: str, maintenance_window: str) -> str | None:
    """RDS refuses a daily backup window that overlaps the weekly maintenance window."""
    if daily_overlaps_weekly(daily_interval(backup_window), maintenance_interval(maintenance_window)):
        return (
            f"{setting('backupWindow')} {show(backup_window)} overlaps "
            f"{setting('maintenanceWindow')} {show(maintenance_window)}: RDS requires "
            "them to be disjoint; move one of them"
        )
    return None


def check_vpc_id(value: str) -> str | None:
    if value == "default" or re.match(r"^vpc-[0-9a-f]{8,17}$", value):
        return None
    return "allowed values are `default` or a VPC id (vpc-...)"


def _aws_id(prefix: str) -> re.Pattern[str]:
    """An EC2 id of one kind: `subnet-`, `sg-`, then 8 or 17 hex digits."""
    return re.compile(rf"^{prefix}-[0-9a-f]{{8,17}}$")


def distinct_ids(prefix: str) -> Callable[[Sequence[str]], str | None]:
    """A list of distinct AWS ids of one kind (`subnet`, `sg`)."""
    pattern = _aws_id(prefix)

    def check(values: Sequence[str]) -> str | None:
        if all(pattern.match(value) for value in values) and len(set(values)) == len(values):
            return None
        return f"expected a list of distinct {prefix}-... ids"

    return check


def check_private_cidr(value: str) -> str | None:
    """Only private IPv4 ranges may reach the database; world-open and public ranges are refused."""
    try:
        network = ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        return "expected an IPv4 CIDR such as 10.0.0.0/16"
    if network.prefixlen == 0:
        return "world-open ranges are never admitted to the database"
    private_ranges = [ipaddress.IPv4Network(r) for r in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]
    if not any(network.subnet_of(private) for private in private_ranges):
        return (
            "only private ranges (10.0.0.0/8, 172.16.0.0/12, "
            "192.168.0.0/16, 100.64.0.0/10) are admitted; reach the database through the client "
            "host or a VPN instead"
        )
    return None


# RDS API Tag (botocore `rds` model): keys 1-128 and values 0-256 characters, neither prefixed aws: or rds:.
def check_tag_key(key: str) -> str | None:
    if 1 <= len(key) <= 128 and not key.lower().startswith(_RESERVED_TAG_PREFIXES):
        return None
    return "tag keys have 1 to 128 characters and may not start with aws: or rds:"


def check_tag_value(value: str) -> str | None:
    if len(value) <= 256 and not value.lower().startswith(_RESERVED_TAG_PREFIXES):
        return None
    return "tag values are strings of at most 256 characters, not starting with aws: or rds:"


def check_log_exports(values: Sequence[str]) -> str | None:
    return distinct_choices(LOG_EXPORT_TYPES)(values)


def check_instance_class(value: str) -> str | None:
    """A class Aurora MySQL 3 runs on and the Data API supports (no db.t*, no db.serverless)."""
    if not value.startswith("db."):
        return "instance classes start with `db.`, for example db.r7g.large"
    parts = value.split(".")
    if len(parts) == 3 and parts[1].startswith("t"):
        return (
            "db.t* classes do not support the Data API and are "
            "not meant for production; use db.r7g.large or another memory-optimized class"
        )
    if len(parts) == 3 and parts[1] in PROVISIONED_CLASS_FAMILIES and parts[2] in INSTANCE_SIZES:
        return None
    return (
        "Aurora MySQL 3 runs on db.<family>.<size> with family "
        f"one of {', '.join(PROVISIONED_CLASS_FAMILIES)} (for example db.r7g.large)"
    )


def check_backtrack_hours(value: float) -> str | None:
    # RDS takes the window in whole seconds.
    if 0 <= value <= MAX_BACKTRACK_HOURS and float(value * 3600).is_integer():
        return None
    return f"allowed values are 0 (off) to {MAX_BACKTRACK_HOURS} hours"


def check_email(value: str) -> str | None:
    return None if _EMAIL.match(value) else "expected an e-mail address"


def check_mysql_user(value: str) -> str | None:
    if _MYSQL_USER.match(value) and value.lower() not in _RESERVED_USERS:
        return None
    return (
        "a user name has 1 to 16 letters, digits or underscores, "
        f"starts with a letter, and is not one of {', '.join(_RESERVED_USERS)}"
    )


def check_endpoint(value: str) -> str | None:
    if re.match(r"^[A-Za-z0-9.-]+:\d{1,5}$", value) and 0 < int(value.rsplit(":", 1)[1]) < 65536:
        return None
    return "expected host:port, for example 127.0.0.1:3307"


def check_stack_reference(value: str) -> str | None:
    if _STACK_REF.match(value):
        return None
    return "expected organization/project/stack, for example organization/aurora/dev"


def check_snapshot_identifier(value: str) -> str | None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9-]{0,254}$", value) or value.startswith("arn:aws"):
        return None
    return "expected a cluster snapshot identifier or ARN"


# A key ARN: arn:<partition>:kms:<region>:<account>:key/<key id>, the key id a UUID or a
# multi-Region key id (mrk- and 32 hex digits). Source: AWS KMS Developer Guide, "Key identifiers".
_KMS_KEY_ID = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$")
_KMS_KEY_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:kms:(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:key/(?P<id>[^/]+)$")
KMS_KEY_ARN_FORM = "arn:<partition>:kms:<region>:<12-digit account>:key/<key id, a UUID or mrk-<32 hex>>"
# RDS stores and reads back the key ARN, and kms_key_id is ForceNew on aws_rds_cluster
# (terraform-provider-aws rds/cluster.go; provider issues #1477, #38780): anything else sent
# plans a replacement of the cluster on every later preview.
_KMS_WHY = (
    "because RDS reads back the key ARN and kms_key_id forces replacement of the cluster (anything else "
    "plans a replacement on every later preview); find it with "
    "`aws kms describe-key --key-id <alias> --query KeyMetadata.Arn`"
)


def kms_key_region(key_arn: str) -> str | None:
    """The region of a key ARN check_kms_key accepts; None for anything else."""
    match = _KMS_KEY_ARN.match(key_arn)
    return match.group("region") if match and _KMS_KEY_ID.match(match.group("id")) else None


def check_kms_key(value: str) -> str | None:
    """A full key ARN only: not an alias ARN, alias/..., or a bare key id."""
    if kms_key_region(value) is not None:
        return None
    kind = ""
    if value.startswith("alias/") or re.match(r"^arn:[^:]*:kms:[^:]*:[^:]*:alias/", value):
        kind = "an alias; "
    elif _KMS_KEY_ID.match(value):
        kind = "a bare key id; "
    return f"{kind}expected a KMS key ARN {KMS_KEY_ARN_FORM}, {_KMS_WHY}"


def check_kms_key_region(name: str, key_arn: str, region: str) -> str | None:
    """RDS encrypts a cluster only with a key of the cluster's own region."""
    key_region = kms_key_region(key_arn)
    if not region or key_region is None or key_region == region:
        return None
    return (
        f"{setting(name)} is {show(key_arn)}, a key in {key_region}: the stack's aws:region is {region}, and RDS "
        f"encrypts a cluster only with a key of the cluster's own region; use the ARN of a key in {region}"
    )


def subnet_id(value: str) -> str | None:
    return None if _aws_id("subnet").match(value) else "expected a subnet id (subnet-...)"


# The in-place changes the first `up` makes to an adopted cluster, each accepted by name in
# `adopt.acceptChanges` (settings/adoption.py says what each does).
ADOPTION_CHANGES = (
    "masterPasswordToSecretsManager",
    "securityGroups",
    "iamAuthentication",
    "parameterGroup",
    "instanceSettings",
    "logExports",
    "insightsAndMonitoring",
    "tags",
)

_AVAILABILITY_ZONE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$")
# terraform-provider-aws internal/service/rds/validate.go `validSubnetGroupName`: lower-case letters,
# digits, spaces, periods, underscores and hyphens, at most 255, and never `default` (RDS's own group of
# EC2-Classic accounts, which no one may name).
_SUBNET_GROUP_NAME = re.compile(r"^[0-9a-z_ .-]{1,255}$")


def check_availability_zone(value: str) -> str | None:
    return None if _AVAILABILITY_ZONE.match(value) else "expected an Availability Zone name such as us-east-1a"


def check_subnet_group_name(value: str) -> str | None:
    if _SUBNET_GROUP_NAME.match(value) and value.lower() != "default":
        return None
    return (
        "the AWS provider imports a DB subnet group named with 1 to 255 lower-case letters, digits, spaces, periods, "
        "underscores or hyphens, and not `default` (terraform-provider-aws rds validSubnetGroupName): move the cluster "
        "to a subnet group of its own first"
    )


def distinct_choices(allowed: Sequence[str]) -> Callable[[Sequence[str]], str | None]:
    """A list of distinct names from `allowed` (a Literal item would name the whole list's type)."""

    def check(values: Sequence[str]) -> str | None:
        if all(value in allowed for value in values) and len(set(values)) == len(values):
            return None
        return f"expected distinct values from {', '.join(allowed)}"

    return check


def check_distinct(values: Sequence[str]) -> str | None:
    return None if len(set(values)) == len(values) else "expected distinct values"


def check_not_empty(values: Sequence[Any]) -> str | None:
    return None if values else "expected at least one item"
