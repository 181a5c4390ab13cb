"""The workshop mapping and the disaster-recovery page point at things that exist: every file they
name, every `ops` command they cite, and a row for each metric the dashboard and alarms use."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from components.observability import COMMON_ALARMS, PROVISIONED_ALARMS, SERVERLESS_ALARMS, dashboard_body
from ops.cli import build_parser
from plan.engine import PROJECT_ROOT

MAPPING = PROJECT_ROOT / "docs" / "workshop-mapping.md"
DISASTER_RECOVERY = PROJECT_ROOT / "docs" / "disaster-recovery.md"
PAGES = [MAPPING, DISASTER_RECOVERY]
CITED_PATH = re.compile(r"`((?:components|ops|sql|plan|tests)/[\w./*-]+)`")
CITED_COMMAND = re.compile(r"`(?:\.venv/bin/python -m )?ops ([a-z][a-z-]*)")


def ops_commands() -> set[str]:
    parser = build_parser()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subcommands.choices)


def workshop_metrics() -> set[str]:
    metrics = {
        metric[1]
        for serverless in (True, False)
        for widget in json.loads(dashboard_body("c", "us-east-1", serverless))["widgets"]
        for metric in widget["properties"]["metrics"]
    }
    return metrics | {rule.metric for rule in COMMON_ALARMS + SERVERLESS_ALARMS + PROVISIONED_ALARMS}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_file_the_page_names_exists(page):
    cited = CITED_PATH.findall(page.read_text())
    assert cited and [path for path in cited if not list(PROJECT_ROOT.glob(path))] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_ops_command_the_page_cites_is_one(page):
    cited = set(CITED_COMMAND.findall(page.read_text()))
    assert cited and cited - ops_commands() == set()


def test_the_mapping_has_a_row_for_each_dashboard_and_alarm_metric():
    rows = set(re.findall(r"^\| Metric `(\w+)` \|", MAPPING.read_text(), re.MULTILINE))
    assert workshop_metrics() - rows == set()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_lines_keep_to_100_columns_except_a_url_that_cannot_wrap(page):
    long = [n for n, line in enumerate(page.read_text().splitlines(), 1) if len(line) > 100 and "https://" not in line]
    assert long == []
