"""The GitHub Actions workflows, read as data and held to GitHub's documented rules: what gates what,
where credentials come from, what each reusable-workflow call grants and passes, and that the job that
holds a write token never runs a fork's code. (GitHub itself cannot run here; zizmor, in .ci/run,
audits the same files for security.)

Sources: GitHub Docs, "Reusing workflows" (a called workflow's GITHUB_TOKEN permissions can only be
downgraded, never elevated, from what the caller grants; inputs and secrets a caller passes must be
declared under `on.workflow_call`; `secrets: inherit` or explicit secrets) and "Controlling permissions
for GITHUB_TOKEN" (a job's `permissions` replace the workflow's; a scope not listed is `none`;
`read-all`/`write-all`; without any `permissions` the repository's default applies, at least
`contents: read`, `packages: read`, `metadata: read` in the restricted setting; `write` includes `read`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from plan.engine import PROJECT_ROOT, load_yaml

GITHUB = PROJECT_ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
# Node 20 left GitHub's runners in September 2026: every JavaScript action must be a Node 24 major.
NODE24_MAJORS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "astral-sh/setup-uv": "v10",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v7",
    "actions/github-script": "v8",
    "aws-actions/configure-aws-credentials": "v6",
    "pulumi/actions": "v7",
}
PINNED_USES = re.compile(r"^\s*-?\s*uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+)\.\d+\.\d+\s*$")
LEVELS = {"none": 0, "read": 1, "write": 2}
SCOPES = (
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "metadata",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
)
# The smaller of GitHub's two repository defaults, so the check holds whichever a repository has.
RESTRICTED_DEFAULT = {"contents": "read", "packages": "read", "metadata": "read"}
SECRET_REFERENCE = re.compile(r"\$\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def load(name: str) -> dict:
    return load_yaml(WORKFLOWS / name)


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as True.
    on = workflow.get("on", workflow.get(True))
    return {on: None} if isinstance(on, str) else dict(on)


def all_steps() -> list[tuple[str, dict]]:
    found = []
    for path in [*WORKFLOWS.glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")]:
        document = load_yaml(path)
        jobs = document.get("jobs", {})
        step_lists = [job.get("steps", []) for job in jobs.values()] or [document.get("runs", {}).get("steps", [])]
        found += [(path.name, step) for steps in step_lists for step in steps]
    return found


def grants(permissions: Any) -> dict[str, int]:
    """What a `permissions` value gives the GITHUB_TOKEN, scope by scope (None: the key is absent)."""
    if permissions is None:
        given = dict(RESTRICTED_DEFAULT)
    elif permissions in ("read-all", "write-all"):
        given = dict.fromkeys(SCOPES, permissions.removesuffix("-all"))
    else:
        assert isinstance(permissions, dict), permissions
        unknown = set(permissions) - set(SCOPES)
        assert not unknown, f"unknown permission scopes {unknown}"
        given = {"metadata": "read", **permissions}
    return {scope: LEVELS[given.get(scope, "none")] for scope in SCOPES}


def job_grants(workflow: dict, job: dict) -> dict[str, int]:
    return grants(job["permissions"] if "permissions" in job else workflow.get("permissions"))


def requested(callee: Path) -> dict[str, int]:
    """Every permission the called workflow or any of its jobs (or their own calls) asks for."""
    workflow = load_yaml(callee)
    asks = [grants(workflow["permissions"])] if "permissions" in workflow else []
    for job in workflow["jobs"].values():
        if "permissions" in job:
            asks.append(grants(job["permissions"]))
        if str(job.get("uses", "")).startswith("./"):
            asks.append(requested(GITHUB.parent / job["uses"]))
    return {scope: max((ask[scope] for ask in asks), default=0) for scope in SCOPES}


def shortfall(given: dict[str, int], asked: dict[str, int]) -> dict[str, str]:
    names = {level: name for name, level in LEVELS.items()}
    return {scope: names[level] for scope, level in asked.items() if given[scope] < level}


def local_calls() -> list[tuple[str, str, dict, dict, Path]]:
    """(caller file, job id, caller workflow, calling job, called file) for every `uses: ./...` job."""
    calls = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load_yaml(path)
        for job_id, job in workflow["jobs"].items():
            if "uses" in job:
                assert job["uses"].startswith("./.github/workflows/"), f"{path.name}:{job_id} calls {job['uses']}"
                calls.append((path.name, job_id, workflow, job, GITHUB.parent / job["uses"]))
    return calls


CALLS = local_calls()
CALL_IDS = [f"{caller}:{job_id}" for caller, job_id, *_ in CALLS]


def test_absent_permissions_are_the_restricted_default_and_listed_ones_replace_it():
    assert grants(None)["contents"] == LEVELS["read"] and grants(None)["id-token"] == LEVELS["none"]
    assert grants({"id-token": "write"})["contents"] == LEVELS["none"]
    assert grants({})["metadata"] == LEVELS["read"] and grants({})["pull-requests"] == LEVELS["none"]
    assert grants("write-all")["id-token"] == LEVELS["write"] and grants("read-all")["issues"] == LEVELS["read"]


def test_write_includes_read_but_read_never_includes_write():
    assert shortfall(grants({"pull-requests": "write"}), grants({"pull-requests": "read"})) == {}
    assert shortfall(grants({"contents": "read"}), grants({"contents": "read", "id-token": "write"})) == {"id-token": "write"}


def test_a_job_level_permissions_block_replaces_the_workflow_level_one():
    workflow = {"permissions": {"contents": "read", "issues": "write"}}
    assert job_grants(workflow, {"permissions": {"id-token": "write"}})["issues"] == LEVELS["none"]
    assert job_grants(workflow, {})["issues"] == LEVELS["write"]


def test_there_are_local_reusable_workflow_calls_to_check():
    assert {caller for caller, *_ in CALLS} == {"checks.yml", "deploy.yml", "pull-request.yml"}


# GitHub docs, "Reusing workflows": the only keywords a job that calls a reusable workflow may have.
CALLING_JOB_KEYS = {"name", "uses", "with", "secrets", "strategy", "needs", "if", "concurrency", "permissions"}


@pytest.mark.parametrize(("caller", "job_id", "workflow", "job", "callee"), CALLS, ids=CALL_IDS)
def test_each_call_names_a_reusable_workflow_with_only_the_keywords_a_calling_job_may_have(caller, job_id, workflow, job, callee):
    assert callee.parent == WORKFLOWS and callee.exists(), f"{caller}:{job_id} calls {callee}"
    assert "workflow_call" in triggers(load_yaml(callee)), f"{callee.name} cannot be called"
    assert set(job) <= CALLING_JOB_KEYS, f"{caller}:{job_id} has {set(job) - CALLING_JOB_KEYS}"


@pytest.mark.parametrize(("caller", "job_id", "workflow", "job", "callee"), CALLS, ids=CALL_IDS)
def test_each_call_grants_every_permission_the_called_workflow_asks_for(caller, job_id, workflow, job, callee):
    missing = shortfall(job_grants(workflow, job), requested(callee))
    assert not missing, f"{caller} job {job_id} calls {callee.name}, which asks for {missing} more than it is given"


@pytest.mark.parametrize(("caller", "job_id", "workflow", "job", "callee"), CALLS, ids=CALL_IDS)
def test_each_call_passes_the_declared_inputs_with_their_types(caller, job_id, workflow, job, callee):
    declared = (triggers(load_yaml(callee))["workflow_call"] or {}).get("inputs") or {}
    given = job.get("with") or {}
    assert set(given) <= set(declared), f"{caller}:{job_id} passes undeclared inputs {set(given) - set(declared)}"
    required = {name for name, spec in declared.items() if spec.get("required") and "default" not in spec}
    assert required <= set(given), f"{caller}:{job_id} omits required inputs {required - set(given)}"
    python_types = {"string": str, "boolean": bool, "number": (int, float)}
    for name, value in given.items():
        if not (isinstance(value, str) and "${{" in value):
            assert isinstance(value, python_types[declared[name]["type"]]), f"{caller}:{job_id} input {name}={value!r}"


@pytest.mark.parametrize(("caller", "job_id", "workflow", "job", "callee"), CALLS, ids=CALL_IDS)
def test_each_call_passes_by_name_every_secret_the_called_workflow_reads(caller, job_id, workflow, job, callee):
    """Without `secrets: inherit` a called workflow sees only the secrets it declares and is given."""
    declared = (triggers(load_yaml(callee))["workflow_call"] or {}).get("secrets") or {}
    used = set(SECRET_REFERENCE.findall(callee.read_text())) - {"GITHUB_TOKEN"}
    assert used <= set(declared), f"{callee.name} reads undeclared secrets {used - set(declared)}"
    passed = job.get("secrets") or {}
    assert passed != "inherit", f"{caller}:{job_id} inherits every secret"
    assert set(passed) <= set(declared), f"{caller}:{job_id} passes undeclared secrets {set(passed) - set(declared)}"
    assert used <= set(passed), f"{caller}:{job_id} does not pass {used - set(passed)}"
    required = {name for name, spec in declared.items() if (spec or {}).get("required")}
    assert required <= set(passed)
    for name, value in passed.items():
        assert SECRET_REFERENCE.fullmatch(value), f"{caller}:{job_id} secret {name}={value!r}"


@pytest.mark.parametrize(("caller", "job_id", "workflow", "job", "callee"), CALLS, ids=CALL_IDS)
def test_a_called_workflow_never_shares_its_callers_concurrency_group(caller, job_id, workflow, job, callee):
    """GitHub docs: a called workflow in the caller's concurrency group waits on its caller forever."""
    called = load_yaml(callee)
    assert "concurrency" not in called or called["concurrency"] != workflow.get("concurrency")


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_needs_names_a_job_of_the_same_workflow(path):
    jobs = load_yaml(path)["jobs"]
    for job_id, job in jobs.items():
        needs = job.get("needs", [])
        for needed in [needs] if isinstance(needs, str) else needs:
            assert needed in jobs and needed != job_id, f"{path.name}:{job_id} needs {needed}"


def test_every_third_party_action_is_pinned_to_a_commit_of_its_node24_major():
    pins: dict[str, set[str]] = {}
    files = [*WORKFLOWS.glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")]
    for path in files:
        for line in path.read_text().splitlines():
            if "uses:" not in line or "uses: ./" in line:
                continue
            match = PINNED_USES.match(line)
            assert match, f"{path.name}: {line.strip()} is not `owner/repo@<commit sha> # vX.Y.Z`"
            action, sha, major = match.groups()
            assert NODE24_MAJORS.get(action) == major, line
            pins.setdefault(action, set()).add(sha)
    assert set(pins) == set(NODE24_MAJORS)
    assert all(len(shas) == 1 for shas in pins.values()), pins


def test_every_local_action_exists():
    local = [step["uses"] for _, step in all_steps() if step.get("uses", "").startswith("./")]
    assert local
    for reference in local:
        assert (GITHUB.parent / reference / "action.yml").exists(), reference


def test_no_checkout_keeps_the_token_in_the_git_config():
    checkouts = [step for _, step in all_steps() if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_dependabot_updates_the_pinned_actions_and_the_uv_lock():
    """Dependabot's `uv` ecosystem updates pyproject.toml and uv.lock (GitHub changelog 2025-03-13;
    uv's guide "Dependabot"); policy/requirements.txt is exported from the lock, so no `pip` entry."""
    updates = load_yaml(GITHUB / "dependabot.yml")["updates"]
    ecosystems = {update["package-ecosystem"]: update["directories"] for update in updates}
    assert set(ecosystems) == {"github-actions", "uv"}
    assert set(ecosystems["github-actions"]) == {"/", "/.github/actions/*"}
    assert ecosystems["uv"] == ["/"]


def python_install_jobs() -> dict[str, list[dict]]:
    """The steps of every job (or composite action) that installs Python packages, by file:job."""
    found = {}
    for path in [*WORKFLOWS.glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")]:
        document = load_yaml(path)
        jobs = document.get("jobs") or {"runs": document.get("runs", {})}
        for job_id, job in jobs.items():
            steps = job.get("steps", [])
            if any(re.search(r"\b(uv|pip)\b", step.get("run", "")) for step in steps):
                found[f"{path.name}:{job_id}"] = steps
    return found


def test_every_workflow_installs_python_packages_with_uv_from_the_lock():
    """setup-uv's `version-file: uv.lock` installs the uv version the lock pins (setup-uv
    docs/advanced-version-configuration.md), the one .ci/run installs from PyPI. The jobs that only
    check, test or plan offline cache uv's downloads, keyed on uv.lock; the deployments and the drift
    previews (prepare-pulumi) never do, so what reaches AWS is never installed from another run's
    files. `uv sync --locked` refuses a stale lock."""
    jobs = python_install_jobs()
    cached = {"pull-request.yml:offline-plan", "lint.yml:lint", "tests.yml:tests", "mutation.yml:mutation"}
    assert set(jobs) == cached | {"action.yml:runs"}
    for name, steps in jobs.items():
        uses = [step.get("uses", "").split("@")[0] for step in steps]
        setup_uv = steps[uses.index("astral-sh/setup-uv")]
        assert uses.index("actions/setup-python") < uses.index("astral-sh/setup-uv"), name
        if name in cached:
            assert setup_uv["with"] == {"version-file": "uv.lock", "enable-cache": True, "cache-dependency-glob": "uv.lock"}
        else:
            assert setup_uv["with"] == {"version-file": "uv.lock", "enable-cache": False}, name
        commands = [line.strip() for step in steps for line in step.get("run", "").splitlines()]
        assert "uv sync --locked --python python3" in commands, name
        assert not [line for line in commands if re.search(r"\bpip install\b|-m venv", line)], name
        assert all("--locked" in line for line in commands if line.startswith("uv sync")), name


def test_ci_installs_the_uv_version_the_lock_pins():
    script = (GITHUB.parent / ".ci" / "run").read_text()
    assert 'tomllib.load(open("uv.lock", "rb"))' in script and 'if p["name"] == "uv"' in script
    assert 'python3 -m pip install --quiet --disable-pip-version-check --target "$uv_home" "uv==$uv_version"' in script
    assert "\nuv sync --locked --python python3\n" in script


def test_every_pulumi_run_syncs_only_the_locked_set():
    """Pulumi's uv toolchain runs plain `uv sync` before the program (pulumi/pulumi
    sdk/python/toolchain/uv.go); UV_LOCKED makes that sync fail on a stale lock instead of
    resolving again (`uv sync --help`: `--locked` [env: UV_LOCKED=])."""
    program_runs = [
        step
        for _, step in all_steps()
        if (step.get("uses", "").startswith("pulumi/actions@") and "command" in step.get("with", {}))
        or re.search(r"\bpulumi (preview|up|refresh|destroy)\b", step.get("run", ""))
    ]
    assert len(program_runs) == 3  # the PR preview, the deployment, the drift preview
    assert all(step["env"]["UV_LOCKED"] == "true" for step in program_runs)


def test_no_stored_aws_keys_anywhere():
    text = "\n".join(p.read_text() for p in GITHUB.rglob("*.yml"))
    assert not re.search(r"AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id", text)
    assert "role-to-assume" in text


def test_pull_requests_run_lint_and_tests_in_parallel_and_preview_both_stacks_once_lint_passes():
    workflow = load("pull-request.yml")
    jobs = workflow["jobs"]
    assert jobs["lint"]["uses"] == "./.github/workflows/lint.yml"
    assert jobs["tests"]["uses"] == "./.github/workflows/tests.yml" and "needs" not in jobs["tests"]
    preview = jobs["preview"]
    # Not waiting for the slow tests: merging and deploying still need them.
    assert preview["needs"] == "lint" and jobs["offline-plan"]["needs"] == "lint"
    assert preview["strategy"]["matrix"]["stack"] == ["dev", "prod"]
    assert preview["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert preview["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    pulumi = next(s for s in preview["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["comment-on-pr"] is True and pulumi["with"]["edit-pr-comment"] is True
    assert pulumi["with"]["cloud-url"] == "${{ vars.PULUMI_BACKEND_URL }}"


def _run_lines(workflow: str) -> list[str]:
    [job] = load(workflow)["jobs"].values()
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]


def test_checks_run_lint_and_tests_as_parallel_jobs():
    jobs = load("checks.yml")["jobs"]
    assert jobs == {"lint": {"uses": "./.github/workflows/lint.yml"}, "tests": {"uses": "./.github/workflows/tests.yml"}}


def test_the_check_jobs_together_run_every_check_ci_run_runs_in_its_order():
    """.ci/run stays the one local entry point; the jobs run its commands, split in two."""
    script = (GITHUB.parent / ".ci" / "run").read_text()
    ci_commands = [line for line in script.splitlines() if line.startswith(".venv/bin/")]
    lint, tests = _run_lines("lint.yml"), _run_lines("tests.yml")
    assert "uv sync --locked --python python3" in lint and "uv sync --locked --python python3" in tests
    checks = [line for line in lint + tests if line.startswith(".venv/bin/")]
    assert checks == ci_commands
    assert "mariadb-server" in " ".join(tests) and "nodejs" in " ".join(tests)


def test_merge_deploys_dev_then_prod_behind_its_environment():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["up-dev"]["needs"] == "checks"
    assert jobs["up-prod"]["needs"] == "up-dev"
    assert jobs["up-dev"]["with"] == {"stack": "dev", "environment": "dev"}
    assert jobs["up-prod"]["with"] == {"stack": "prod", "environment": "production"}
    up = load("deploy-stack.yml")["jobs"]["up"]
    # The environment's variables and reviewers apply to this job: its role is the environment's.
    assert up["environment"] == "${{ inputs.environment }}"
    prepare = next(s for s in up["steps"] if s.get("uses") == "./.github/actions/prepare-pulumi")
    assert prepare["with"]["role-arn"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    pulumi = next(s for s in up["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "up" and pulumi["with"]["policyPacks"] == "policy"


def test_deployments_queue_and_never_cancel_a_running_update():
    """A cancelled `pulumi up` leaves the stack with pending operations to clear by hand."""
    assert load("deploy.yml")["concurrency"] == {"group": "deploy", "cancel-in-progress": False}


# The offline-plan comment: the job that holds a write token while a fork's pull request is involved.
COMMENT = load("offline-plan-comment.yml")
COMMENT_JOB = COMMENT["jobs"]["comment"]
COMMENT_SCRIPT = next(s for s in COMMENT_JOB["steps"] if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
CONDITION_TERM = re.compile(r"^([\w.]+) (==|!=) (?:'([^']*)'|([\w.]+))$")


def evaluate(condition: str, context: dict) -> bool:
    """The `&&` of `==`/`!=` comparisons the job's `if` is made of, as GitHub evaluates them."""

    def lookup(name: str) -> Any:
        value: Any = context
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    result = True
    for term in condition.split(" && "):
        match = CONDITION_TERM.match(term.strip())
        assert match, f"unexpected term {term!r}"
        left, operator, literal, right = match.groups()
        other = literal if literal is not None else lookup(right)
        result = result and ((lookup(left) == other) == (operator == "=="))
    return result


def run_context(conclusion: str = "success", head_repository: str = "someone/fork", event: str = "pull_request") -> dict:
    workflow_run = {"event": event, "conclusion": conclusion, "head_repository": {"full_name": head_repository}}
    return {"github": {"repository": "owner/aurora", "event": {"workflow_run": workflow_run}}}


def test_the_comment_job_acts_only_on_a_successful_run_of_a_forks_pull_request():
    condition = COMMENT_JOB["if"]
    assert evaluate(condition, run_context())
    assert not evaluate(condition, run_context(conclusion="failure"))
    assert not evaluate(condition, run_context(conclusion="cancelled"))
    assert not evaluate(condition, run_context(head_repository="owner/aurora"))
    assert not evaluate(condition, run_context(event="push"))


def test_the_job_with_a_write_token_never_runs_fork_code():
    assert triggers(COMMENT) == {"workflow_run": {"workflows": ["Pull request"], "types": ["completed"]}}
    assert load("pull-request.yml")["name"] == "Pull request"
    steps = COMMENT_JOB["steps"]
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps)
    assert not any("run" in s for s in steps)
    assert COMMENT_JOB["permissions"] == {"actions": "read", "pull-requests": "write"}


def test_the_pull_request_workflow_uploads_the_plan_and_its_pull_request_number():
    steps = load("pull-request.yml")["jobs"]["offline-plan"]["steps"]
    plan = next(s for s in steps if s.get("name") == "Plan every stack against the base branch")
    assert plan["env"]["PULL_REQUEST_NUMBER"] == "${{ github.event.pull_request.number }}"
    assert 'echo "$PULL_REQUEST_NUMBER" > pull-request-number' in plan["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"].split() == ["offline-plan.md", "pull-request-number"]


# Runs the github-script body under Node with a recording stand-in for the GitHub API.
HARNESS = """
const fs = require('fs');
const scenario = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const calls = [];
const record = (name) => async (args) => { calls.push([name, args]); return { data: {} }; };
const github = {
  rest: {
    pulls: { get: async (args) => { calls.push(['pulls.get', args]); return { data: scenario.pull }; } },
    issues: { listComments: 'issues.listComments', updateComment: record('updateComment'), createComment: record('createComment') },
  },
  paginate: async (method, args) => { calls.push(['paginate ' + method, args]); return scenario.comments; },
};
const core = { info: (m) => calls.push(['info', m]), setFailed: (m) => calls.push(['setFailed', m]) };
const context = { repo: { owner: 'owner', repo: 'aurora' }, payload: { workflow_run: scenario.run } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', fs.readFileSync(process.argv[2], 'utf8'))(require, github, context, core)
  .catch((e) => calls.push(['threw', String(e)]))
  .then(() => console.log(JSON.stringify(calls)));
"""
HEAD = "a" * 40
RUN = {"head_sha": HEAD, "head_repository": {"full_name": "someone/fork"}}
OPEN_PULL = {"number": 7, "state": "open", "head": {"sha": HEAD, "repo": {"full_name": "someone/fork"}}}
BOT = {"login": "github-actions[bot]", "type": "Bot"}


def run_comment_script(
    tmp_path: Path, pull: dict, comments: list, number: str = "7\n", plan_points_to: Path | None = None
) -> list:
    """The script's calls, given the artifact's files (the plan optionally a symlink) and the API's answers."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (bash .ci/run installs it)")
    plan_dir = tmp_path / "offline-plan"
    plan_dir.mkdir(exist_ok=True)
    if plan_points_to is None:
        (plan_dir / "offline-plan.md").write_text("## Offline plan\n")
    else:
        (plan_dir / "offline-plan.md").symlink_to(plan_points_to)
    (plan_dir / "pull-request-number").write_text(number)
    (tmp_path / "script.js").write_text(COMMENT_SCRIPT)
    (tmp_path / "harness.js").write_text(HARNESS)
    (tmp_path / "scenario.json").write_text(json.dumps({"run": RUN, "pull": pull, "comments": comments}))
    completed = subprocess.run(
        [node, str(tmp_path / "harness.js"), str(tmp_path / "script.js"), str(tmp_path / "scenario.json")],
        env={**os.environ, "PLAN_DIR": str(plan_dir)},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(completed.stdout)


def writes(calls: list) -> list:
    return [call for call in calls if call[0] in ("updateComment", "createComment")]


@pytest.mark.subprocess
def test_the_comment_script_updates_its_own_comment_not_one_that_only_copies_the_marker(tmp_path):
    comments = [
        {"id": 1, "user": {"login": "someone", "type": "User"}, "body": "<!-- offline-plan -->\nfake"},
        {"id": 2, "user": BOT, "body": "<!-- offline-plan -->\nolder plan"},
    ]
    calls = run_comment_script(tmp_path, OPEN_PULL, comments)
    assert calls[0] == ["pulls.get", {"owner": "owner", "repo": "aurora", "pull_number": 7}]
    assert writes(calls) == [
        [
            "updateComment",
            {"owner": "owner", "repo": "aurora", "comment_id": 2, "body": "<!-- offline-plan -->\n## Offline plan\n"},
        ]
    ]


@pytest.mark.subprocess
def test_the_comment_script_creates_a_comment_when_only_others_carry_the_marker(tmp_path):
    comments = [{"id": 1, "user": {"login": "someone", "type": "User"}, "body": "<!-- offline-plan -->\nfake"}]
    calls = run_comment_script(tmp_path, OPEN_PULL, comments)
    assert writes(calls) == [
        [
            "createComment",
            {"owner": "owner", "repo": "aurora", "issue_number": 7, "body": "<!-- offline-plan -->\n## Offline plan\n"},
        ]
    ]


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "pull",
    [
        {**OPEN_PULL, "head": {"sha": "b" * 40, "repo": {"full_name": "someone/fork"}}},
        {**OPEN_PULL, "head": {"sha": HEAD, "repo": {"full_name": "other/fork"}}},
        {**OPEN_PULL, "state": "closed"},
    ],
    ids=["other-head-commit", "other-head-repository", "closed"],
)
def test_the_comment_script_writes_nothing_when_the_claimed_pull_request_is_not_the_runs(tmp_path, pull):
    assert writes(run_comment_script(tmp_path, pull, [])) == []


@pytest.mark.subprocess
def test_the_comment_script_refuses_an_artifact_without_a_pull_request_number(tmp_path):
    calls = run_comment_script(tmp_path, OPEN_PULL, [], number="7; rm -rf /")
    assert calls == [["setFailed", "The artifact holds no pull request number."]]


@pytest.mark.subprocess
def test_the_comment_script_refuses_a_symlink_in_the_artifact(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("token")
    calls = run_comment_script(tmp_path, OPEN_PULL, [], plan_points_to=secret)
    assert [call[0] for call in calls] == ["pulls.get", "threw"]
    assert "offline-plan.md in the artifact is not a plain file" in calls[1][1]


# Drift detection: a read-only preview of each stack, and the only job that writes issues.
DRIFT = load("drift.yml")
DRIFT_PREVIEW = DRIFT["jobs"]["preview"]
DRIFT_ISSUES = DRIFT["jobs"]["issues"]
DRIFT_RUN = next(s for s in DRIFT_PREVIEW["steps"] if s.get("name") == "Preview with a refresh")
DRIFT_SCRIPT = next(s for s in DRIFT_ISSUES["steps"] if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
VARIABLE_REFERENCE = re.compile(r"\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def test_mutation_testing_runs_every_mutant_weekly_and_on_demand_with_a_read_only_token():
    """Mutation testing is a tool, not a gate on each change (docs/testing.md): neither .ci/run nor the
    checks run it; the scheduled run reports in its summary, failing on an unexplained survivor."""
    workflow = load("mutation.yml")
    on = triggers(workflow)
    assert set(on) == {"schedule", "workflow_dispatch"}
    [schedule] = on["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "1"] and 0 < int(minute) < 60 and 0 <= int(hour) < 24
    assert workflow["permissions"] == {"contents": "read"}
    [job] = workflow["jobs"].values()
    assert "permissions" not in job and job["timeout-minutes"] <= 90
    lines = _run_lines("mutation.yml")
    assert ".venv/bin/python .ci/mutation 2>&1 | tee mutation.txt || status=$?" in lines and lines[-1] == 'exit "$status"'
    assert not [
        line
        for line in (GITHUB.parent / ".ci" / "run").read_text().splitlines()
        if ".ci/mutation" in line and not line.startswith("#")
    ]


def test_drift_runs_nightly_and_on_demand_only():
    """GitHub docs, "Events that trigger workflows": `schedule` runs on the default branch's last commit."""
    on = triggers(DRIFT)
    assert set(on) == {"schedule", "workflow_dispatch"}
    [schedule] = on["schedule"]
    minute, hour, *every = schedule["cron"].split()
    assert every == ["*", "*", "*"] and 0 <= int(minute) < 60 and 0 <= int(hour) < 24


def test_drift_waits_for_deployments_and_never_displaces_a_queued_one():
    """GitHub docs, "Control the concurrency of workflows and jobs": one running and, by default, one
    pending run per group, a newer one cancelling the pending one; `queue: max` (changelog 2026-05-07,
    only with cancel-in-progress false) keeps up to 100 pending runs in order instead."""
    assert DRIFT["concurrency"] == {
        "group": load("deploy.yml")["concurrency"]["group"],
        "cancel-in-progress": False,
        "queue": "max",
    }


def test_drift_previews_both_stacks_with_the_read_only_role_and_no_environment():
    """GitHub docs, OIDC reference: a job without an environment, not run for a pull request, gets the
    subject `repo:OWNER/REPO:ref:refs/heads/<branch>` (a job with one gets `...:environment:<name>`)."""
    assert DRIFT_PREVIEW["strategy"] == {"fail-fast": False, "matrix": {"stack": ["dev", "prod"]}}
    assert "environment" not in DRIFT_PREVIEW
    assert DRIFT_PREVIEW["permissions"] == {"contents": "read", "id-token": "write"}
    prepare = next(s for s in DRIFT_PREVIEW["steps"] if s.get("uses") == "./.github/actions/prepare-pulumi")
    assert prepare["with"] == {"role-arn": "${{ vars.AWS_DRIFT_ROLE_ARN }}", "region": "${{ vars.AWS_REGION }}"}
    assert DRIFT_RUN["env"]["STACK_NAME"] == "${{ vars.PULUMI_STACK_PREFIX }}${{ matrix.stack }}"


def test_outside_pull_requests_only_the_drift_previews_get_an_oidc_token_without_an_environment():
    """The drift role trusts `repo:OWNER/REPO:ref:refs/heads/main` (docs/ci.md): any other job of `main`
    that could ask for a token with that subject would hold the drift role too."""
    holders = []
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = load_yaml(path)
        if set(triggers(workflow)) == {"pull_request"}:
            continue  # subject `repo:OWNER/REPO:pull_request`
        for job_id, job in workflow["jobs"].items():
            if "uses" not in job and "environment" not in job and job_grants(workflow, job)["id-token"] >= LEVELS["write"]:
                holders.append(f"{path.name}:{job_id}")
    assert holders == ["drift.yml:preview"]


def test_drift_installs_a_cli_whose_exit_code_tells_drift_from_failure():
    """Pulumi docs, "Pulumi CLI Exit Codes": 7 when --expect-no-changes finds changes, from v3.226.1 on.
    pulumi/actions v7 (src/config.ts) only installs the CLI, in the given semver range, without `command`."""
    install = next(s for s in DRIFT_PREVIEW["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
    assert install["with"] == {"pulumi-version": "^3.226.1"}


def test_only_the_issue_job_writes_issues_and_it_holds_no_cloud_credentials():
    writers = [job_id for job_id, job in DRIFT["jobs"].items() if job_grants(DRIFT, job)["issues"] >= LEVELS["write"]]
    assert writers == ["issues"]
    assert DRIFT_ISSUES["permissions"] == {"issues": "write"}
    steps = DRIFT_ISSUES["steps"]
    assert not any("run" in s for s in steps)
    assert not any(s.get("uses", "").startswith(("actions/checkout", "./")) for s in steps)
    assert DRIFT_ISSUES["needs"] == "preview"


def test_the_issue_job_runs_after_a_failed_preview_but_not_after_a_cancelled_run():
    """GitHub docs, "Status check functions": without one, `if` means success(), which would skip the
    job whenever either stack's preview failed; !cancelled() runs it unless the run was cancelled."""
    assert DRIFT_ISSUES["if"] == "${{ !cancelled() }}"


def test_only_a_finished_preview_uploads_its_result_and_the_issue_job_reads_them_all_from_one_folder():
    """actions/download-artifact v7 (src/download-artifact.ts): one matching artifact lands in `path`
    itself, several in one folder each unless merge-multiple; merged, the files' names carry the stack."""
    upload = next(s for s in DRIFT_PREVIEW["steps"] if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "if" not in upload and "continue-on-error" not in DRIFT_RUN
    assert upload["with"]["name"] == "drift-${{ matrix.stack }}" and upload["with"]["path"] == "drift-result/"
    download = next(s for s in DRIFT_ISSUES["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["pattern"] == "drift-*" and download["with"]["merge-multiple"] is True
    script_step = next(s for s in DRIFT_ISSUES["steps"] if s.get("uses", "").startswith("actions/github-script@"))
    assert script_step["env"]["DRIFT_DIR"] == download["with"]["path"]


def test_every_repository_variable_a_workflow_reads_is_in_the_ci_set_up():
    text = "\n".join(p.read_text() for p in [*WORKFLOWS.glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")])
    used = set(VARIABLE_REFERENCE.findall(text))
    assert "AWS_DRIFT_ROLE_ARN" in used
    set_up = (GITHUB.parent / "docs" / "ci.md").read_text()
    assert {name for name in used if f"`{name}`" not in set_up} == set()


FAKE_PULUMI = """#!/bin/sh
echo "$*" >> "$PULUMI_CALLS"
case "$1" in
  login) exit "${LOGIN_EXIT:-0}" ;;
  preview) echo "~ aws:rds/cluster:Cluster: (update)"; echo "error text" >&2; exit "$PREVIEW_EXIT" ;;
esac
exit 99
"""


def run_preview_step(tmp_path: Path, preview_exit: int, backend_url: str = "s3://state", login_exit: int = 0):
    """The step's shell script as GitHub runs it (`bash -e`), with a stand-in `pulumi` on the PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pulumi"
    fake.write_text(FAKE_PULUMI)
    fake.chmod(0o755)
    (tmp_path / "step.sh").write_text(DRIFT_RUN["run"])
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PULUMI_CALLS": str(tmp_path / "calls"),
        "PREVIEW_EXIT": str(preview_exit),
        "LOGIN_EXIT": str(login_exit),
        "STACK": "dev",
        "STACK_NAME": "org/dev",
        "BACKEND_URL": backend_url,
    }
    completed = subprocess.run(["bash", "-e", "step.sh"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    calls = (tmp_path / "calls").read_text().splitlines() if (tmp_path / "calls").exists() else []
    return completed, calls, tmp_path / "drift-result"


@pytest.mark.subprocess
def test_the_preview_step_runs_a_refreshing_preview_that_expects_no_changes(tmp_path):
    completed, calls, _ = run_preview_step(tmp_path, 0)
    assert completed.returncode == 0, completed.stderr
    assert calls == [
        "login s3://state",
        "preview --stack org/dev --refresh --expect-no-changes --diff --non-interactive --color never",
    ]


@pytest.mark.subprocess
def test_the_preview_step_logs_in_to_pulumi_cloud_when_no_backend_url_is_set(tmp_path):
    _, calls, _ = run_preview_step(tmp_path, 0, backend_url="")
    assert calls[0] == "login"


@pytest.mark.subprocess
@pytest.mark.parametrize(("exit_code", "result"), [(0, "clean"), (7, "drift")])
def test_the_preview_step_records_clean_or_drift_with_the_preview(tmp_path, exit_code, result):
    completed, _, results = run_preview_step(tmp_path, exit_code)
    assert completed.returncode == 0, completed.stderr
    assert (results / "dev.result").read_text() == f"{result}\n"
    assert (results / "dev.txt").read_text() == "~ aws:rds/cluster:Cluster: (update)\nerror text\n"


@pytest.mark.subprocess
@pytest.mark.parametrize("exit_code", [1, 2, 3, 4, 6, 255])
def test_a_failed_preview_fails_the_step_and_records_no_result(tmp_path, exit_code):
    completed, _, results = run_preview_step(tmp_path, exit_code)
    assert completed.returncode == exit_code
    assert not (results / "dev.result").exists()
    assert f"failed (exit code {exit_code}): not drift" in completed.stdout


@pytest.mark.subprocess
def test_a_failed_login_fails_the_step_before_any_preview(tmp_path):
    completed, calls, results = run_preview_step(tmp_path, 0, login_exit=3)
    assert completed.returncode != 0
    assert calls == ["login s3://state"] and not results.exists()


# The issue script under Node, against a stand-in GitHub API that honours the listing's filters.
DRIFT_HARNESS = """
const fs = require('fs');
const scenario = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const calls = [];
const record = (name, data = {}) => async (args) => { calls.push([name, args]); return { data }; };
const github = {
  rest: {
    issues: {
      listForRepo: 'issues.listForRepo',
      getLabel: async (args) => {
        calls.push(['getLabel', args]);
        if (!scenario.labelExists) { const e = new Error('Not Found'); e.status = 404; throw e; }
        return { data: { name: args.name } };
      },
      createLabel: record('createLabel'),
      create: record('create', { number: 99 }),
      update: record('update'),
      createComment: record('createComment'),
    },
  },
  paginate: async (method, args) => {
    calls.push(['paginate ' + method, args]);
    return scenario.issues
      .filter(i => i.state === args.state && args.labels.split(',').every(l => i.labels.some(x => x.name === l)))
      .sort((a, b) => (args.direction === 'asc' ? a.number - b.number : b.number - a.number));
  },
};
const core = { info: (m) => calls.push(['info', m]), setFailed: (m) => calls.push(['setFailed', m]) };
const context = { repo: { owner: 'owner', repo: 'aurora' }, serverUrl: 'https://github.com', runId: 42 };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction('require', 'github', 'context', 'core', fs.readFileSync(process.argv[2], 'utf8'))(require, github, context, core)
  .catch((e) => calls.push(['threw', String(e)]))
  .then(() => console.log(JSON.stringify(calls)));
"""
RUN_URL = "https://github.com/owner/aurora/actions/runs/42"
DRIFT_LABEL = [{"name": "drift"}]


def drift_issue(number: int, stack: str, user: dict = BOT, state: str = "open", **extra) -> dict:
    return {"number": number, "title": f"Drift: {stack}", "state": state, "user": user, "labels": DRIFT_LABEL, **extra}


def run_drift_script(tmp_path: Path, results: dict[str, tuple[str, str]], issues: list, label_exists: bool = True) -> list:
    """The script's calls, given each finished stack's (result, preview) and the open issues."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (bash .ci/run installs it)")
    drift_dir = tmp_path / "drift"
    if results:
        drift_dir.mkdir()
    for stack, (result, preview) in results.items():
        (drift_dir / f"{stack}.result").write_text(f"{result}\n")
        (drift_dir / f"{stack}.txt").write_text(preview)
    (tmp_path / "script.js").write_text(DRIFT_SCRIPT)
    (tmp_path / "harness.js").write_text(DRIFT_HARNESS)
    (tmp_path / "scenario.json").write_text(json.dumps({"issues": issues, "labelExists": label_exists}))
    completed = subprocess.run(
        [node, str(tmp_path / "harness.js"), str(tmp_path / "script.js"), str(tmp_path / "scenario.json")],
        env={**os.environ, "DRIFT_DIR": str(drift_dir)},
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return json.loads(completed.stdout)


def issue_writes(calls: list) -> list:
    return [call for call in calls if call[0] in ("create", "update", "createComment", "createLabel", "setFailed", "threw")]


REPO = {"owner": "owner", "repo": "aurora"}
DIFF = "~ aws:rds/cluster:Cluster: (update)\n    - backupRetentionPeriod: 7\n    + backupRetentionPeriod: 1\n"


@pytest.mark.subprocess
def test_drift_opens_one_labelled_issue_for_the_stack_with_the_preview(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("drift", DIFF), "prod": ("clean", "")}, [])
    assert calls[0] == [
        "paginate issues.listForRepo",
        {**REPO, "state": "open", "labels": "drift", "sort": "created", "direction": "asc", "per_page": 100},
    ]
    [create] = [call for call in issue_writes(calls)]
    assert create[0] == "create"
    assert {key: create[1][key] for key in ("owner", "repo", "title", "labels")} == {
        **REPO,
        "title": "Drift: dev",
        "labels": ["drift"],
    }
    assert f"```text\n{DIFF.rstrip()}\n```" in create[1]["body"] and RUN_URL in create[1]["body"]


@pytest.mark.subprocess
def test_drift_creates_the_label_first_when_the_repository_lacks_it(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("drift", DIFF)}, [], label_exists=False)
    assert [call[0] for call in issue_writes(calls)] == ["createLabel", "create"]
    assert issue_writes(calls)[0][1]["name"] == "drift"


@pytest.mark.subprocess
def test_drift_updates_the_open_issue_instead_of_opening_another(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("drift", DIFF)}, [drift_issue(5, "dev")])
    [update] = issue_writes(calls)
    assert update[0] == "update" and update[1]["issue_number"] == 5 and DIFF.rstrip() in update[1]["body"]
    assert "state" not in update[1]


@pytest.mark.subprocess
def test_drift_updates_the_oldest_when_duplicates_exist_and_opens_none(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("drift", DIFF)}, [drift_issue(9, "dev"), drift_issue(4, "dev")])
    assert [(call[0], call[1]["issue_number"]) for call in issue_writes(calls)] == [("update", 4)]


@pytest.mark.subprocess
def test_drift_ignores_issues_that_only_copy_the_title_and_label_and_closed_ones(tmp_path):
    someone = {"login": "someone", "type": "User"}
    issues = [
        drift_issue(1, "dev", user=someone),
        drift_issue(7, "dev", user={"login": "dependabot[bot]", "type": "Bot"}),
        drift_issue(2, "dev", state="closed"),
        drift_issue(3, "dev", pull_request={"url": "..."}),
        drift_issue(4, "prod"),
        {**drift_issue(6, "dev"), "labels": []},
    ]
    calls = run_drift_script(tmp_path, {"dev": ("drift", DIFF)}, issues)
    assert [call[0] for call in issue_writes(calls)] == ["create"]


@pytest.mark.subprocess
def test_a_clean_stack_closes_its_issue_with_a_comment(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("clean", ""), "prod": ("clean", "")}, [drift_issue(5, "dev")])
    comment, close = issue_writes(calls)
    assert comment == [
        "createComment",
        {**REPO, "issue_number": 5, "body": f"Stack `dev` is clean again: the preview in {RUN_URL} proposes no changes."},
    ]
    assert close == ["update", {**REPO, "issue_number": 5, "state": "closed", "state_reason": "completed"}]


@pytest.mark.subprocess
def test_a_clean_stack_without_an_issue_writes_nothing(tmp_path):
    assert (
        issue_writes(
            run_drift_script(
                tmp_path,
                {"dev": ("clean", ""), "prod": ("clean", "")},
                [drift_issue(4, "prod", user={"login": "x", "type": "User"})],
            )
        )
        == []
    )


@pytest.mark.subprocess
def test_a_failed_preview_neither_opens_nor_closes_an_issue(tmp_path):
    """The failed stack uploaded no result: its open issue stays as it is, and nothing is opened."""
    calls = run_drift_script(tmp_path, {"prod": ("clean", "")}, [drift_issue(5, "dev")])
    assert issue_writes(calls) == []


@pytest.mark.subprocess
def test_when_both_previews_failed_the_script_reads_no_issue_and_writes_none(tmp_path):
    calls = run_drift_script(tmp_path, {}, [drift_issue(5, "dev")])
    assert calls == [["info", "No preview finished: no issue to open, update or close."]]


@pytest.mark.subprocess
def test_a_result_that_is_neither_clean_nor_drift_fails_the_job_and_writes_nothing(tmp_path):
    calls = run_drift_script(tmp_path, {"dev": ("error", "")}, [drift_issue(5, "dev")])
    assert issue_writes(calls) == [["setFailed", 'dev.result in the artifact holds "error", not clean or drift.']]


@pytest.mark.subprocess
def test_the_issue_fences_the_preview_beyond_its_own_backticks_and_keeps_the_end_of_a_long_one(tmp_path):
    preview = "x" * 70000 + "\n```\nResources: 1 to update\n"
    [create] = issue_writes(run_drift_script(tmp_path, {"dev": ("drift", preview)}, []))
    body = create[1]["body"]
    assert "````text\n(cut: the start is in the run's log)\n" in body
    assert body.endswith("Resources: 1 to update\n````\n\n</details>")
    assert len(body) < 65536  # GitHub's limit on an issue body
