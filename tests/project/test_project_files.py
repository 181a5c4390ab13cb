"""The project's Pulumi files as Pulumi reads them: a strict YAML parse (the CLI's Go parser refuses
what PyYAML's default loader forgives), then the Pulumi SDK's own `pulumi.automation` types, then the
program's own configuration loader for the `aurora:` keys of every stack file.

Sources: the CLI's project schema (pulumi/pulumi sdk/go/common/workspace/project.json: `name` and
`runtime` required, `description` a string); the Python language host's runtime options
(pulumi/pulumi sdk/python/cmd/pulumi-language-python: `toolchain` pip|poetry|uv, `virtualenv`,
`typechecker`); its uv toolchain (pulumi/pulumi sdk/python/toolchain/uv.go); the installed SDK's
`pulumi/automation/_project_settings.py` and `_stack_settings.py`; uv itself (`python -m uv`, the
version uv.lock pins) for what uv.lock says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import botocore.session
import pulumi
import pytest
import yaml
from pulumi.automation import ProjectRuntimeInfo, ProjectSettings, StackSettings
from pulumi.automation._local_workspace import _load_project_settings

from plan.engine import PROJECT_ROOT, _as_config_values, load_yaml, project_name, run_program
from settings.loading import ConfigError, load_settings, read_stack_config

STACK_FILES = sorted(PROJECT_ROOT.glob("Pulumi.*.yaml"))
# Ready stack files for other shapes, copied to Pulumi.<stack>.yaml by users: held to the same checks.
EXAMPLE_STACK_FILES = sorted((PROJECT_ROOT / "examples").glob("Pulumi.*.yaml"))
# The CLI's project schema: "alphanumeric characters, hyphens, underscores, and periods".
PROJECT_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
# The runtimes Pulumi ships a language host for.
KNOWN_RUNTIMES = {"nodejs", "python", "go", "dotnet", "java", "yaml"}
PYTHON_RUNTIME_OPTIONS = {"toolchain", "virtualenv", "typechecker"}
PYTHON_TOOLCHAINS = {"pip", "poetry", "uv"}
# The namespaces the program and its provider read: `pulumi.Config("aurora")` and the AWS provider.
CONFIG_NAMESPACES = {"aws", "aurora"}
PREPARE_ACTION = PROJECT_ROOT / ".github" / "actions" / "prepare-pulumi" / "action.yml"
CI_SCRIPT = PROJECT_ROOT / ".ci" / "run"
# The only index uv.lock may name: every machine, CI's and a user's, installs the same files.
PYPI = "https://pypi.org/simple"
PYPI_FILES = "https://files.pythonhosted.org/"
# What the policy pack's virtualenv installs: exported from uv.lock, never edited by hand.
POLICY_REQUIREMENTS = PROJECT_ROOT / "policy" / "requirements.txt"
POLICY_EXPORT = ["export", "--frozen", "--only-group", "policy", "--no-header"]


def project_document() -> dict:
    return load_yaml(PROJECT_ROOT / "Pulumi.yaml")


def pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def uv_lock() -> dict:
    return tomllib.loads((PROJECT_ROOT / "uv.lock").read_text())


def uv(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    """The uv that uv.lock pins (the `dev` group installs it into this virtualenv), offline."""
    return subprocess.run([sys.executable, "-m", "uv", *args, "--offline"], cwd=cwd, capture_output=True, text=True)


def stack_name(path: Path) -> str:
    return path.name[len("Pulumi.") : -len(".yaml")]


def repository_yaml_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.yml", "*.yaml"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [PROJECT_ROOT / name for name in listed if (PROJECT_ROOT / name).exists()]


def test_the_strict_parser_refuses_a_plain_scalar_holding_a_colon_and_space(tmp_path):
    broken = tmp_path / "Pulumi.yaml"
    broken.write_text("name: aurora\ndescription: The workshop as code: a dev cluster\nruntime: python\n")
    with pytest.raises(yaml.YAMLError, match="mapping values are not allowed"):
        load_yaml(broken)


def test_the_strict_parser_refuses_a_key_given_twice(tmp_path):
    duplicated = tmp_path / "Pulumi.dev.yaml"
    duplicated.write_text("config:\n  aws:region: us-east-1\n  aws:region: eu-west-1\n")
    with pytest.raises(yaml.YAMLError, match="duplicate key 'aws:region'"):
        load_yaml(duplicated)


@pytest.mark.subprocess
def test_every_yaml_file_in_the_repository_parses_strictly():
    files = repository_yaml_files()
    names = {str(path.relative_to(PROJECT_ROOT)) for path in files}
    assert {"Pulumi.yaml", "Pulumi.dev.yaml", "policy/PulumiPolicy.yaml", ".github/workflows/deploy.yml"} <= names
    assert {f"examples/{path.name}" for path in EXAMPLE_STACK_FILES} <= names
    for path in files:
        assert isinstance(load_yaml(path), dict), path


def test_the_project_file_loads_whole_through_the_sdk_project_type():
    """`_load_project_settings` is what `LocalWorkspace.project_settings()` reads the file with; its
    `to_dict()` giving back the strictly parsed document means every key is one the SDK knows."""
    settings = _load_project_settings(str(PROJECT_ROOT))
    assert isinstance(settings, ProjectSettings)
    assert settings.to_dict() == project_document()


def test_the_project_has_a_valid_name_and_a_one_line_string_description():
    settings = ProjectSettings.from_dict(project_document())
    assert PROJECT_NAME.match(settings.name), settings.name
    assert isinstance(settings.description, str) and settings.description.strip()
    assert "\n" not in settings.description


def test_the_python_runtime_and_its_options_are_ones_the_language_host_knows():
    runtime = ProjectSettings.from_dict(project_document()).runtime
    assert isinstance(runtime, ProjectRuntimeInfo)
    assert runtime.name in KNOWN_RUNTIMES and runtime.name == "python"
    options = dict(runtime.options or {})
    assert set(options) <= PYTHON_RUNTIME_OPTIONS, options
    assert options["toolchain"] in PYTHON_TOOLCHAINS


def test_pulumi_installs_the_program_with_uv_from_the_lock_beside_the_project_file():
    """uv.go: `toolchain: uv` needs `uv` on PATH; `InstallDependencies` runs `uv sync` in the program
    directory (no `--locked`: the workflows set UV_LOCKED) when a uv.lock is found there or above,
    and refuses a pyproject.toml without a `[project]` table (`checkPyprojectHasProject`)."""
    options = dict(ProjectSettings.from_dict(project_document()).runtime.options or {})  # type: ignore[union-attr]
    assert options["toolchain"] == "uv"
    assert (PROJECT_ROOT / "uv.lock").is_file()
    project = pyproject()["project"]
    assert project["name"] and project["dependencies"]


def test_pulumi_and_uv_sync_share_the_one_virtualenv():
    """uv.go passes the `virtualenv` option to uv as UV_PROJECT_ENVIRONMENT; uv's own default, which
    `uv sync` in .ci/run and in the prepare-pulumi action creates, is `.venv` beside pyproject.toml
    (and Pulumi's `defaultVirtualEnv` is `.venv` too). Pulumi's `uv sync` installs uv's default
    groups, `dev` included, so a deploy does not strip the tests' tools from the shared virtualenv."""
    options = dict(ProjectSettings.from_dict(project_document()).runtime.options or {})  # type: ignore[union-attr]
    assert options["virtualenv"] == ".venv"
    assert "UV_PROJECT_ENVIRONMENT" not in CI_SCRIPT.read_text() + PREPARE_ACTION.read_text()
    assert pyproject()["tool"]["uv"].get("default-groups", ["dev"]) == ["dev"]


def test_ci_and_the_deploy_action_install_the_program_from_the_lock_and_nothing_else():
    for path in (CI_SCRIPT, PREPARE_ACTION):
        text = path.read_text()
        assert "uv sync --locked" in text, path.name
        assert not re.search(r"python3? -m venv \.venv|pip install.* -r requirements(-dev)?\.txt", text), path.name
    assert not list(PROJECT_ROOT.glob("requirements*.txt"))


def test_the_virtualenvs_the_project_files_name_are_the_ones_ci_creates_and_git_ignores():
    program = dict(ProjectSettings.from_dict(project_document()).runtime.options or {})  # type: ignore[union-attr]
    policy = dict(ProjectRuntimeInfo.from_dict(load_yaml(PROJECT_ROOT / "policy" / "PulumiPolicy.yaml")["runtime"]).options or {})
    ignored = (PROJECT_ROOT / ".gitignore").read_text().split()
    policy_venv = f"policy/{policy['virtualenv']}"
    assert f"uv venv --quiet --python python3 {policy_venv}" in PREPARE_ACTION.read_text()
    for directory in (program["virtualenv"], policy_venv):
        assert f"{directory}/" in ignored, directory


@pytest.mark.subprocess
def test_pyproject_and_uv_lock_agree():
    """`uv lock --check` fails when pyproject.toml asks for something uv.lock does not hold
    (.ci/run's `uv sync --locked` stops on the same)."""
    checked = uv("lock", "--check")
    assert checked.returncode == 0, f"pyproject.toml and uv.lock disagree: run `uv lock`\n{checked.stderr}"


@pytest.mark.subprocess
def test_uv_lock_check_fails_once_pyproject_and_the_lock_disagree(tmp_path):
    """Offline, uv reports the stale lock when its cache holds the packages (`uv sync` filled it),
    and otherwise fails to resolve again: either way the check does not pass."""
    changed = (PROJECT_ROOT / "pyproject.toml").read_text().replace('    "pymysql>=1.1,<2",\n', "", 1)
    assert "pymysql" not in changed
    (tmp_path / "pyproject.toml").write_text(changed)
    shutil.copy(PROJECT_ROOT / "uv.lock", tmp_path / "uv.lock")
    checked = uv("lock", "--check", cwd=tmp_path)
    assert checked.returncode != 0
    assert "needs to be updated" in checked.stderr or "network was disabled" in checked.stderr, checked.stderr


def test_uv_lock_holds_pypi_files_only():
    """Whatever indexes a machine's pip configuration adds, the lock names PyPI alone."""
    packages = uv_lock()["package"]
    assert packages
    for package in packages:
        source = package["source"]
        assert source == {"registry": PYPI} or source == {"virtual": "."}, package["name"]
        for artifact in [*package.get("wheels", []), *filter(None, [package.get("sdist")])]:
            assert artifact["url"].startswith(PYPI_FILES) and artifact["hash"].startswith("sha256:"), package["name"]


def test_uv_lock_resolves_for_the_python_pyproject_states():
    assert uv_lock()["requires-python"] == pyproject()["project"]["requires-python"]


def test_every_declared_dependency_is_locked():
    """The program's runtime libraries and the `dev` group's tools (pulumi-random at runtime,
    hypothesis and mutmut for the tests among them) all have a locked version."""
    locked = {package["name"] for package in uv_lock()["package"]}
    declared = pyproject()["project"]["dependencies"] + [
        entry for entries in pyproject()["dependency-groups"].values() for entry in entries if isinstance(entry, str)
    ]
    names = {re.split(r"[<>=!~\[; ]", entry, maxsplit=1)[0].lower() for entry in declared}
    assert {"pulumi", "pulumi-aws", "pulumi-random", "hypothesis", "mutmut", "pulumi-policy", "uv"} <= names
    assert names <= locked, names - locked


@pytest.mark.subprocess
def test_the_policy_pack_requirements_are_exported_from_the_lock():
    """Pulumi runs the policy pack as its own Python project (policy/PulumiPolicy.yaml, pip
    toolchain, its own virtualenv): its requirements.txt is the lock's `policy` group with hashes,
    so the pack gets the same pulumi the program does. Refresh with
    `uv export --frozen --only-group policy -o policy/requirements.txt`."""
    exported = uv(*POLICY_EXPORT)
    assert exported.returncode == 0, exported.stderr

    def requirements(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    committed = requirements(POLICY_REQUIREMENTS.read_text())
    assert committed == requirements(exported.stdout), "stale: uv export --frozen --only-group policy -o policy/requirements.txt"
    assert any(line.startswith("pulumi-policy==") for line in committed)
    pinned = re.split(r"\n(?=\S)", "\n".join(committed))
    assert all(re.match(r"[\w.-]+==\S+ ", entry) and "--hash=sha256:" in entry for entry in pinned), pinned


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    command = "uv sync --locked && .venv/bin/python -m pytest"
    assert f"```sh\n{command}\n```" in readme
    lines = CI_SCRIPT.read_text().splitlines()
    install, test = command.split(" && ")
    assert test in lines and any(line.startswith(install) for line in lines[: lines.index(test)])


def test_the_policy_pack_file_names_a_python_runtime_and_a_description():
    """Source: the CLI's `PolicyPackProject` (pulumi/pulumi sdk/go/common/workspace/project.go), whose
    runtime is the same `ProjectRuntimeInfo` as a project's."""
    document = load_yaml(PROJECT_ROOT / "policy" / "PulumiPolicy.yaml")
    assert set(document) <= {"runtime", "version", "main", "description", "author", "website", "license"}, document
    runtime = ProjectRuntimeInfo.from_dict(document["runtime"])
    assert runtime.name == "python"
    assert set(runtime.options or {}) <= PYTHON_RUNTIME_OPTIONS
    assert (runtime.options or {}).get("toolchain", "pip") in PYTHON_TOOLCHAINS
    assert isinstance(document["description"], str) and "\n" not in document["description"]


def test_the_mock_engine_names_the_project_as_pulumi_yaml_does():
    assert project_name() == ProjectSettings.from_dict(project_document()).name


def _copy_program(tmp_path: Path, project_file: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(project_file)
    for name in ("Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.engine
def test_the_mock_engine_refuses_a_broken_project_file(tmp_path):
    root = _copy_program(tmp_path, "name: aurora\ndescription: as code: broken\nruntime: python\n")
    with pytest.raises(yaml.YAMLError):
        run_program("dev", root=root)


@pytest.mark.engine
def test_the_mock_engine_runs_a_renamed_project_under_its_new_name(tmp_path):
    renamed = re.sub(r"(?m)^name: .*$", "name: workshop", (PROJECT_ROOT / "Pulumi.yaml").read_text(), count=1)
    deployment = run_program("dev", root=_copy_program(tmp_path, renamed))
    assert deployment.resources and all("::workshop::" in r.urn for r in deployment.resources)


@pytest.mark.parametrize("path", STACK_FILES + EXAMPLE_STACK_FILES, ids=stack_name)
def test_the_stack_file_holds_only_what_the_sdk_stack_type_holds(path):
    """`StackSettings._deserialize` (what `LocalWorkspace.stack_settings` uses) raises TypeError on a
    boolean value and drops objects and lists, so the file is given to the type's constructor and
    must come back whole from `_serialize`."""
    document = load_yaml(path)
    settings = StackSettings(
        secrets_provider=document.get("secretsprovider"),
        encrypted_key=document.get("encryptedkey"),
        encryption_salt=document.get("encryptionsalt"),
        config=document.get("config"),
    )
    assert settings._serialize() == document


def test_there_is_a_stack_file_for_each_workshop_stack_and_the_examples_are_found():
    assert {stack_name(path) for path in STACK_FILES} >= {"dev", "prod"}
    assert len(EXAMPLE_STACK_FILES) == 4


@pytest.mark.parametrize("path", STACK_FILES + EXAMPLE_STACK_FILES, ids=stack_name)
def test_every_stack_config_key_is_namespaced_for_the_program_or_its_provider(path):
    config = load_yaml(path)["config"]
    for key in config:
        namespace, _, name = key.partition(":")
        assert namespace in CONFIG_NAMESPACES and name and ":" not in name, key


@pytest.mark.parametrize("path", STACK_FILES + EXAMPLE_STACK_FILES, ids=stack_name)
def test_the_stack_region_is_one_where_rds_exists(path):
    """Source: botocore's endpoint data (`get_available_regions("rds")`)."""
    region = load_yaml(path)["config"]["aws:region"]
    assert region in botocore.session.get_session().get_available_regions("rds")


@pytest.mark.parametrize("path", STACK_FILES + EXAMPLE_STACK_FILES, ids=stack_name)
def test_the_programs_own_loader_accepts_the_aurora_keys_of_the_stack_file(path):
    """The values reach `read_stack_config` as Pulumi hands them to a program (JSON text for objects
    and lists), and `load_settings` validates every key and shape the program reads."""
    config = load_yaml(path)["config"]
    pulumi.runtime.set_all_config(_as_config_values(config))
    raw, region = read_stack_config()
    assert set(raw) == {key.split(":", 1)[1] for key in config if key.startswith("aurora:")}
    try:
        settings = load_settings(raw, project_name(), stack_name(path), region)
    except ConfigError as error:
        pytest.fail(f"{path.name}: {error}")
    assert settings.region == config["aws:region"]


def test_the_production_stack_restores_from_a_stack_of_this_project():
    restore = load_yaml(PROJECT_ROOT / "Pulumi.prod.yaml")["config"]["aurora:restoreFrom"]
    organization, project, stack = restore["stack"].split("/")
    assert (project, stack) == (project_name(), "dev") and organization


def test_the_python_minimum_is_the_one_pyproject_states_everywhere_it_is_named():
    """`requires-python` is the statement; the README, the CI's Python and the type checker follow it."""
    settings = pyproject()
    minimum = settings["project"]["requires-python"].removeprefix(">=")
    assert sys.version_info >= tuple(int(part) for part in minimum.split("."))
    assert f"Python {minimum}+" in (PROJECT_ROOT / "README.md").read_text()
    assert settings["tool"]["mypy"]["python_version"] == minimum
    assert settings["tool"]["ruff"]["target-version"] == "py" + minimum.replace(".", "")
    github = PROJECT_ROOT / ".github"
    for path in [*github.glob("workflows/*.yml"), *github.glob("actions/*/action.yml")]:
        for version in re.findall(r"python-version: \"?([\d.]+)", path.read_text()):
            assert version == minimum, path.name
