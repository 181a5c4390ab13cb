"""Aurora MySQL engine versions: the one parser the program, `ops` and the offline plan share.

Aurora MySQL 3 is `8.0.mysql_aurora.3.<minor>.<patch>` (MySQL 8.0 compatible), Aurora MySQL 8.4 is
`8.4.mysql_aurora.<version>`; each MySQL major has its own parameter group family
(`aurora-mysql8.0`, `aurora-mysql8.4`) and RDS never moves a cluster back to an earlier one
(botocore rds model: DescribeDBEngineVersions, ModifyDBCluster AllowMajorVersionUpgrade).
"""

from __future__ import annotations

import re

ENGINE = "aurora-mysql"
"""The RDS engine of every cluster of this program (CreateDBCluster Engine, DescribeDBClusters Engine)."""

AURORA_MYSQL_3 = re.compile(r"^8\.0\.mysql_aurora\.3\.(\d{2})\.(\d+)$")
"""The Aurora MySQL 3 form the settings accept: a two-digit minor (3.10.5)."""
AURORA_MYSQL_84 = re.compile(r"^8\.4\.mysql_aurora\.\d+\.\d+\.\d+$")
"""The Aurora MySQL 8.4 form the settings accept."""

FIRST_RELEASE_WITH_AUTO_PAUSE = (3, 8, 0)
"""Scaling to 0 ACU (auto-pause): the auto-pause page sends readers to the version table of "Aurora
Serverless v2 capacity" (Aurora User Guide): a minimum of 0 ACU from Aurora MySQL 3.08.0 on, and in
every Aurora MySQL 8.4 release (8.4 came after auto-pause)."""


def version_key(version: str) -> tuple[int, ...] | None:
    """`8.0.mysql_aurora.3.10.5` -> (8, 0, 3, 10, 5); `8.4.7` -> (8, 4, 7); None when not a version.
    Versions compare by these numbers, not as text (3.9.12 is before 3.10.5)."""
    parts = [part for part in version.split(".") if part != "mysql_aurora"]
    if not parts or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def engine_major(engine_version: str) -> str | None:
    """The MySQL major an engine version is compatible with: `8.0` for Aurora MySQL 3, `8.4` for
    Aurora MySQL 8.4; None when the text is not a version of at least three numbers."""
    key = version_key(engine_version)
    return f"{key[0]}.{key[1]}" if key is not None and len(key) > 2 else None


def aurora_mysql_3_release(engine_version: str) -> tuple[int, int, int] | None:
    """The Aurora MySQL 3 release of a version of the accepted form, (3, 10, 5) for
    `8.0.mysql_aurora.3.10.5`; None for 8.4 (newer than every 3.x) and for any other text."""
    match = AURORA_MYSQL_3.match(engine_version)
    return (3, int(match.group(1)), int(match.group(2))) if match else None


def is_aurora_mysql_84(engine_version: str) -> bool:
    return AURORA_MYSQL_84.match(engine_version) is not None


def parameter_group_family(engine_version: str) -> str:
    """The parameter group family of an accepted version: `aurora-mysql8.0` or `aurora-mysql8.4`."""
    return ENGINE + engine_version[:3]
