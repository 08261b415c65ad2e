import os
import time

from support import ROOT
from support.commands import bot_command

from bot.content import LiveContent
from bot.content.check import MAX_BUTTON_TITLE_CHARS, check_project_content
from bot.service import render_response
from contract.limits import text_length


def problems_in(directory):
    return [str(p) for p in check_project_content(directory)]


def edit(path, old, new, count=-1):
    """Change a content file the way a campaign worker would, in place."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, count), encoding="utf-8")


def reported_at(directory, path, line, fragment):
    """Does `content check` name this file and line, saying `fragment`?"""
    return any(p.startswith(f"{path}:{line}:") and fragment in p for p in problems_in(directory))


def lines_of(path, text):
    return [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]


def line_of(path, text):
    return lines_of(path, text)[0]


def test_project_content_is_valid():
    assert problems_in(ROOT / "content") == []


def test_yaml_syntax_error_names_file_and_line(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, "utter_thank:\n", "utter_thank:\n  text: a: b\n")
    line = line_of(path, "text: a: b")
    assert [p for p in problems_in(content_copy) if "YAML" in p][0].startswith(f"{path}:{line}:")


def test_a_yaml_syntax_error_is_explained_in_the_words_of_pyyamls_own_parser(content_copy):
    """libyaml reads the files (bot/content/yamlfile.py), but words its errors differently: the hint needs PyYAML's."""
    path = content_copy / "messages" / "general.yml"
    edit(path, "utter_thank:\n", "utter_thank:\n  text: a: b\n")
    [problem] = [p for p in problems_in(content_copy) if "YAML" in p]
    assert "đặt cả câu trong ngoặc kép (mapping values are not allowed here" in problem


def test_the_fast_yaml_parser_reads_every_file_as_pyyamls_own_with_the_same_lines():
    import yaml

    from bot.content.yamlfile import Mapping, Sequence, _FastLineLoader, _LineLoader

    def with_lines(node):
        if isinstance(node, Mapping):
            return node.line, node.key_lines, node.duplicate_keys, {k: with_lines(v) for k, v in node.items()}
        if isinstance(node, Sequence):
            return node.line, node.item_lines, [with_lines(item) for item in node]
        return type(node), node

    assert _FastLineLoader.__mro__[1] is yaml.CSafeLoader, "PyYAML without libyaml: content loads ten times slower"
    for path in sorted((ROOT / "content").rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        fast, own = yaml.load(text, Loader=_FastLineLoader), yaml.load(text, Loader=_LineLoader)
        assert with_lines(fast) == with_lines(own), path


def test_unknown_field_names_its_line(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, "utter_goodbye:\n", "utter_goodbye:\n  colour: red\n")
    line = line_of(path, "colour: red")
    assert reported_at(content_copy, path, line, "colour")


def test_hotline_without_source_is_refused(content_copy):
    path = content_copy / "hotlines.yml"
    text = path.read_text(encoding="utf-8")
    first_source = text.index("    source:")
    end = text.index("\n", first_source)
    path.write_text(text[:first_source] + text[end + 1 :], encoding="utf-8")
    assert any(str(path) in p and "'source'" in p for p in problems_in(content_copy))


def test_duplicate_id_is_refused(content_copy):
    path = content_copy / "hotlines.yml"
    edit(path, "  - id: police\n", "  - id: trafficking\n")
    line = lines_of(path, "id: trafficking")[1]  # the second one is the duplicate
    assert reported_at(content_copy, path, line, "trùng")


def test_template_with_unknown_variable_is_refused(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, "Tạm biệt bạn", "Tạm biệt {{ user_name }}")
    line = line_of(path, "utter_goodbye:")
    assert reported_at(content_copy, path, line, "user_name")


def test_response_used_by_dialogue_but_missing_is_refused(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, "utter_thank:", "utter_thanks:")
    problems = problems_in(content_copy)
    assert any("'utter_thank'" in p and "thiếu" in p for p in problems)
    assert any("'utter_thanks'" in p and "không được dùng" in p for p in problems)


def test_nlg_falls_back_instead_of_sending_nothing():
    content = LiveContent(ROOT / "content")
    reply = render_response(content, {"response": "utter_does_not_exist", "channel": {"name": "rest"}})
    assert "111" in reply["text"]


def test_saved_edit_is_live_and_broken_edit_keeps_last_good(content_copy, monkeypatch):
    monkeypatch.setattr("bot.content.live.RECHECK_SECONDS", 0)
    live = LiveContent(content_copy)
    path = content_copy / "messages" / "general.yml"
    original = path.read_text(encoding="utf-8")

    path.write_text(original.replace("Tạm biệt bạn 👋", "Hẹn gặp lại 🌟"), encoding="utf-8")
    os.utime(path, (time.time() + 1, time.time() + 1))
    assert live.templates.render("utter_goodbye", "rest", {}, {})["text"].startswith("Hẹn gặp lại 🌟")

    path.write_text(
        original.replace("utter_goodbye:\n  text: |", "utter_goodbye:\n  text: {{ broken"), encoding="utf-8"
    )
    os.utime(path, (time.time() + 2, time.time() + 2))
    assert live.templates.render("utter_goodbye", "rest", {}, {})["text"].startswith("Hẹn gặp lại 🌟")
    assert live.last_problems


def test_hashtag_that_yaml_would_drop_is_reported(content_copy):
    path = content_copy / "webchat.yml"
    edit(path, 'title: "Trợ lý #Mắcbẫytộiphạmlừađảo"', "title: Trợ lý #Mắcbẫytộiphạmlừađảo")
    line = line_of(path, "title: Trợ lý #")
    assert reported_at(content_copy, path, line, "ngoặc kép")


def test_quiz_answer_that_names_no_option_is_refused(content_copy):
    path = content_copy / "quizzes" / "spot_fake_offer.yml"
    edit(path, "    answer: c\n", "    answer: e\n", 1)
    line = line_of(path, "answer: e")
    assert reported_at(content_copy, path, line, "'e'")


def test_button_title_too_long_for_messenger_is_refused(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, 'title: "🔍 Kiểm tra tin"', 'title: "🔍 Kiểm tra tin tuyển dụng giúp mình"', 1)
    assert any("tối đa 20" in p and str(path) in p for p in problems_in(content_copy))


def test_button_title_is_measured_as_messenger_counts_an_emoji_two(content_copy):
    title = "🔍 Kiểm tra tin nhé 🎯"
    assert len(title) <= MAX_BUTTON_TITLE_CHARS < text_length(title)  # within by len(), over in UTF-16 units
    path = content_copy / "messages" / "general.yml"
    edit(path, 'title: "🔍 Kiểm tra tin"', f'title: "{title}"', 1)
    assert any("tối đa 20" in p and str(path) in p for p in problems_in(content_copy))


def test_message_longer_than_zalo_allows_is_refused(content_copy):
    path = content_copy / "messages" / "general.yml"
    edit(path, "utter_thank:\n  text: |\n", "utter_thank:\n  text: |\n    " + "Rất dài. " * 300 + "\n", 1)
    line = line_of(path, "utter_thank:")
    assert reported_at(content_copy, path, line, "2000")


def test_phone_number_not_in_hotlines_is_refused(content_copy):
    path = content_copy / "messages" / "safety.yml"
    edit(path, "Bạn không có lỗi.", "Hoặc gọi 1800 1567. Bạn không có lỗi.")
    line = line_of(path, "utter_referral_danger_abroad:")
    assert reported_at(content_copy, path, line, "1800 1567")


def test_quiz_fact_without_checked_date_is_refused(content_copy):
    path = content_copy / "quizzes" / "trafficking_and_rights.yml"
    edit(path, "    checked: 2026-03-01\n", "", 1)
    assert any(str(path) in p and "'checked'" in p for p in problems_in(content_copy))


def test_preview_shows_a_quiz_and_a_message_as_users_see_them():
    def preview(*args):
        return bot_command("content", "preview", *args)

    quiz = preview("quiz", "spot_fake_offer", "--channel", "zalo")
    assert quiz.returncode == 0 and "Câu 10/10" in quiz.stdout and "Nguồn:" in quiz.stdout
    greet = preview("message", "utter_greet")
    assert "[🎯 Làm quiz]" in greet.stdout
    missing = preview("hotline", "does_not_exist")
    assert missing.returncode == 1 and "does_not_exist" in missing.stderr


def test_nlg_passes_an_empty_argument_through_to_the_template():
    content = LiveContent(ROOT / "content")
    body = {
        "response": "utter_referral_danger_abroad",
        "arguments": {"embassy": None, "text": None},
        "channel": {"name": "rest"},
    }
    assert "+84 981 84 84 84" in render_response(content, body)["text"]


def test_nlg_answers_even_when_an_action_sends_a_value_of_the_wrong_type():
    content = LiveContent(ROOT / "content")
    body = {
        "response": "utter_offer_verdict",
        "arguments": {"risk": "high", "score": 7, "signs": 12},
        "channel": {"name": "rest"},
    }
    assert "111" in render_response(content, body)["text"]
