"""Every command the documentation tells someone to type exists.

`python -m bot …` lines of README.md and docs/*.md are parsed by the real
parser of bot/__main__.py (nothing is run); every `make X` names a target of
the Makefile. A command documented but never wired in (as `python -m bot
telegram set-webhook` once was) fails here.
"""

import re
import shlex
from pathlib import Path

import pytest

from bot.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BOT_COMMAND = re.compile(r"python -m bot (.*)")
MAKE_COMMAND = re.compile(r"^make ([a-z][\w-]*)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SHELL_ENDS = {"|", "<", ">", "&&", ";", "#", "<<"}


def code_of(text: str):
    """Each piece of code in a Markdown text, one command a piece: the lines of
    fenced and indented blocks (a line ending in a backslash joined to the next)
    and every inline `code` span (wrapped over lines or not)."""
    blocks = FENCE.findall(text)
    prose = FENCE.sub("", text)
    indented = [line for line in prose.splitlines() if line.startswith("    ") and line.strip()]
    for block in blocks + ["\n".join(indented)]:
        yield from (line.strip() for line in re.sub(r"\\\n\s*", " ", block).splitlines())
    yield from (" ".join(span.split()) for span in prose.split("`")[1::2])


def argv_of(documented: str) -> list:
    """The arguments as argparse would get them; the docs' `a|b` and `[a|b]` mean "one of"."""
    words = []
    for word in shlex.split(documented, comments=False, posix=True):
        if word in SHELL_ENDS or word.startswith("#"):
            break
        word = word.strip("[]")
        words.append(word.split("|")[0] if "|" in word else word)
    return words


def documented_bot_commands():
    for document in DOCUMENTS:
        for code in code_of(document.read_text(encoding="utf-8")):
            found = BOT_COMMAND.search(code)
            if found:
                yield pytest.param(argv_of(found.group(1)), id=f"{document.name}: {found.group(1)[:50]}")


def documented_make_targets():
    for document in DOCUMENTS:
        for code in code_of(document.read_text(encoding="utf-8")):
            found = MAKE_COMMAND.match(code)
            if found:
                yield pytest.param(found.group(1), id=f"{document.name}: make {found.group(1)}")


def makefile_targets() -> set:
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:", (ROOT / "Makefile").read_text(), re.MULTILINE))


def test_the_documents_do_document_commands():
    assert len(list(documented_bot_commands())) >= 10 and len(list(documented_make_targets())) >= 3


@pytest.mark.parametrize("argv", documented_bot_commands())
def test_every_documented_bot_command_parses(argv):
    try:
        parsed = build_parser().parse_args(argv)
    except SystemExit as refused:
        pytest.fail(f"`python -m bot {' '.join(argv)}` does not parse (exit {refused.code})")
    assert callable(parsed.handler)


@pytest.mark.parametrize("target", documented_make_targets())
def test_every_documented_make_target_exists(target):
    assert target in makefile_targets()
