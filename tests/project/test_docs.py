"""The documentation as a reader meets it: a README short enough to be a front door, pages that
each say what they are about, and links that lead somewhere (a file that exists, a heading it has).

Anchors are GitHub's: the heading text lower-cased, punctuation other than `-` and `_` dropped,
spaces turned into hyphens, and `-1`, `-2`... appended to repeats (github/cmark-gfm's
`extensions/autolink` and GitHub's documented "Section links" behaviour)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plan.engine import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
DOCS = sorted((PROJECT_ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS, PROJECT_ROOT / "examples" / "README.md"]
FENCE = re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^(#{1,6}) +(.+?) *$", re.MULTILINE)


def prose(path: Path) -> str:
    """The page without its fenced code blocks, where `#` lines and brackets are code, not Markdown."""
    return FENCE.sub("", path.read_text())


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for _, text in HEADING.findall(prose(path)):
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def relative_links(path: Path) -> list[str]:
    return [target for target in LINK.findall(prose(path)) if not re.match(r"^[a-z]+:", target)]


def test_the_readme_is_under_200_lines():
    assert len(README.read_text().splitlines()) < 200


def test_the_readme_heading_the_two_commands_sits_over_exactly_two_commands():
    section = README.read_text().split("\n## The two commands\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    assert blocks == ["pulumi up -s dev\n", "uv sync --locked && .venv/bin/python -m pytest\n"]


def test_the_anchor_rule_matches_githubs_for_code_and_punctuation(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n## Sample data and the `ops seed` command\n\n## Notes\n\n## Notes\n\n```sh\n# not a heading\n```\n"
    )
    assert anchors(page) == {"title", "sample-data-and-the-ops-seed-command", "notes", "notes-1"}


def broken_links(path: Path) -> list[str]:
    """The relative links of `path` whose file does not exist, or whose `#anchor` is no heading there."""
    broken = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        exists = destination.exists()
        if not exists or (anchor and (destination.suffix != ".md" or anchor not in anchors(destination))):
            broken.append(target)
    return broken


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_every_relative_link_leads_to_an_existing_file_and_heading(path):
    assert broken_links(path) == []


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## Present\n")
    page = tmp_path / "page.md"
    page.write_text("[a](other.md#present) [b](missing.md) [c](other.md#absent) [d](https://example.com/x) [e](#other)\n")
    assert broken_links(page) == ["missing.md", "other.md#absent", "#other"]


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(README.parent / target.partition("#")[0]).resolve() for target in relative_links(README)}
    assert [page.name for page in DOCS if page.resolve() not in linked] == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_docs_page_opens_with_a_title_and_a_short_intro(path):
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# ") and lines[1] == ""
    intro = lines[2 : lines.index("", 2)]
    assert 1 <= len(intro) <= 8 and not intro[0].startswith(("#", "|", "```", "-", "<!--"))


def test_the_configuration_reference_is_one_contiguous_table_under_settings():
    """The generator (settings/reference.py) replaces this table between its two marker comments;
    it must find one table, whole, under `## Settings`."""
    text = (PROJECT_ROOT / "docs" / "configuration.md").read_text()
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0].strip().splitlines()
    markers = [line for line in section if line.startswith("<!--")]
    assert len(markers) == 2 and section[0] == markers[0] and section[-1] == markers[1]
    section = section[1:-1]
    assert section[0].startswith("| Key |") and all(line.startswith("|") for line in section)
    assert {"`capacityType`", "`network`", "`disasterRecovery`", "`appUser`"} <= {
        row.split("|")[1].strip() for row in section[2:]
    }


def test_no_page_calls_a_change_this_release():
    """The repository has no releases: upgrade notes name a date and a commit instead."""
    assert [page.name for page in PAGES if "this release" in page.read_text()] == []
