"""The first hour as the README tells it: every command runs in the project's environment
(`.venv/bin/python -m ...`, one way everywhere), the dev stack is created before it is deployed,
the uv to install is the one uv.lock pins, and the local `ops` recipe (docs/local-ops.md) works."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from plan.engine import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
PAGES = [README, *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
LOCAL_OPS = PROJECT_ROOT / "docs" / "local-ops.md"
# The project's packages and the tools from its lock that the pages run as modules: a bare
# `python` has none of them (a new user's `python -m ops` fails on `No module named 'pymysql'`).
PROJECT_MODULES = {"ops", "plan", "components", "policy", "pytest", "moto"}
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`]+)`")
# A `python` not preceded by a path (`.venv/bin/python`) or part of a longer name.
BARE_MODULE_RUN = re.compile(r"(?<![\w./-])python3?\s+-m\s+([\w.]+)")


def bare_module_runs(path: Path) -> list[str]:
    """`file:line: python -m module` for each bare run of a project module in the page's code
    (fenced blocks and inline code, which may wrap over lines)."""
    text = path.read_text()
    code: list[tuple[int, str]] = []  # (offset in text, code)
    prose = list(text)
    for fence in FENCE.finditer(text):
        code.append((fence.start(1), fence.group(1)))
        prose[fence.start() : fence.end()] = [c if c == "\n" else " " for c in fence.group(0)]
    code += [(span.start(1), span.group(1)) for span in INLINE.finditer("".join(prose))]
    found = []
    for offset, snippet in code:
        for run in BARE_MODULE_RUN.finditer(snippet):
            if run.group(1).split(".")[0] in PROJECT_MODULES:
                line = text.count("\n", 0, offset + run.start()) + 1
                found.append(f"{path.name}:{line}: {' '.join(run.group(0).split())}")
    return sorted(found, key=lambda entry: int(entry.split(":")[1]))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_command_runs_the_projects_modules_from_its_virtualenv(path):
    found = bare_module_runs(path)
    assert found == [], "use .venv/bin/python -m ...:\n" + "\n".join(found)


def test_the_command_check_finds_bare_runs_in_fences_and_inline_code_and_names_the_line(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "`python -m plan` prints, `.venv/bin/python -m plan` too, (`python -m ops\n"
        "client start`) wraps.\n\n"
        "```sh\n"
        "python3 -m pip install uv==0.13.9\n"
        "MYSQL_PWD=x python3 -m ops seed\n"
        ".venv/bin/python -m pytest\n"
        "uv run python -m pytest tests\n"
        "```\n\n"
        "Prose python -m ops is not code; `mypython -m ops` is another program.\n"
    )
    assert bare_module_runs(page) == [
        "page.md:3: python -m plan",
        "page.md:3: python -m ops",
        "page.md:8: python3 -m ops",
        "page.md:10: python -m pytest",
    ]


def test_the_readme_creates_the_dev_stack_before_its_first_deploy():
    text = README.read_text()
    assert text.index("pulumi stack init dev") < text.index("```sh\npulumi up -s dev\n```")


def test_the_readme_installs_the_uv_version_uv_lock_pins_into_a_directory_of_its_own():
    """`--target` is what passes PEP 668 on Debian's and Ubuntu's own Python: pip skips its
    externally-managed check for `--root`, `--target` and `--prefix` (pip's `commands/install.py`,
    `installing_into_current_environment`); a plain `pip install` there stops with
    `externally-managed-environment`. `.ci/run` installs uv the same way."""
    locked = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text())["package"]
    [uv_version] = [package["version"] for package in locked if package["name"] == "uv"]
    text = README.read_text()
    assert re.findall(r"uv==([\w.]+)", text) == [uv_version, uv_version]
    target = f"~/.local/share/uv-{uv_version}"
    assert f"python3 -m pip install --target {target} uv=={uv_version}\n" in text
    assert f'export PATH="$HOME/.local/share/uv-{uv_version}/bin:$PATH"' in text


def test_the_teardown_page_switches_prod_protection_off_before_destroying_it():
    text = (PROJECT_ROOT / "docs" / "teardown.md").read_text()
    steps = [
        "pulumi config set aurora:deletionProtection false -s prod && pulumi up -s prod",
        "pulumi state unprotect --all -s prod",
        "pulumi destroy -s prod",
    ]
    assert [text.index(step) for step in steps] == sorted(text.index(step) for step in steps)


# The recipe's steps, found in the page itself, so that the page is what runs.
SERVER_START = re.compile(r"^\.venv/bin/python (tests/ops/local_aws\.py) --port (\d+) &$", re.MULTILINE)
EXPORT = re.compile(r"^export (AWS_ENDPOINT_URL=.*)$", re.MULTILINE)
OPS_COMMAND = re.compile(r"^\.venv/bin/python -m ops (.*)$", re.MULTILINE)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def recipe_blocks() -> list[str]:
    """The page's `sh` blocks of the moto part, in order."""
    moto_part = LOCAL_OPS.read_text().split("## `seed --host`")[0]
    return [block.group(0) for block in re.finditer(r"^```sh\n.*?^```$", moto_part, re.MULTILINE | re.DOTALL)]


def test_the_recipe_starts_the_helper_the_repository_has():
    [start] = SERVER_START.findall(recipe_blocks()[0])
    assert (PROJECT_ROOT / start[0]).is_file()


@pytest.fixture(scope="module")
def local_cluster():
    """The page's server, started with its command (on a free port), and the environment its
    `export` line sets (with that port)."""
    setup = recipe_blocks()[0]
    [(helper, documented_port)] = SERVER_START.findall(setup)
    port = str(_free_port())
    server = subprocess.Popen(
        [sys.executable, helper, "--port", port], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ready = server.stdout.readline() if server.stdout else ""  # printed once the cluster exists
    if "Data API on" not in ready:
        server.kill()
        pytest.fail(f"the local server did not start: {ready}{server.communicate()[1][-2000:]}")
    [exported] = EXPORT.findall(setup)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment |= dict(pair.split("=", 1) for pair in exported.replace(documented_port, port).split())
    yield environment
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def run_ops(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ops", *arguments], env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.subprocess
def test_every_ops_command_of_the_recipe_succeeds_in_order(local_cluster):
    for command in OPS_COMMAND.findall(recipe_blocks()[1]):
        completed = run_ops(local_cluster, *shlex.split(command))
        assert completed.returncode == 0, f"ops {command}: {completed.stderr}"
        if command.endswith('sql "SELECT 1"'):
            assert completed.stdout == "0 row(s) affected\n"


@pytest.mark.subprocess
def test_ops_status_reads_the_local_cluster_through_aws_endpoint_url(local_cluster):
    completed = run_ops(local_cluster, "--cluster", "aurora-dev", "--json", "status")
    assert completed.returncode == 0, completed.stderr
    status = json.loads(completed.stdout)
    assert (status["cluster"], status["status"]) == ("aurora-dev", "available")
    assert status["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    assert status["serverlessCapacity"] == "0-4 ACU"
    writer = ("writer", "aurora-dev-instance-1", "db.serverless")
    assert [(i["role"], i["instance"], i["class"]) for i in status["instances"]] == [writer]


@pytest.mark.subprocess
def test_the_local_cluster_has_the_data_api_on_as_pause_check_reads_it(local_cluster):
    completed = run_ops(local_cluster, "--cluster", "aurora-dev", "--json", "pause-check", "--sessions", "always")
    assert completed.returncode == 0, completed.stderr
    assert "Data API is off" not in completed.stdout
    assert json.loads(completed.stdout)["sessions"].startswith("none")


@pytest.mark.subprocess
def test_ops_snapshot_of_the_local_cluster_waits_until_moto_reports_it(local_cluster):
    completed = run_ops(local_cluster, "--cluster", "aurora-dev", "--json", "--yes", "snapshot", "aurora-dev-local")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (result["snapshot"], result["cluster"]) == ("aurora-dev-local", "aurora-dev")
    assert result["arn"].endswith(":cluster-snapshot:aurora-dev-local")


@pytest.mark.subprocess
def test_the_pages_refusal_on_a_cluster_without_the_data_api_is_what_ops_prints(local_cluster):
    [shown] = re.findall(r"^```text\n\$ \.venv/bin/python -m ops (.*?)\n(.*?)\n```$", LOCAL_OPS.read_text(), re.M | re.S)
    command, printed = shown
    clone = shlex.split(command)[1]
    made = run_ops(local_cluster, "--cluster", "aurora-dev", "--yes", "clone", clone)
    assert made.returncode == 0 or "already exists" in made.stderr, made.stderr
    completed = run_ops(local_cluster, *shlex.split(command))
    assert (completed.returncode, completed.stdout, completed.stderr) == (1, "", printed + "\n")
