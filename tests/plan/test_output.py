"""The offline plan's output in `pulumi preview`'s shape: type tokens, step symbols, the `Resources:`
summary, old => new values with secrets masked, data-loss warnings first, lines that fit, the tree
of a stack, and a stack file's YAML error as one line; then the command end to end: a program that
refuses its configuration or fails, `--diff` against a real git revision (in a child process), and
the exit codes.

Pulumi's conventions are taken from the Pulumi CLI's source (github.com/pulumi/pulumi):
- `sdk/go/common/tokens/tokens.go`, `Type.DisplayName` (and its cases in `tokens_test.go`);
- `pkg/resource/deploy/step.go`, `RawPrefix` (step symbols) and `StepOps` (their order);
- `pkg/backend/display/diff.go`, `renderSummaryEvent` (`Resources:`, `+ 3 to create`, `N changes`,
  `20 unchanged`), counting logical steps only (`pkg/engine/update.go`, `OnResourceStepPost`), so a
  replacement is one `+-`, not a `++` and a `--`;
- `pkg/backend/display/object_diff.go`, `printPrimitivePropertyValue` (`old => new`, `[secret]`,
  `(json)` for JSON text).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi.runtime.rpc import wrap_rpc_secret

from plan import cli, diff, text, tree
from plan.engine import PROJECT_ROOT, StackFileError, stack_config
from plan.snapshot import Snapshot, display_type, take
from tests.plan.helpers import CLUSTER, resource


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("aws:rds/cluster:Cluster", "aws:rds:Cluster"),
        ("aws:rds/clusterInstance:ClusterInstance", "aws:rds:ClusterInstance"),
        ("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc:SecurityGroupIngressRule"),
        # The cases of Pulumi's own TestTypeDisplayName.
        ("pkg:mod/foo/bar:Bar", "pkg:mod/foo:Bar"),
        ("pkg:mod/foo/bar/baz:Baz", "pkg:mod/foo/bar:Baz"),
        ("pkg:Mod/foo:typ", "pkg:Mod/foo:typ"),
        ("pkg:mod:typ", "pkg:mod:typ"),
        ("pkg:mod:", "pkg:mod:"),
        ("incomplete", "incomplete"),
        # Components and dynamic resources have no file part: kept whole.
        ("aurora:database:AuroraCluster", "aurora:database:AuroraCluster"),
        ("pulumi-python:dynamic:Resource", "pulumi-python:dynamic:Resource"),
    ],
)
def test_type_tokens_are_shortened_by_pulumis_display_rule(token, shown):
    """`Type.DisplayName` in pulumi/pulumi sdk/go/common/tokens/tokens.go: drop the module's last
    `/` part when it is the type name with a lower-case first letter."""
    assert display_type(token) == shown


def test_the_summary_counts_steps_in_pulumis_order_with_its_symbols():
    """`RawPrefix` and `StepOps` (pkg/resource/deploy/step.go), `renderSummaryEvent`
    (pkg/backend/display/diff.go): create, update, delete, replace; a total when two kinds or more."""
    group = "aws:rds/subnetGroup:SubnetGroup"
    old = Snapshot(
        "prod",
        "",
        [
            resource(CLUSTER, "db", {"clusterIdentifier": "a"}),
            resource(group, "net", {"subnetIds": ["a"]}),
            resource(group, "gone", {}),
            resource(group, "same", {}),
        ],
    )
    new = Snapshot(
        "prod",
        "",
        [
            resource(CLUSTER, "db", {"clusterIdentifier": "b"}),
            resource(group, "net", {"subnetIds": ["a", "b"]}),
            resource(group, "same", {}),
            resource(group, "added", {}),
        ],
    )
    changes = diff.compare(old, new)
    assert diff.summary(changes, diff.unchanged_count(old, new, changes)) == (
        "Resources: + 1 to create, ~ 1 to update, - 1 to delete, +-1 to replace, 4 changes, 1 unchanged"
    )
    assert [change.lines()[0] for change in changes] == [
        "+- aws:rds:Cluster db  replace",
        "-  aws:rds:SubnetGroup gone  delete",
        "~  aws:rds:SubnetGroup net  update",
        "+  aws:rds:SubnetGroup added  create",
    ]


def test_one_kind_of_change_has_no_total_and_no_change_says_unchanged():
    replaced = [diff.Change("replace", resource(CLUSTER, "db", {}))]
    assert diff.summary(replaced, 20) == "Resources: +-1 to replace, 20 unchanged"
    assert diff.summary([], 24) == "Resources: 24 unchanged"


def test_two_kinds_of_change_already_get_the_total():
    group = "aws:rds/subnetGroup:SubnetGroup"
    changes = [diff.Change("create", resource(group, "added", {})), diff.Change("update", resource(group, "net", {}))]
    assert diff.summary(changes, 0) == "Resources: + 1 to create, ~ 1 to update, 2 changes"


def test_created_resources_do_not_lower_the_unchanged_count():
    group = "aws:rds/subnetGroup:SubnetGroup"
    kept = [resource(group, "same", {}), resource(group, "other", {})]
    old = Snapshot("prod", "", [resource(group, "net", {"subnetIds": ["a"]}), *kept])
    new = Snapshot(
        "prod",
        "",
        [resource(group, "net", {"subnetIds": ["b"]}), *kept, resource(group, "added", {}), resource(group, "added-too", {})],
    )
    changes = diff.compare(old, new)
    assert sorted(change.kind for change in changes) == ["create", "create", "update"]
    assert diff.unchanged_count(old, new, changes) == 2


def test_changed_properties_show_old_and_new_values():
    old = Snapshot("prod", "", [resource(CLUSTER, "db", {"backupRetentionPeriod": 7.0, "backtrackWindow": 0.0})])
    new = Snapshot("prod", "", [resource(CLUSTER, "db", {"backupRetentionPeriod": 14.0, "engineVersion": "8.0"})])
    [change] = diff.compare(old, new)
    assert change.lines() == [
        "~  aws:rds:Cluster db  update",
        "     - backtrackWindow: 0",
        "     ~ backupRetentionPeriod: 7 => 14",
        '     + engineVersion: "8.0"',
    ]


def test_secrets_are_masked_in_changes_and_in_the_tree():
    old = Snapshot("prod", "", [resource(CLUSTER, "db", {"masterPassword": wrap_rpc_secret("old-password")})])
    new_inputs = {"masterPassword": wrap_rpc_secret("new-password"), "engineVersion": wrap_rpc_secret("hidden-version")}
    new = Snapshot("prod", "us-east-1", [resource(CLUSTER, "db", new_inputs)])
    [change] = diff.compare(old, new)
    lines = change.lines()
    assert "     ~ masterPassword: [secret] => [secret]" in lines
    assert "     + engineVersion: [secret]" in lines
    rendered = "\n".join(lines + tree.render(new))
    assert "engineVersion=[secret]" in rendered  # a setting the tree shows
    assert "password" not in rendered.replace("masterPassword", "")
    assert "hidden-version" not in rendered


def _policy(actions: list[str]) -> str:
    statements = [{"Sid": f"Statement{i}", "Effect": "Allow", "Action": [f"rds:Describe{i}"], "Resource": "*"} for i in range(8)]
    statements.append({"Sid": "Changed", "Effect": "Allow", "Action": actions, "Resource": "*"})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def test_a_long_policy_change_fits_the_width_and_shows_where_it_differs():
    old = Snapshot("prod", "", [resource("aws:iam/rolePolicy:RolePolicy", "p", {"policy": _policy(["rds:StartDBCluster"])})])
    new = Snapshot("prod", "", [resource("aws:iam/rolePolicy:RolePolicy", "p", {"policy": _policy(["rds:DeleteDBCluster"])})])
    assert len(_policy(["rds:StartDBCluster"])) > 400
    [change] = diff.compare(old, new)
    lines = change.lines()
    assert max(len(line) for line in lines) <= text.MAX_WIDTH
    assert lines[1] == "     ~ policy:"
    # Cut between words, each side saying what it leaves out.
    assert '(660 characters before) ... {Action: ["rds:StartDBCluster"], ' in lines[2]
    assert lines[3].strip().startswith('=> (660 characters before) ... {Action: ["rds:DeleteDBCluster"], ')
    assert lines[2].endswith(" ... and 2 more items") and lines[3].endswith(" ... and 2 more items")


def test_json_text_is_shown_decoded_as_pulumi_shows_it():
    assert text.shown('{"b": 1.0, "a": ["x"]}') == '(json) {a: ["x"], b: 1}'
    assert text.shown("{not json") == '"{not json"'


def test_an_added_value_forcing_replacement_is_cut_to_leave_room_for_the_note():
    [line] = diff.value_lines("engine", {}, {"engine": "x" * 200}, True)
    # One word longer than the line: its start, and how much of it is left out.
    assert line == '     + engine: "' + "x" * 38 + "... (163 more characters) [forces replacement]"
    assert len(line) == text.MAX_WIDTH


def test_a_change_exactly_as_wide_as_the_plan_stays_on_one_line():
    before, after = "a" * 41, "b" * 41
    lines = diff.value_lines("k", {"k": before}, {"k": after}, False)
    assert lines == [f'     ~ k: "{before}" => "{after}"']
    assert len(lines[0]) == text.MAX_WIDTH


def test_a_change_wider_than_the_plan_puts_the_arrow_under_the_old_value():
    before, after = "a" * 50, "b" * 50
    assert diff.value_lines("k", {"k": before}, {"k": after}, False) == [
        "     ~ k:",
        f'          "{before}"',
        f'       => "{after}"',
    ]


def test_a_long_list_is_cut_between_items_and_counts_the_rest():
    value = ["audit", "error", "general", "slowquery"]
    assert text.truncated(text.shown(value), 39) == '["audit", "error", ... and 2 more items'


def test_a_long_sentence_is_cut_between_words_and_counts_the_rest():
    cut = text.truncated("the quick brown fox jumps over the lazy dog", 34)
    assert cut == "the quick ... (33 more characters)"


def test_a_difference_deep_in_a_list_names_the_items_left_out_before_it():
    old = [{"name": f"parameter_{i}", "value": "1"} for i in range(8)]
    new = [*old[:5], {"name": "parameter_5", "value": "2"}, *old[6:]]
    before, after = text.around_first_difference(text.shown(old), text.shown(new), 80)
    assert before.startswith('(5 items before) ... {name: "parameter_5", value: "1"}')
    assert after.startswith('(5 items before) ... {name: "parameter_5", value: "2"}')
    assert before.endswith(" more items") and len(before) <= 80


def test_the_tree_wraps_a_long_setting_without_losing_any_of_it():
    long_name = "/aws/rds/cluster/" + "x" * 150
    subnets = [f"subnet-{i:017x}" for i in range(8)]
    snapshot = Snapshot(
        "prod",
        "us-east-1",
        [
            resource("aws:cloudwatch/logGroup:LogGroup", "log", {"name": long_name, "retentionInDays": 90.0}),
            resource("aws:rds/subnetGroup:SubnetGroup", "net", {"subnetIds": subnets}),
        ],
    )
    lines = tree.render(snapshot)
    assert max(len(line) for line in lines) <= text.MAX_WIDTH
    joined = "".join(line.strip() for line in lines)
    assert f"name={long_name}" in joined
    assert "retentionInDays=90" in joined
    assert f"subnetIds=[{', '.join(subnets)}]".replace(" ", "") in joined.replace(" ", "")


@pytest.mark.engine
def test_tree_shows_components_and_what_reviewers_check(prod_snapshot):
    lines = tree.render(prod_snapshot)
    assert lines[0] == "Stack prod (us-east-1): 26 resources"
    assert "  aurora:index:AuroraCluster database" in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("    aws:rds:Cluster database-cluster"))  # a child
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("        "))
    cluster = " ".join(lines[start:end])  # its settings wrap onto lines of their own
    for shown in (
        "clusterIdentifier=aurora-prod",
        "storageEncrypted=true",
        "deletionProtection=true",
        "backtrackWindow=86400",
        "[protect]",
        "[ignores availabilityZones, performanceInsightsKmsKeyId, engineLifecycleSupport,",
        "snapshotIdentifier]",
    ):
        assert shown in cluster
    snapshot_at = next(i for i, line in enumerate(lines) if "aws:rds:ClusterSnapshot promotion-snapshot" in line)
    snapshot_end = next((i for i in range(snapshot_at + 1, len(lines)) if not lines[i].startswith("        ")), len(lines))
    snapshot_line = " ".join(lines[snapshot_at:snapshot_end])
    assert "dbClusterIdentifier=<organization/aurora/dev:clusterIdentifier>" in snapshot_line
    assert "[retain on delete]" in snapshot_line


@pytest.mark.engine
def test_every_line_of_the_plan_fits_the_stated_width(capsys):
    assert cli.main(["dev", "prod"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 60
    assert max(len(line) for line in lines) <= text.MAX_WIDTH
    assert "    aws:rds:Cluster database-cluster  clusterIdentifier=aurora-prod" in lines


def test_the_markdown_comment_opens_with_the_data_loss_warnings():
    losing = diff.Change("delete", resource(CLUSTER, "db", {}, protect=True))
    plans = [
        cli.StackPlan("dev", ["Stack dev (us-east-1): 27 resources"]),
        cli.StackPlan("prod", ["Changes to prod since main:", "Resources: - 1 to delete"], losing=[losing]),
    ]
    lines = cli.render_markdown(plans).splitlines()
    assert lines[:6] == [
        "## Offline plan",
        "",
        "> [!WARNING]",
        "> 1 change(s) would replace or delete a stateful resource (its data would be lost):",
        ">",
        "> - `prod` `-  aws:rds:Cluster db`: data would be deleted; it is protected, so pulumi up would refuse",
    ]
    prod_section = lines.index("### `prod`")
    assert lines[prod_section + 2 : prod_section + 5] == ["```text", "Changes to prod since main:", "Resources: - 1 to delete"]


@pytest.mark.engine
def test_the_markdown_comment_opens_with_what_could_not_be_planned():
    dev = cli.plan_stack("dev", Snapshot("dev", "", [], error="Pulumi.dev.yaml:3: bad"), "main")
    prod = cli.StackPlan("prod", ["Stack prod: refused: the stack configuration is invalid"], failed=True)
    prod.incomplete = prod.lines[0]
    lines = cli.render_markdown([dev, prod]).splitlines()
    assert lines[2:7] == [
        "> [!CAUTION]",
        "> The plan is incomplete:",
        ">",
        "> - Cannot compare dev with main: Pulumi.dev.yaml:3: bad",
        "> - Stack prod: refused: the stack configuration is invalid",
    ]


def test_no_warning_block_when_nothing_would_be_lost():
    markdown = cli.render_markdown([cli.StackPlan("dev", ["Resources: 27 unchanged"])])
    assert "[!WARNING]" not in markdown and "[!CAUTION]" not in markdown


def test_a_yaml_error_in_a_stack_file_is_one_line_naming_file_and_line(tmp_path):
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n   aurora:clusterName: x\n")
    with pytest.raises(StackFileError) as raised:
        stack_config("bad", tmp_path)
    assert str(raised.value) == "Pulumi.bad.yaml:3: mapping values are not allowed here"


def test_an_unclosed_list_names_where_it_was_opened(tmp_path):
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aurora:logExports: [error, slowquery\n  aws:region: us-east-1\n")
    with pytest.raises(StackFileError) as raised:
        stack_config("bad", tmp_path)
    assert str(raised.value) == ("Pulumi.bad.yaml:3: expected ',' or ']', but got ':' (while parsing a flow sequence at line 2)")


def test_a_stack_file_without_a_config_mapping_is_refused(tmp_path):
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  - aws:region\n")
    with pytest.raises(StackFileError, match=r"^Pulumi\.bad\.yaml: expected a mapping with a `config:` mapping"):
        stack_config("bad", tmp_path)


@pytest.mark.subprocess
def test_the_plan_command_reports_a_yaml_error_without_a_traceback(tmp_path):
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    for package in ("awscalls", "awsfacts", "settings", "plan", "components", "ops"):
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n   aurora:clusterName: x\n")
    completed = subprocess.run([sys.executable, "-m", "plan", "bad"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert completed.returncode == cli.EXIT_PROGRAM_FAILS
    assert completed.stdout == "Stack bad: refused: Pulumi.bad.yaml:3: mapping values are not allowed here\n"
    assert "Traceback" not in completed.stderr


def test_the_comment_reports_a_yaml_error_in_one_line(tmp_path, monkeypatch, capsys):
    """In process (the command itself runs end to end above): the stack file is read before any engine starts."""
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n   aurora:clusterName: x\n")
    monkeypatch.setattr(cli, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(cli, "take", lambda stack: take(stack, tmp_path))
    assert cli.main(["bad", "--markdown"]) == cli.EXIT_PROGRAM_FAILS
    markdown = capsys.readouterr().out
    assert "> - Stack bad: refused: Pulumi.bad.yaml:3: mapping values are not allowed here\n" in markdown


@pytest.mark.engine
def test_the_offline_plan_page_shows_the_current_diff_output(tmp_path):
    """The example in docs/offline-plan.md: `Pulumi.prod.yaml` with a second reader, 14 days of backups and no
    `general` log export, against the committed one."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    stack_file = (PROJECT_ROOT / "Pulumi.prod.yaml").read_text()
    for old, new in (("readers: 1\n", "readers: 2\n"), ("Days: 7\n", "Days: 14\n"), ("    - general\n", "")):
        assert stack_file.count(old) == 1
        stack_file = stack_file.replace(old, new)
    (tmp_path / "Pulumi.prod.yaml").write_text(stack_file)
    before, after = take("prod"), take("prod", tmp_path)
    assert after.error is None
    changes = diff.compare(before, after)
    rendered = diff.render(changes, diff.unchanged_count(before, after, changes), "HEAD", "prod")

    page = (PROJECT_ROOT / "docs" / "offline-plan.md").read_text()
    example = page[page.index("```text\nChanges to prod since HEAD:\n") :].split("\n```", 1)[0]
    assert example.splitlines()[1 : len(rendered) + 1] == rendered


REFUSAL = (
    "refused: the stack configuration is invalid; nothing was created or changed:\n"
    "  - aurora:capacityType: must be one of serverless-v2, provisioned\n"
    "  - aurora:readers: must be at least 0"
)


def test_a_refused_configuration_prints_one_bullet_per_problem():
    lines = tree.render(Snapshot("bad", "", [], error=REFUSAL))
    assert lines == [
        "Stack bad: refused: the stack configuration is invalid; nothing was created or changed:",
        "  - aurora:capacityType: must be one of serverless-v2, provisioned",
        "  - aurora:readers: must be at least 0",
    ]


@pytest.mark.engine
def test_a_refused_configuration_is_one_bullet_per_problem_in_the_comment_too():
    failed = cli.StackPlan("bad", tree.render(Snapshot("bad", "", [], error=REFUSAL)), failed=True)
    failed.incomplete = "\n".join(failed.lines)
    compared = cli.plan_stack("dev", Snapshot("dev", "", [], error=REFUSAL), "main")
    lines = cli.render_markdown([failed, compared]).splitlines()
    assert "> - Stack bad: refused: the stack configuration is invalid;" in lines[5]
    assert lines[6:8] == [
        ">   - aurora:capacityType: must be one of serverless-v2, provisioned",
        ">   - aurora:readers: must be at least 0",
    ]
    assert lines[8].startswith("> - Cannot compare dev with main: refused:") and lines[9].startswith(">   - aurora:")


@pytest.mark.engine
def test_a_program_that_refuses_its_configuration_is_reported(tmp_path):
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n  aurora:capacityType: serverless-v1\n")
    snapshot = take("bad", tmp_path)
    assert snapshot.resources == []
    assert snapshot.error.startswith("refused: the stack configuration is invalid")
    assert tree.render(snapshot)[0] == ("Stack bad: refused: the stack configuration is invalid; nothing was created or changed:")


@pytest.mark.engine
def test_a_program_that_fails_otherwise_is_reported_as_a_defect_naming_the_exception(tmp_path):
    """Only a refusal reads as one: any other failure may come after resources were declared, and its
    exception class is what a report of the defect needs."""
    shutil.copy(PROJECT_ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "__main__.py").write_text("raise KeyError('writer')\n")
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aws:region: us-east-1\n")
    snapshot = take("bad", tmp_path)
    assert tree.render(snapshot) == [
        "Stack bad: the program stopped on an unexpected KeyError (a defect: please report it): 'writer'"
    ]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.subprocess
def test_plan_command_diffs_against_a_git_revision(tmp_path):
    """A copy of the project in its own repository: rename the prod cluster, then plan against HEAD."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    for package in ("awscalls", "awsfacts", "settings", "components", "ops", "plan", "sql"):
        shutil.copytree(PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "base")
    prod_file = tmp_path / "Pulumi.prod.yaml"
    prod_file.write_text(prod_file.read_text().replace("config:\n", "config:\n  aurora:clusterName: aurora-production\n", 1))

    completed = subprocess.run(
        [sys.executable, "-m", "plan", "prod", "--diff", "HEAD", "--strict", "--markdown"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 3, completed.stderr
    output = completed.stdout
    assert output.startswith("## Offline plan\n")
    assert "### `prod`" in output
    assert "> 5 change(s) would replace or delete a stateful resource (its data would be lost):" in output
    # The retained promotion snapshot keeps its name (ignore_changes): never replaced by a rename.
    assert "promotion-snapshot  replace" not in output
    cluster = output[output.index("+- aws:rds:Cluster database-cluster  replace\n") :].split("\n+- ", 1)[0]
    assert '     ~ clusterIdentifier: "aurora-prod" => "aurora-production" [forces replacement]\n' in cluster
    assert '     ~ finalSnapshotIdentifier: "aurora-prod-final-0a1b2c3d" => "aurora-production-final-0a1b2c3d"\n' in cluster
    assert "     STATEFUL: a new, empty resource would replace it; it is protected, so pulumi up would refuse" in cluster


def _fake_snapshots(monkeypatch, current: Snapshot, old: Snapshot) -> None:
    """`main` with the engine and git answered by fixed snapshots (the exit code is the point)."""
    monkeypatch.setattr(cli, "take", lambda stack: current)
    monkeypatch.setattr(cli, "start_in_child", lambda stack, root: lambda: old)
    monkeypatch.setattr(cli, "checkout", lambda ref, into: None)


KEPT = Snapshot("prod", "us-east-1", [resource(CLUSTER, "db", {"clusterIdentifier": "a"})])
RENAMED = Snapshot("prod", "us-east-1", [resource(CLUSTER, "db", {"clusterIdentifier": "b"})])


@pytest.mark.parametrize(
    ("current", "argv", "code"),
    [
        (KEPT, ["prod", "--diff", "main", "--strict"], cli.EXIT_PLANNED),
        (RENAMED, ["prod", "--diff", "main"], cli.EXIT_PLANNED),  # data loss, but not --strict
        (RENAMED, ["prod", "--diff", "main", "--strict"], cli.EXIT_STATEFUL_CHANGE),
        (Snapshot("prod", "", [], error=REFUSAL), ["prod", "--diff", "main", "--strict"], cli.EXIT_PROGRAM_FAILS),
    ],
)
def test_the_exit_code_is_the_documented_one(monkeypatch, capsys, current, argv, code):
    _fake_snapshots(monkeypatch, current, KEPT)
    assert cli.main(argv) == code
    assert capsys.readouterr().out.startswith("Changes to prod since main:" if current.resources else "Stack prod:")


def test_a_failed_stack_wins_over_data_loss_elsewhere(monkeypatch, capsys):
    snapshots = {"dev": Snapshot("dev", "", [], error=REFUSAL), "prod": RENAMED}
    monkeypatch.setattr(cli, "take", lambda stack: snapshots[stack])
    monkeypatch.setattr(cli, "start_in_child", lambda stack, root: lambda: KEPT)
    monkeypatch.setattr(cli, "checkout", lambda ref, into: None)
    assert cli.main(["dev", "prod", "--diff", "main", "--strict"]) == cli.EXIT_PROGRAM_FAILS
    assert "STATEFUL" in capsys.readouterr().out


def test_an_unknown_stack_exits_1_before_anything_runs(monkeypatch, capsys):
    _fake_snapshots(monkeypatch, KEPT, KEPT)
    assert cli.main(["dev", "no-such-stack"]) == cli.EXIT_PROGRAM_FAILS
    output = capsys.readouterr()
    assert output.out == "" and output.err.startswith("error: stack 'no-such-stack': no Pulumi.no-such-stack.yaml")


@pytest.mark.subprocess
def test_an_unknown_revision_exits_2(capsys):
    assert cli.main(["dev", "--diff", "no-such-revision"]) == cli.EXIT_BAD_REVISION
    output = capsys.readouterr()
    assert output.err.startswith("error: --diff no-such-revision: not a git revision here")
    assert output.out == ""


def test_the_offline_plan_page_documents_these_exit_codes():
    page = " ".join((PROJECT_ROOT / "docs" / "offline-plan.md").read_text().split())
    documented = page[page.index("- Exit codes") :]
    assert f"{cli.EXIT_PLANNED} (planned)" in documented
    assert f"{cli.EXIT_PROGRAM_FAILS} (the program fails for a stack" in documented
    assert f"{cli.EXIT_BAD_REVISION} (`--diff` names no git revision" in documented
    assert f"{cli.EXIT_STATEFUL_CHANGE} (`--strict` and data would be lost)" in documented
