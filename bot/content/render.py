"""Turning a message of content/ into what one channel sends.

Templates are Jinja2 with StrictUndefined: a name the template does not know is
a mistake caught by `content check`, never a blank in front of a user.
They run in Jinja2's immutable sandbox: whoever edits content/ writes text, and
cannot reach Python objects' insides (`__class__`, `__subclasses__`…) from the
process that holds every transcript; a template that tries is refused at load
with its file and line.
Every channel here sends plain text (no HTML or Markdown parse mode), so there
is nothing to escape; buttons are mapped to each platform's limits by the
channel connectors.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.content.kinds.messages import MessageDef
from bot.content.reading import Content, read_content
from bot.content.schema import Problems

# Names every template may use, besides the variables a message declares.
GLOBAL_NAMES = frozenset({"hotlines", "faq", "signs", "quizzes", "channel", "slots"})
# The globals that hold content by id, and where staff write it: `hotlines.police` must be in hotlines.yml.
BY_ID = {"hotlines": "hotlines.yml", "faq": "faq.yml", "signs": "warning_signs.yml", "quizzes": "quizzes/"}

_ENV = ImmutableSandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


@dataclass(frozen=True)
class CompiledMessage:
    definition: MessageDef
    text: jinja2.Template
    buttons: tuple[tuple[jinja2.Template, jinja2.Template], ...]


@dataclass(frozen=True)
class Place:
    """Where a template stands, for naming it in a problem."""

    name: str
    path: Path
    line: int


class Templates:
    """Every message of one content version, compiled once."""

    def __init__(
        self, content: Content, messages: dict[str, CompiledMessage], faq_answers: dict[str, jinja2.Template]
    ) -> None:
        self.content = content
        self.messages = messages
        self.faq_answers = faq_answers

    def render(self, name: str, channel: str, arguments: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[name]
        context: dict[str, Any] = {
            "hotlines": self.content.hotlines,
            "signs": self.content.signs,
            "quizzes": self.content.quizzes,
            "channel": channel,
            "slots": slots,
        }
        # FAQ answers may name hotlines too, so they are templates of their own.
        context["faq"] = {
            topic_id: replace(topic, answer=self.faq_answers[topic_id].render(context).strip())
            for topic_id, topic in self.content.faq.items()
        }
        context.update(arguments)
        text = message.text.render(context).strip()
        buttons = [
            {"title": title.render(context).strip(), "payload": payload.render(context).strip()}
            for title, payload in message.buttons
        ]
        return {"text": text, "buttons": buttons}


def private_names(parsed: nodes.Template) -> list[tuple[int, str]]:
    """Each reach for an attribute or key starting with "_" (`x.__class__`, `x['_y']`, `x|attr('_z')`)."""
    found: list[tuple[int, str]] = []
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
        names: list[object] = []
        if isinstance(node, nodes.Getattr):
            names = [node.attr]
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            names = [node.arg.value]
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            names = [a.value for a in node.args if isinstance(a, nodes.Const)]
        found.extend((node.lineno, name) for name in names if isinstance(name, str) and name.startswith("_"))
    return found


def ids_named(parsed: nodes.Template) -> dict[tuple[str, str], int]:
    """Each `hotlines.police` or `hotlines['police']` of the globals of BY_ID: (global, id) -> its first line."""
    found: dict[tuple[str, str], int] = {}
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem)):
        name: object
        if isinstance(node, nodes.Getattr):
            target, name = node.node, node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            target, name = node.node, node.arg.value
        else:
            continue
        # `faq.values` is the dict's own method; `signs[0]` indexes a list, not an id.
        if (
            isinstance(name, str)
            and isinstance(target, nodes.Name)
            and target.name in BY_ID
            and not hasattr(dict, name)
        ):
            found.setdefault((target.name, name), node.lineno)
    return found


@dataclass(frozen=True)
class ReadTemplate:
    """One template source, compiled, with what the checks need to know of it."""

    template: jinja2.Template
    private_names: tuple[tuple[int, str], ...]
    ids_named: tuple[tuple[tuple[str, str], int], ...]
    undeclared: frozenset[str]


# Content holds a few hundred templates and is read again on every edit (and in every test
# that loads it): each source is parsed, checked and compiled once per process. A template
# depends on its source alone (one environment, no globals of its own), so versions share it.
TEMPLATE_CACHE = 4096


@lru_cache(maxsize=TEMPLATE_CACHE)
def read_template(source: str) -> ReadTemplate:
    """Raises jinja2.TemplateSyntaxError (never cached) for a source that does not parse."""
    parsed = _ENV.parse(source)
    private, named, undeclared = private_names(parsed), ids_named(parsed), meta.find_undeclared_variables(parsed)
    # Compiled from the tree the checks read (not parsed twice), after them: Jinja's optimizer may rewrite it.
    template = _ENV.from_string(parsed)
    return ReadTemplate(template, tuple(private), tuple(named.items()), frozenset(undeclared))


def _compile(
    source: str,
    declared: frozenset,
    where: Place,
    field: str,
    problems: Problems,
    ids: dict[str, Collection[str]] | None = None,
) -> jinja2.Template | None:
    """The compiled template; None when it does not parse (the problem names its line)."""
    try:
        read = read_template(source)
    except jinja2.TemplateSyntaxError as error:
        problems.add(
            where.path, where.line + (error.lineno or 1), f"mẫu '{field}' của '{where.name}' viết sai: {error.message}"
        )
        return None
    for lineno, name in read.private_names:
        problems.add(
            where.path,
            where.line + lineno,
            f"mẫu '{field}' của '{where.name}' dùng '{name}': tên bắt đầu bằng '_' không được dùng trong nội dung",
        )
    known = ids or {}
    for (name, item), lineno in read.ids_named:
        if name in known and name not in declared and item not in known[name]:
            problems.add(
                where.path,
                where.line + lineno,
                f"'{where.name}' dùng '{{{{ {name}.{item} }}}}' nhưng không có id '{item}' trong {BY_ID[name]}: "
                f"sửa tên, hoặc thêm nó vào {BY_ID[name]}",
            )
    unknown = read.undeclared - GLOBAL_NAMES - declared
    for name in sorted(unknown):
        problems.add(
            where.path,
            where.line,
            f"'{where.name}' dùng biến '{{{{ {name} }}}}' không có: sửa tên biến, "
            f"hoặc khai báo nó trong 'variables' nếu trợ lý truyền vào",
        )
    return read.template


def compile_templates(content: Content, problems: Problems) -> Templates:
    compiled: dict[str, CompiledMessage] = {}
    # With a file unreadable, every id it holds would only repeat that one problem.
    ids: dict[str, Collection[str]] | None = None
    if not problems.unreadable:
        ids = {"hotlines": content.hotlines, "faq": content.faq, "signs": content.signs, "quizzes": content.quizzes}
    for name, definition in content.messages.items():
        declared = frozenset(definition.variables)
        where = Place(name, definition.path, definition.line)
        before = len(problems)
        text = _compile(definition.text, declared, where, "text", problems, ids)
        buttons = [
            (
                _compile(button.title, declared, where, "title", problems, ids),
                _compile(button.payload, declared, where, "payload", problems, ids),
            )
            for button in definition.buttons
        ]
        # Without a new problem every template parsed: none is None.
        parsed = [(title, payload) for title, payload in buttons if title is not None and payload is not None]
        if len(problems) == before and text is not None:
            compiled[name] = CompiledMessage(definition, text, tuple(parsed))
    # An answer declares no variables of its own: it may use the globals (hotlines.<id>, channel).
    faq_answers = {
        topic.id: answer
        for topic in content.faq.values()
        if (
            answer := _compile(
                topic.answer, frozenset(), Place(topic.id, topic.path, topic.line), "answer", problems, ids
            )
        )
        is not None
    }
    return Templates(content, compiled, faq_answers)


def load_templates(directory: Path) -> tuple[Templates, Problems]:
    """Read, check and compile one version of the content."""
    content, problems = read_content(directory)
    templates = compile_templates(content, problems)
    return templates, problems
