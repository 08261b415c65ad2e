"""Everything the assistant says, read from content/ and checked.

`load_templates(dir)` reads, checks and compiles one version of the content;
`LiveContent` serves the last good version and picks up saved edits.
How the package is cut: schema.py checks fields and collects problems;
kinds/ holds one module per kind of file (its objects and its reader);
reading.py reads a directory into one `Content`; render.py compiles and
renders the messages; live.py follows saved edits; check.py is `content check`.
"""

from bot.content.live import LiveContent
from bot.content.reading import Content
from bot.content.render import Templates, load_templates
from bot.content.schema import Problem, Problems

__all__ = ["Content", "Problem", "Problems", "Templates", "load_templates", "LiveContent"]
