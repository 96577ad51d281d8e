"""What the generated docs answer, where a reader looks first."""

import re
from pathlib import Path


def test_the_media_page_answers_media_root_against_media_url_in_its_first_screen(baked_project):
    page = (baked_project.path / "docs" / "media-and-static.md").read_text(encoding="utf-8")
    first_screen = "\n".join(page.splitlines()[:20])

    assert "`MEDIA_ROOT` is a directory on this machine" in first_screen
    assert "`MEDIA_URL` is a URL prefix" in first_screen
    assert "```mermaid\nflowchart" in first_screen


def test_each_classic_mistake_in_the_media_page_names_a_check_the_checks_page_lists(
    baked_project,
):
    docs = baked_project.path / "docs"
    page = (docs / "media-and-static.md").read_text(encoding="utf-8")
    mistakes = page.split("## The five classic mistakes", 1)[1]
    rows = [line for line in mistakes.splitlines() if line.startswith("| ") and "storage." in line]
    listed = set(re.findall(r"\| `(storage\.[EW]\d{3})` \|", (docs / "checks.md").read_text()))

    assert len(rows) == 5
    for row in rows:
        named = re.findall(r"storage\.[EW]\d{3}", row)
        assert named and set(named) <= listed, row


# Each section of the generated docs with command blocks, and the test that runs them as
# written. A new block elsewhere fails the test below until a test runs it.
RUN_AS_WRITTEN = {
    (
        "README.md",
        "## Run it",
    ): "test_baked_project.py::test_the_readme_run_commands_work_as_written",
    ("docs/deployment.md", "## On a server of your own"): "test_deploying_by_the_docs.py",
    (
        "docs/deployment.md",
        "## Rehearse production on one machine",
    ): "test_deploying_by_the_docs.py",
    ("docs/media-storage.md", "## Rehearse with"): "test_deploying_by_the_docs.py",
    ("docs/scaling.md", "## Rehearse two app servers"): "test_deploying_by_the_docs.py",
    ("docs/moving-media.md", "## From this server's disk to a bucket"): (
        "test_switching_media_option.py"
    ),
}


def sections_with_command_blocks(project):
    """(page, its "## " heading) for every sh block of the README and docs/."""
    found = set()
    for page in [project.path / "README.md", *sorted((project.path / "docs").glob("*.md"))]:
        heading = None
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                heading = line
            elif line.strip() == "```sh":
                found.add((page.relative_to(project.path).as_posix(), heading))
    return found


def test_every_command_block_of_the_docs_is_in_a_section_the_suite_runs_as_written(
    baked_project,
):
    for page, heading in sections_with_command_blocks(baked_project):
        runners = [
            test
            for (known_page, prefix), test in RUN_AS_WRITTEN.items()
            if known_page == page and heading and heading.startswith(prefix)
        ]
        assert runners, f"{page}, {heading}: no test runs this block as written"
        for runner in runners:
            assert (Path(__file__).parent / runner.split("::")[0]).exists(), runner
