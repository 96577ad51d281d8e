"""Jinja filters that escape an answer for the syntax of the file it lands in.

cookiecutter.json loads them (_extensions); cookiecutter puts the template's directory on
sys.path while it bakes, so this module is found by name.
"""

import json
import re

from cookiecutter.utils import simple_filter

# Characters that start Markdown markup anywhere in a line (emphasis, code, links, HTML,
# entities, headings, tables, strike-through), and what starts a list or heading underline
# at the start of one.
MARKUP = re.compile(r"([\\`*_\[\]<>&#|~])")
LINE_START = re.compile(r"^(\d+(?=[.)])|[-+=])")


@simple_filter
def toml_string(value):
    """A TOML basic string: JSON's escapes are TOML's, but TOML also forbids a raw DEL."""
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def _escape_line_start(match):
    marker = match.group(0)
    # "1." or "1)" starts an ordered list: the punctuation after the number is escaped.
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


@simple_filter
def markdown_text(value):
    """Literal text in Markdown: markup characters backslash-escaped (CommonMark allows it
    before any punctuation), line breaks as spaces, so no answer becomes markup."""
    text = MARKUP.sub(r"\\\1", " ".join(str(value).splitlines()))
    return LINE_START.sub(_escape_line_start, text)
