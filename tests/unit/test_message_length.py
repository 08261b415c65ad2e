"""`content check` refuses a message that can render longer than a phone bubble, however short its source."""

import re

from support import ROOT

from bot.content.check import MAX_BUBBLE_CHARS, check_project_content


def length_problems(directory):
    return [str(p) for p in check_project_content(directory) if "khi hiện ra" in str(p)]


def test_the_project_content_fits_a_phone():
    assert length_problems(ROOT / "content") == []


def test_a_loop_over_every_sign_is_caught_though_its_source_is_short(content_copy):
    path = content_copy / "messages" / "offers.yml"
    text = path.read_text(encoding="utf-8")
    # The full explanations of every sign in one bubble: the 2,700-character list users complained about.
    loop = re.search(r"\{% for sign_id in \[[^\]]*\] %\}\n    • \{\{ signs\[sign_id\]\.title \}\}\n", text)
    assert loop, "the summary's loop over chosen signs is not where this test expects it"
    everything = "{% for sign_id in signs %}\n    • {{ signs[sign_id].title }}: {{ signs[sign_id].explanation }}\n"
    path.write_text(text.replace(loop.group(0), everything, 1), encoding="utf-8")
    problems = length_problems(content_copy)
    assert any("utter_warning_signs'" in p and str(MAX_BUBBLE_CHARS) in p for p in problems), problems


def test_a_verdict_that_shows_every_sign_is_caught(content_copy):
    path = content_copy / "messages" / "offers.yml"
    text = path.read_text(encoding="utf-8")
    assert "{% for sign in signs[:3] %}" in text
    path.write_text(text.replace("{% for sign in signs[:3] %}", "{% for sign in signs %}", 1), encoding="utf-8")
    assert any("utter_offer_verdict" in p for p in length_problems(content_copy))
