"""Loading a stack's raw `aurora:*` values in the config tests: the settings, or every refusal."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import ConfigError, load_settings
from components.config_models import StackConfig

SERVERLESS: dict[str, Any] = {"capacityType": "serverless", "serverless": {"minCapacity": 0, "maxCapacity": 4}}


def load(raw: dict[str, Any], region: str = "us-east-1") -> StackConfig:
    return load_settings(raw, "aurora", "dev", region)


def problems(raw: dict[str, Any], region: str = "us-east-1") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(raw, region)
    return caught.value.problems
