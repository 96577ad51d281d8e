"""What the generated docs answer, where a reader looks first."""

import re


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
