"""The project's Pulumi files as Pulumi reads them: a strict YAML parse (the CLI's Go parser refuses
what PyYAML's default loader forgives), then the Pulumi SDK's own `pulumi.automation` types, then the
program's own configuration loader for the `aurora:` keys of every stack file.

Sources: the CLI's project schema (pulumi/pulumi sdk/go/common/workspace/project.json: `name` and
`runtime` required, `description` a string); the Python language host's runtime options
(pulumi/pulumi sdk/python/cmd/pulumi-language-python: `toolchain` pip|poetry|uv, `virtualenv`,
`typechecker`); the installed SDK's `pulumi/automation/_project_settings.py` and
`_stack_settings.py`.
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

from components.config import ConfigError, load_settings, read_stack_config
from plan.engine import PROJECT_ROOT, _as_config_values, load_yaml, project_name, run_program

STACK_FILES = sorted(PROJECT_ROOT.glob("Pulumi.*.yaml"))
# The CLI's project schema: "alphanumeric characters, hyphens, underscores, and periods".
PROJECT_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
# The runtimes Pulumi ships a language host for.
KNOWN_RUNTIMES = {"nodejs", "python", "go", "dotnet", "java", "yaml"}
PYTHON_RUNTIME_OPTIONS = {"toolchain", "virtualenv", "typechecker"}
PYTHON_TOOLCHAINS = {"pip", "poetry", "uv"}
# The namespaces the program and its provider read: `pulumi.Config("aurora")` and the AWS provider.
CONFIG_NAMESPACES = {"aws", "aurora"}
PREPARE_ACTION = PROJECT_ROOT / ".github" / "actions" / "prepare-pulumi" / "action.yml"


def project_document() -> dict:
    return load_yaml(PROJECT_ROOT / "Pulumi.yaml")


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


def test_every_yaml_file_in_the_repository_parses_strictly():
    files = repository_yaml_files()
    names = {str(path.relative_to(PROJECT_ROOT)) for path in files}
    assert {"Pulumi.yaml", "Pulumi.dev.yaml", "policy/PulumiPolicy.yaml", ".github/workflows/deploy.yml"} <= names
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
    assert options["toolchain"] != "uv" or (PROJECT_ROOT / "uv.lock").exists()


def test_the_virtualenvs_the_project_files_name_are_the_ones_ci_creates_and_git_ignores():
    project_venv = ProjectSettings.from_dict(project_document()).runtime
    policy_runtime = ProjectRuntimeInfo.from_dict(load_yaml(PROJECT_ROOT / "policy" / "PulumiPolicy.yaml")["runtime"])
    assert isinstance(project_venv, ProjectRuntimeInfo) and project_venv.options and policy_runtime.options
    created = PREPARE_ACTION.read_text()
    ignored = (PROJECT_ROOT / ".gitignore").read_text().split()
    for directory in (project_venv.options["virtualenv"], f"policy/{policy_runtime.options['virtualenv']}"):
        assert f"python -m venv {directory} " in created, directory
        assert f"{directory}/" in ignored, directory


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


def test_the_mock_engine_refuses_a_broken_project_file(tmp_path):
    root = _copy_program(tmp_path, "name: aurora\ndescription: as code: broken\nruntime: python\n")
    with pytest.raises(yaml.YAMLError):
        run_program("dev", root=root)


def test_the_mock_engine_runs_a_renamed_project_under_its_new_name(tmp_path):
    renamed = re.sub(r"(?m)^name: .*$", "name: workshop", (PROJECT_ROOT / "Pulumi.yaml").read_text(), count=1)
    deployment = run_program("dev", root=_copy_program(tmp_path, renamed))
    assert deployment.resources and all("::workshop::" in r.urn for r in deployment.resources)


@pytest.mark.parametrize("path", STACK_FILES, ids=stack_name)
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


def test_there_is_a_stack_file_for_each_workshop_stack():
    assert {stack_name(path) for path in STACK_FILES} >= {"dev", "prod"}


@pytest.mark.parametrize("path", STACK_FILES, ids=stack_name)
def test_every_stack_config_key_is_namespaced_for_the_program_or_its_provider(path):
    config = load_yaml(path)["config"]
    for key in config:
        namespace, _, name = key.partition(":")
        assert namespace in CONFIG_NAMESPACES and name and ":" not in name, key


@pytest.mark.parametrize("path", STACK_FILES, ids=stack_name)
def test_the_stack_region_is_one_where_rds_exists(path):
    """Source: botocore's endpoint data (`get_available_regions("rds")`)."""
    region = load_yaml(path)["config"]["aws:region"]
    assert region in botocore.session.get_session().get_available_regions("rds")


@pytest.mark.parametrize("path", STACK_FILES, ids=stack_name)
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
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    minimum = pyproject["project"]["requires-python"].removeprefix(">=")
    assert sys.version_info >= tuple(int(part) for part in minimum.split("."))
    assert f"Python {minimum}+" in (PROJECT_ROOT / "README.md").read_text()
    assert pyproject["tool"]["mypy"]["python_version"] == minimum
    assert pyproject["tool"]["ruff"]["target-version"] == "py" + minimum.replace(".", "")
    github = PROJECT_ROOT / ".github"
    for path in [*github.glob("workflows/*.yml"), *github.glob("actions/*/action.yml")]:
        for version in re.findall(r"python-version: \"?([\d.]+)", path.read_text()):
            assert version == minimum, path.name
