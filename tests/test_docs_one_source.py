"""The template's own docs say each fact once: measured figures live in docs/results.md
(bench/run writes it), and what the prose says of the code stays true."""

import re

from support.project import TEMPLATE

PROSE = [TEMPLATE / "README.md", TEMPLATE / "docs" / "decisions.md"]
RESULTS = TEMPLATE / "docs" / "results.md"


def results_rows():
    """{label: values} of every table row in docs/results.md."""
    rows = {}
    for line in RESULTS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("| ") and len(cells) > 1 and not set(cells[1]) <= set("-:"):
            rows[cells[0]] = cells[1:]
    return rows


def test_the_results_file_is_there_with_its_machine_and_command():
    text = RESULTS.read_text(encoding="utf-8")

    assert "- Machine: Debian " in text and "- Command: `bench/run" in text
    for page in PROSE:
        assert "results.md" in page.read_text(encoding="utf-8"), page.name


def test_prose_that_names_a_measured_row_quotes_its_figures_exactly():
    quoted = []
    for label, values in results_rows().items():
        for page in PROSE:
            for line in page.read_text(encoding="utf-8").splitlines():
                if len(label) >= 12 and label in line:
                    after = line.split(label, 1)[1]
                    numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", after)
                    quoted += [(page.name, label, n) for n in numbers if n not in " ".join(values)]
    assert quoted == []


def test_every_check_id_the_decisions_name_exists_in_the_baked_checks_page(baked):
    checks = (baked("local").path / "docs" / "checks.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `storage\.([EW]\d{3})` \|", checks, re.M))
    named = set()
    for page in PROSE:
        named |= set(re.findall(r"`(?:storage\.)?([EW]\d{3})`", page.read_text(encoding="utf-8")))

    assert named and named <= listed, named - listed
