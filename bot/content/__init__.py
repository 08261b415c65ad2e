"""Everything the assistant says, read from content/ and checked.

`load_templates(dir)` reads, checks and compiles one version of the content;
`LiveContent` serves the last good version and picks up saved edits.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.model import Content, Problem, Problems, read_content
from bot.content.render import Templates, compile_templates

__all__ = ["Content", "Problem", "Problems", "Templates", "load_templates", "LiveContent"]


def load_templates(directory: Path) -> tuple[Templates, Problems]:
    content, problems = read_content(directory)
    templates = compile_templates(content, problems)
    return templates, problems


from bot.content.live import LiveContent  # noqa: E402  (needs load_templates)
