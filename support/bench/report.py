"""The benchmark's results: Markdown tables, printed and written to one file that the README
and docs/decisions.md link to instead of copying figures."""

import datetime
import os
import platform
from pathlib import Path


class Report:
    def __init__(self, command):
        self.command = command
        self.sections = []

    def table(self, title, columns, rows, note=""):
        self.sections.append((title, columns, [tuple(map(str, row)) for row in rows], note))

    def markdown(self):
        lines = [
            "# Measured results",
            "",
            "Written by `bench/run`; every ratio is of two figures measured in the same run.",
            "",
            f"- Date: {datetime.date.today().isoformat()}",
            f"- Machine: {machine()}",
            f"- Command: `{self.command}`",
        ]
        for title, columns, rows, note in self.sections:
            lines += ["", f"## {title}", ""]
            lines += [f"{note}", ""] if note else []
            lines.append("| " + " | ".join(columns) + " |")
            lines.append(
                "|" + "|".join("---" if n == 0 else "---:" for n in range(len(columns))) + "|"
            )
            lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines) + "\n"

    def write(self, path):
        Path(path).write_text(self.markdown(), encoding="utf-8")


def machine():
    debian = Path("/etc/debian_version")
    system = f"Debian {debian.read_text().strip()}" if debian.exists() else platform.platform()
    memory_gib = int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2
    return (
        f"{system}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{memory_gib:.0f} GiB"
    )
