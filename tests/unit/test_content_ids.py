"""`content check` knows every id the code looks up in content/: a rename is named with its file and line."""

import pytest

from bot.content.check import check_project_content


def problems_in(directory):
    return [str(p) for p in check_project_content(directory)]


def rename(path, old, new, after=""):
    """Rename once, in the part of the file after the line `after` (a section such as "jobs:")."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n{after}") if after else 0
    assert old in text[start:], f"{old!r} is no longer in {path.name}: update this test"
    path.write_text(text[:start] + text[start:].replace(old, new, 1), encoding="utf-8")


def key_line(path, key):
    """The line of a top-level `key:` of a content file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


@pytest.mark.parametrize(
    ("file", "old", "new", "after", "key", "said"),
    [
        # The web chat page gives this line when the assistant cannot answer.
        ("hotlines.yml", "id: trafficking\n", "id: trafficking_line\n", "", "hotlines", "đường dây 'trafficking'"),
        # Computed by the checker: without its text in warning_signs.yml it silently disappears.
        ("warning_signs.yml", "id: easy_high_pay\n", "id: high_pay\n", "", "signs", "dấu hiệu 'easy_high_pay'"),
        ("warning_signs.yml", "id: fees_deposit\n", "id: deposit\n", "", "signs", "dấu hiệu 'fees_deposit'"),
        # Clues the checker reads: travel arranged abroad, the pay threshold at home.
        ("warning_signs.yml", "id: travel_paid\n", "id: travel\n", "", "signs", "dấu hiệu 'travel_paid'"),
        ("warning_signs.yml", "id: typical_scam_role\n", "id: scam_role\n", "", "signs", "'typical_scam_role'"),
        ("offer_checker.yml", "  skilled:", "  expert:", "jobs:", "jobs", "loại việc 'skilled'"),
        ("offer_checker.yml", "id: address\n", "id: workplace\n", "reassurances:", "reassurances", "'address'"),
        ("referrals.yml", "id: lost_money\n", "id: money_lost\n", "", "situations", "tình huống 'lost_money'"),
    ],
)
def test_an_id_the_code_looks_up_is_named_when_renamed(content_copy, file, old, new, after, key, said):
    path = content_copy / file
    rename(path, old, new, after)
    line = key_line(path, key)
    assert any(p.startswith(f"{path}:{line}: thiếu ") and said in p for p in problems_in(content_copy))


def test_a_pay_threshold_renamed_is_named_with_its_line(content_copy):
    path = content_copy / "offer_checker.yml"
    rename(path, "  per_hour_hours:", "  per_hours:", "pay:")
    problems = problems_in(content_copy)
    renamed_at = next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "per_hours:" in line
    )
    assert any(p.startswith(f"{path}:{renamed_at}: trường lạ 'per_hours' trong 'pay'") for p in problems)
    assert any(p.startswith(f"{path}:") and "'pay' thiếu trường 'per_hour_hours'" in p for p in problems)


def test_the_message_of_the_fallback_situation_is_needed_without_an_entry_for_it(content_copy):
    """When nothing else fits, the code picks `main_lines`: its message is used even if referrals.yml forgets it."""
    rename(content_copy / "referrals.yml", "  - id: main_lines\n    phrases: []\n", "")
    assert not [p for p in problems_in(content_copy) if "utter_referral_main_lines" in p]


def test_a_message_naming_a_hotline_that_is_gone_is_named_with_its_file_and_line(content_copy):
    """`{{ hotlines.police.number }}` with no `police` in hotlines.yml would fail in front of a user."""
    rename(content_copy / "hotlines.yml", "id: police\n", "id: police_113\n")
    path = next(
        p for p in sorted((content_copy / "messages").glob("*.yml")) if "hotlines.police" in p.read_text("utf-8")
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    used_at = next(n for n, line in enumerate(lines, 1) if "hotlines.police" in line)
    key_at = max(n for n, line in enumerate(lines[:used_at], 1) if line.startswith("utter_"))
    name = lines[key_at - 1].rstrip(":")
    problems = [p for p in problems_in(content_copy) if p.startswith(f"{path}:") and f"'{name}' dùng" in p]
    assert problems and all("'police'" in p and "hotlines.yml" in p for p in problems)
    assert all(key_at < int(p.split(":")[1]) <= used_at for p in problems)
