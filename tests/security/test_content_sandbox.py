"""Whoever edits content/ writes text: a template cannot reach Python's insides."""

import jinja2
import pytest

from bot.content import load_templates
from bot.content.check import check_project_content
from bot.content.render import _ENV

ESCAPES = [
    "{{ faq.__class__.__mro__ }}",
    "{{ hotlines.__class__.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ signs['__class__'] }}",
    "{{ quizzes|attr('__class__') }}",
]


def line_of(path, text):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_template_reaching_for_private_attributes_is_named_with_file_and_line(content_copy, escape):
    path = content_copy / "messages" / "general.yml"
    original = "Mình là trợ lý tự động (chatbot), không phải người thật 🤖"
    path.write_text(path.read_text(encoding="utf-8").replace(original, f"{original} {escape}"), encoding="utf-8")
    # The message's `text:` line (its template starts on the next line).
    line = line_of(path, escape) - 1
    problems = [str(p) for p in check_project_content(content_copy)]
    assert any(p.startswith(f"{path}:{line}:") and "'_'" in p for p in problems), problems
    templates, load_problems = load_templates(content_copy)
    assert load_problems and "utter_iamabot" not in templates.messages  # refused, not served


def test_the_sandbox_refuses_at_render_time_too():
    """Even a template that slipped past the check cannot call into Python."""
    template = _ENV.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(jinja2.exceptions.SecurityError):
        template.render()
    with pytest.raises(jinja2.exceptions.SecurityError):
        _ENV.from_string("{{ x.__class__.__name__ }}").render(x=1)
