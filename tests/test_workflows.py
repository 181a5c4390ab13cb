"""The GitHub Actions workflows, read as data: what gates what, where credentials come from, and
that the job that holds a write token never runs a fork's code. (GitHub itself cannot run here.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

GITHUB = Path(__file__).resolve().parent.parent / ".github"
# Node 20 left GitHub's runners in September 2026: every JavaScript action must be a Node 24 major.
NODE24_MAJORS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v7",
    "actions/github-script": "v8",
    "aws-actions/configure-aws-credentials": "v6",
    "pulumi/actions": "v7",
}


def load(name: str) -> dict:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text())


def all_steps() -> list[tuple[str, dict]]:
    found = []
    for path in [*(GITHUB / "workflows").glob("*.yml"), *(GITHUB / "actions").glob("*/action.yml")]:
        document = yaml.safe_load(path.read_text())
        jobs = document.get("jobs", {})
        step_lists = [job.get("steps", []) for job in jobs.values()] or [document.get("runs", {}).get("steps", [])]
        found += [(path.name, step) for steps in step_lists for step in steps]
    return found


def test_every_action_is_a_node24_major_or_local():
    used = [step["uses"] for _, step in all_steps() if "uses" in step]
    assert used, "no actions found"
    for reference in used:
        if reference.startswith("./"):
            assert (GITHUB.parent / reference / "action.yml").exists(), reference
            continue
        action, version = reference.split("@")
        assert NODE24_MAJORS.get(action) == version, reference


def test_no_stored_aws_keys_anywhere():
    text = "\n".join(p.read_text() for p in GITHUB.rglob("*.yml"))
    assert not re.search(r"AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id", text)
    assert "role-to-assume" in text


def test_pull_requests_preview_both_stacks_after_the_offline_checks():
    workflow = load("pull-request.yml")
    jobs = workflow["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/checks.yml"
    preview = jobs["preview"]
    assert preview["needs"] == "checks" and jobs["offline-plan"]["needs"] == "checks"
    assert preview["strategy"]["matrix"]["stack"] == ["dev", "prod"]
    assert preview["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert preview["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    pulumi = next(s for s in preview["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["comment-on-pr"] is True and pulumi["with"]["edit-pr-comment"] is True
    assert pulumi["with"]["cloud-url"] == "${{ vars.PULUMI_BACKEND_URL }}"


def test_checks_run_the_ci_script():
    steps = load("checks.yml")["jobs"]["checks"]["steps"]
    assert {"run": ".ci/run"} in steps


def test_merge_deploys_dev_then_prod_behind_its_environment():
    jobs = load("deploy.yml")["jobs"]
    assert jobs["up-dev"]["needs"] == "checks"
    assert jobs["up-prod"]["needs"] == "up-dev"
    assert jobs["up-dev"]["with"] == {"stack": "dev", "environment": "dev"}
    assert jobs["up-prod"]["with"] == {"stack": "prod", "environment": "production"}
    up = load("deploy-stack.yml")["jobs"]["up"]
    assert up["environment"] == "${{ inputs.environment }}"
    pulumi = next(s for s in up["steps"] if s.get("uses", "").startswith("pulumi/actions"))
    assert pulumi["with"]["command"] == "up" and pulumi["with"]["policyPacks"] == "policy"


@pytest.mark.parametrize("name", ["offline-plan-comment.yml"])
def test_the_job_with_a_write_token_never_runs_fork_code(name):
    workflow = load(name)
    # PyYAML reads the bare key `on` as True.
    assert workflow[True] == {"workflow_run": {"workflows": ["Pull request"], "types": ["completed"]}}
    steps = workflow["jobs"]["comment"]["steps"]
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps)
    assert not any("run" in s for s in steps)
    script = next(s for s in steps if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert "head_sha" in script  # the pull request comes from the event, not from the artifact
