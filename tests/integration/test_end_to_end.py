"""The three real processes, started as `make run` starts them, talked to over HTTP."""

import json
import os
import sqlite3
import subprocess
import sys
import time

import httpx
from support import ROOT
from support.chat import SECRET, browser, new_sender, say, texts

from contract.identity import user_key_for


def test_danger_message_gets_111_and_113_and_the_hand_off_offer(assistant):
    replies = say(assistant, new_sender(), "cuu e voi bi giu o cam")
    reply = texts(replies)
    assert "111" in reply and "113" in reply and "+84 981 84 84 84" in reply
    assert reply.index("111") < reply.index("cán bộ đường dây nóng")
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]


def test_greeting_comes_with_menu_buttons(assistant):
    replies = say(assistant, new_sender(), "chào bạn")
    payloads = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "/check_job_offer" in payloads and "/start_quiz" in payloads


def test_quiz_played_interrupted_by_danger_and_resumed(assistant):
    sender = new_sender()
    replies = say(assistant, sender, '/start_quiz{"quiz_id": "spot_fake_offer"}')
    assert "Câu 1/" in texts(replies)
    answer_buttons = replies[-1]["buttons"]
    assert [b["title"] for b in answer_buttons][:3] == ["A", "B", "C"]

    replies = say(assistant, sender, answer_buttons[0]["payload"])
    assert ("Chính xác" in texts(replies)) or ("Chưa đúng" in texts(replies))
    assert "Câu 2/" in texts(replies)

    replies = say(assistant, sender, "ho thu ho chieu cua em roi 😭")
    assert "111" in texts(replies) and "Câu" not in texts(replies)

    replies = say(assistant, sender, "/start_quiz")
    assert "Câu 2/" in texts(replies)


def test_delete_my_data_leaves_nothing_about_the_sender(assistant):
    sender = new_sender()
    say(assistant, sender, '/start_quiz{"quiz_id": "spot_fake_offer"}')
    say(assistant, sender, "a")
    key = user_key_for(sender, SECRET)
    assert rows_about(assistant, sender, key) > 0

    replies = say(assistant, sender, "xoá hết dữ liệu của tôi")
    # Erasing has its own confirmation: its button says what it does, unlike a "yes" (/affirm).
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["xoá hết", "/deny"]
    replies = say(assistant, sender, "xoá hết")
    assert "Đã xoá" in texts(replies)
    assert rows_about(assistant, sender, key) == 0


def rows_about(assistant, sender, key):
    with sqlite3.connect(assistant.data / "tracker.db") as tracker:
        events = tracker.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]
    with sqlite3.connect(assistant.data / "app.db") as app:
        tables = [r[0] for r in app.execute("select name from sqlite_master where type = 'table'")]
        app_rows = sum(
            app.execute(f"select count(*) from {table} where user_key = ?", (key,)).fetchone()[0]
            for table in tables
            if "user_key" in [c[1] for c in app.execute(f"pragma table_info({table})")]
        )
    return events + app_rows


def test_edited_content_changes_the_next_reply_without_restart(assistant):
    path = assistant.content / "messages" / "general.yml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("Tạm biệt bạn 👋", "Hẹn gặp lại nhé 🌟"), encoding="utf-8")
        time.sleep(1.5)
        assert "Hẹn gặp lại nhé 🌟" in texts(say(assistant, new_sender(), "bye bye"))

        path.write_text(
            original.replace("utter_goodbye:\n  text: |", "utter_goodbye:\n  text: {{ broken"), encoding="utf-8"
        )
        time.sleep(1.5)
        reply = texts(say(assistant, new_sender(), "bye bye"))
        assert "Hẹn gặp lại nhé 🌟" in reply
    finally:
        path.write_text(original, encoding="utf-8")


def test_web_chat_page_and_proxy(assistant):
    base = f"http://127.0.0.1:{assistant.ports.bot}"
    assert httpx.get(f"{base}/health").status_code == 200
    page = httpx.get(f"{base}/")
    assert page.status_code == 200 and "width=device-width" in page.text and "/static/webchat.js" in page.text
    assert "/api/chat" in httpx.get(f"{base}/static/webchat.js").text
    assert "+84981848484" in page.text  # verified numbers are offered as tap-to-call links
    for message in ("cuu e voi bi giu o cam", "🆘"):
        reply = texts(browser(assistant).post("/api/chat", json={"message": message}).json())
        assert "111" in reply and "113" in reply
    user = browser(assistant)
    too_long = user.post("/api/chat", json={"message": "a" * 6000})
    assert too_long.status_code == 413 and "5.000" in too_long.json()["text"]
    assert user.post("/api/chat", json={"sender": "<script>"}).status_code == 400


def test_huge_and_strange_messages_get_an_answer(assistant):
    for message in ["💥" * 3000, "\u200b", "<script>alert(1)</script>"]:
        assert say(assistant, new_sender(), message), f"no reply to {message[:20]!r}"
    assert "5.000" in browser(assistant).post("/api/chat", json={"message": "x" * 20000}).json()["text"]


def test_parse_command_writes_one_json_line_per_message(trained_model):
    lines = "cuu e voi bi giu o cam\nsdt duong day nong\ncó người rủ e sang cpc làm lương 1500$\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "parse", "--model", str(trained_model)],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    parsed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["text"] for p in parsed] == lines.splitlines()
    assert parsed[0]["intent"] == "report_danger" and parsed[0]["confidence"] > 0.9
    entities = {(e["entity"], e["value"]) for e in parsed[2]["entities"]}
    assert ("country", "Campuchia") in entities and ("salary", "1500$") in entities


def test_pasted_offer_gets_a_verdict_then_a_follow_up_question(assistant):
    sender = new_sender()
    offer = (
        "Tuyển nhân viên chăm sóc khách hàng làm việc tại Phnom Penh, lương 1.200 USD/tháng, "
        "bao ăn ở, bao vé máy bay, liên hệ telegram @tuyendung_pp"
    )
    replies = say(assistant, sender, offer)
    reply = texts(replies)
    assert "Nguy cơ CAO" in reply and "Phnom Penh" in reply and "1.200 USD" in reply and "111" in reply
    assert all(len(r.get("text", "")) <= 2000 for r in replies)

    replies = say(assistant, sender, "Bạn ơi sang Thái Lan làm bán hàng không, lương 9 triệu")
    question = replies[-1]
    assert question["text"].startswith("❓")
    assert [b["title"] for b in question["buttons"]] == ["Có", "Không", "Không rõ"]
    replies = say(assistant, sender, question["buttons"][1]["payload"])
    assert "nguy cơ" in texts(replies).lower()


def test_asking_to_check_without_an_offer_asks_for_it(assistant):
    assert "dán" in texts(say(assistant, new_sender(), "check giúp mình cái tin tuyển dụng với")).lower()


def test_screenshot_from_the_web_chat_is_read_and_checked(assistant):
    from support.screenshots import OFFER_LINES, screenshot

    reply = browser(assistant).post(
        "/api/chat-image", content=screenshot(OFFER_LINES), headers={"Content-Type": "image/png"}
    )
    assert "Nguy cơ CAO" in texts(reply.json())
    blank = browser(assistant).post("/api/chat-image", content=screenshot([]), headers={"Content-Type": "image/png"})
    assert "không đọc được chữ" in texts(blank.json())


def test_a_whole_quiz_played_to_its_score_then_counted_in_stats(assistant):
    sender = new_sender()
    replies = say(assistant, sender, "cho mình làm quiz")
    menu = [b["payload"] for b in replies[-1]["buttons"]]
    assert any("trafficking_and_rights" in p for p in menu)
    replies = say(assistant, sender, next(p for p in menu if "trafficking_and_rights" in p))
    for number in range(1, 11):
        assert f"Câu {number}/10" in texts(replies)
        typed = "a" if number % 2 else replies[-1]["buttons"][1]["payload"]  # typed letter or button
        replies = say(assistant, sender, typed)
    result = texts(replies)
    assert "🏁" in result and "/10 câu" in result and "#Mắcbẫytộiphạmlừađảo" in result
    assert [b["title"] for b in replies[-1]["buttons"]] == ["🔁 Làm lại", "🎯 Bộ quiz khác"]

    stats = subprocess.run(
        [sys.executable, "-m", "bot", "quiz", "stats"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"sqlite:///{assistant.data / 'app.db'}",
            "CONTENT_DIR": str(assistant.content),
        },
    )
    line = next(row for row in stats.stdout.splitlines() if row.startswith("trafficking_and_rights"))
    assert "1 completions" in line


def test_hotline_request_gets_the_contacts_for_its_situation(assistant):
    assert "VNeID" in texts(say(assistant, new_sender(), "muốn tố cáo kẻ tuyển dụng lừa đảo thì làm thế nào"))
    home = texts(say(assistant, new_sender(), "cứu em với, em bị nhốt trong nhà trọ ở Bình Dương"))
    assert "113" in home and home.index("113") < home.index("111")


def test_a_number_imported_into_the_known_scams_list_is_reported_first(assistant, tmp_path):
    listed = tmp_path / "list.csv"
    listed.write_text(
        "kind,value,source,checked,note\n"
        "phone,0912 345 678,Tổng đài 111,2026-03-02,\n"
        'lure,"Tuyển gấp 10 bạn nữ làm nhân viên chăm sóc khách hàng online, lương cứng 1.200 USD/tháng, '
        'bao ăn ở, bao vé máy bay, không cần kinh nghiệm, chỉ cần biết dùng điện thoại",NCSC,2026-02-20,\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{assistant.data / 'app.db'}",
        "CONTENT_DIR": str(assistant.content),
    }
    command = [sys.executable, "-m", "bot", "known-scams", "import", str(listed)]
    subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True, env=env)

    ad = "Quán cà phê Quận 3 tuyển phục vụ ca sáng, lương 25.000đ/giờ, có hợp đồng. Liên hệ chị Hoa +84 912.345.678"
    replies = say(assistant, new_sender(), ad)
    assert replies[0]["text"].startswith('⛔ Số điện thoại "+84 912.345.678" đã được báo')
    assert "02/03/2026" in replies[0]["text"] and "Tổng đài 111" in replies[0]["text"]
    assert "Nguy cơ CAO" in replies[1]["text"]

    repost = (
        "🔥 tuyen gap 10 ban nu lam nhan vien cham soc khach hang online , luong cung 1.200 USD/thang, "
        "bao an o, bao ve may bay, khong can bang cap, chi can biet dung dien thoai"
    )
    replies = say(assistant, new_sender(), repost)
    assert replies[0]["text"].startswith("⛔ Tin này gần giống một tin tuyển dụng lừa đảo đã được báo")
