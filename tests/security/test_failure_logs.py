"""When something fails, the logs still hold neither what the user wrote nor who they are.

A disposable assistant (its own processes and databases) is broken on purpose:
a database error inside an action, an action that raises, a web chat turn
whose caller gave up, and the action server gone. After each, every process
log is searched for the user's words and their sender id.
"""

import os
import shutil
import signal
import sqlite3
import time

import httpx
import pytest
from support import ROOT, free_port
from support.chat import SECRET, new_sender, say, texts

from bot.localrun import LocalAssistant, Ports

TECHNICAL_PROBLEM = "trục trặc"


@pytest.fixture(scope="module")
def breakable(trained_model, tmp_path_factory):
    data = tmp_path_factory.mktemp("breakable")
    content = data / "content"
    shutil.copytree(ROOT / "content", content)
    logs = data / "logs"
    running = LocalAssistant(
        trained_model,
        ports=Ports(rasa=free_port(), actions=free_port(), bot=free_port()),
        data_dir=data,
        extra_env={"CONTENT_DIR": str(content), "APP_SECRET_KEY": SECRET},
        log_dir=logs,
    )
    with running:
        running.data, running.logs = data, logs
        yield running


def logs_mention(assistant, *secrets_of_the_user):
    """Which of these appear anywhere in any process log."""
    found = set()
    for log in assistant.logs.glob("*.log"):
        text = log.read_text(encoding="utf-8", errors="replace")
        found.update(s for s in secrets_of_the_user if s in text)
    return found


def drop_table(assistant, table):
    with sqlite3.connect(assistant.data / "app.db") as db:
        db.execute(f"drop table {table}")


def test_a_database_error_inside_an_action_answers_safely_and_logs_nothing_personal(breakable):
    sender = new_sender()
    private = "em ten Hoa o Kandal, cho minh lam quiz"
    menu = say(breakable, sender, private)  # her words are now in the tracker every action receives
    drop_table(breakable, "quiz_answers")
    drop_table(breakable, "quiz_attempts")
    quiz = menu[-1]["buttons"][0]["payload"]
    assert TECHNICAL_PROBLEM in texts(say(breakable, sender, quiz))
    time.sleep(1)
    assert logs_mention(breakable, private, sender, "Hoa o Kandal") == set()
    assert "OperationalError" in "".join(p.read_text() for p in breakable.logs.glob("action_server.log"))


def test_an_action_that_raises_answers_safely_and_logs_nothing_personal(breakable):
    sender = new_sender()
    say(breakable, sender, "em la Lan, dang o Myawaddy")
    drop_table(breakable, "cases")
    say(breakable, sender, "mình muốn nói chuyện với cán bộ")
    reply = texts(say(breakable, sender, "/affirm"))
    assert "111" in reply and "#" not in reply  # no case number promised; a number to call instead
    time.sleep(1)
    assert logs_mention(breakable, "dang o Myawaddy", sender) == set()


def test_a_turn_whose_caller_gave_up_logs_nothing_personal(breakable):
    sender = new_sender()
    private = "so dien thoai cua em la 0912 345 678 o Sihanoukville"
    with pytest.raises(httpx.TimeoutException):
        httpx.post(
            f"http://127.0.0.1:{breakable.ports.rasa}/webhooks/rest/webhook",
            timeout=0.01,
            headers={"X-Webchat-Secret": breakable.secrets()["WEBCHAT_CHANNEL_SECRET"]},
            json={"sender": sender, "message": private},
        )
    time.sleep(2)
    assert logs_mention(breakable, private, "0912 345 678", sender) == set()


def test_with_the_action_server_gone_the_logs_still_hold_nothing_personal(breakable):
    sender = new_sender()
    actions = next(p for p in breakable.processes if p.name == "action server")
    os.killpg(actions.popen.pid, signal.SIGKILL)
    actions.popen.wait()
    private = "cuu em voi em bi giu o Bavet, ten em la Mai"
    say(breakable, sender, private)  # whatever Rasa manages to say, it must not log her words
    time.sleep(1)
    assert logs_mention(breakable, private, "ten em la Mai", sender) == set()
