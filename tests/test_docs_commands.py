"""The first hour as the README tells it: every command runs in the project's environment
(`.venv/bin/python -m ...`, one way everywhere), the dev stack is created before it is deployed,
the uv to install is the one uv.lock pins, and the local `ops` recipe (docs/local-ops.md) works."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
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


# moto's server (`python -m moto.server`) imports Flask and Flask-CORS, which moto itself does not
# require; without them the recipe cannot run here.
MOTO_SERVER_MISSING = [name for name in ("flask", "flask_cors") if importlib.util.find_spec(name) is None]
SERVER_START_SECONDS = 15


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def moto_server():
    """moto's server on 127.0.0.1, as docs/local-ops.md starts it; the environment its recipe exports."""
    if MOTO_SERVER_MISSING:
        pytest.skip(f"moto's server needs {', '.join(MOTO_SERVER_MISSING)} (not in uv.lock)")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"moto's server did not start: {server.communicate()[1][-2000:]}")
            time.sleep(0.1)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    environment |= {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    yield environment
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def local_cluster(moto_server):
    """The recipe's cluster, made by running the page's own Python block against the server."""
    [create_cluster] = re.findall(r"^```python\n(.*?)^```", LOCAL_OPS.read_text(), re.MULTILINE | re.DOTALL)
    subprocess.run([sys.executable, "-c", create_cluster], env=moto_server, check=True, capture_output=True, timeout=60)
    return moto_server


def run_ops(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ops", *arguments], env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.subprocess
def test_ops_status_reads_the_local_cluster_through_aws_endpoint_url(local_cluster):
    completed = run_ops(local_cluster, "--cluster", "aurora-dev", "--json", "status")
    assert completed.returncode == 0, completed.stderr
    status = json.loads(completed.stdout)
    assert (status["cluster"], status["status"]) == ("aurora-dev", "available")
    assert status["engineVersion"] == "8.0.mysql_aurora.3.10.5"
    writer = ("writer", "aurora-dev-instance-1", "db.serverless")
    assert [(i["role"], i["instance"], i["class"]) for i in status["instances"]] == [writer]


@pytest.mark.subprocess
def test_ops_snapshot_of_the_local_cluster_waits_until_moto_reports_it(local_cluster):
    completed = run_ops(local_cluster, "--cluster", "aurora-dev", "--json", "--yes", "snapshot", "aurora-dev-local")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (result["snapshot"], result["cluster"]) == ("aurora-dev-local", "aurora-dev")
    assert result["arn"].endswith(":cluster-snapshot:aurora-dev-local")
