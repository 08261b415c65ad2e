import pytest

from nlu.danger import DangerNet


@pytest.fixture(scope="module")
def net():
    return DangerNet()


@pytest.mark.parametrize(
    "message, signal",
    [
        ("cuu e voi bi giu o cam", "held"),
        ("Cứu em với, em bị nhốt ở Campuchia", "held"),
        ("ho ko cho e ve nuoc", "held"),
        ("bọn nó thu hộ chiếu của em rồi", "documents_taken"),
        ("em bi danh vi ko du chi tieu", "violence"),
        ("cty đòi 3000$ tiền chuộc mới thả", "ransom"),
        ("🆘", "escape"),
        ("lam sao de tron ra dc", "escape"),
        ("anh trai e mất liên lạc từ khi sang cpc", "missing"),
    ],
)
def test_danger_messages_are_caught(net, message, signal):
    assert signal in {m.signal_id for m in net.find(message)}


@pytest.mark.parametrize(
    "message",
    [
        "em không bị giữ đâu, chỉ hỏi thôi",
        "nghiên cứu thị trường việc làm",
        "ban sáng em đi phỏng vấn",
        "tuyển nhân viên cskh lương 15tr",
        "mua bán người là gì",
        "công ty không giữ hộ chiếu của nhân viên",
    ],
)
def test_ordinary_messages_are_not_danger(net, message):
    assert net.find(message) == []


def test_a_broken_edit_keeps_the_last_good_signals(tmp_path, monkeypatch):
    signals = tmp_path / "danger_signals.yml"
    signals.write_text("signals:\n  - id: held\n    title: Bị giữ\n    phrases: [bị giữ]\n", encoding="utf-8")
    net = DangerNet(signals)
    signals.write_text("signals: [ this is not: valid", encoding="utf-8")
    monkeypatch.setattr("nlu.danger.RECHECK_SECONDS", 0)
    import os

    os.utime(signals, (1, 1))
    assert [m.signal_id for m in net.find("em bị giữ")] == ["held"]


@pytest.mark.parametrize(
    "question",
    [
        "nạn nhân bị ép đi lừa đảo có bị bỏ tù không",
        "quyền của nạn nhân khi được giải cứu về nước",
    ],
)
def test_questions_about_victims_are_not_a_person_in_danger(net, question):
    assert net.find(question) == []


def test_the_signals_are_read_from_content_dir_when_it_is_set(tmp_path, monkeypatch):
    """Campaign staff's copy of content/ (CONTENT_DIR) holds the danger phrases too."""
    import shutil

    from nlu.danger import DEFAULT_SIGNALS_FILE, DangerNet

    shutil.copytree(DEFAULT_SIGNALS_FILE.parent, tmp_path / "content")
    signals = tmp_path / "content" / "danger_signals.yml"
    signals.write_text(
        signals.read_text(encoding="utf-8").replace("phrases:", "phrases:\n      - mật mã cứu hộ xyz", 1),
        encoding="utf-8",
    )
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path / "content"))
    net = DangerNet()
    assert net.path == signals and net.find("mật mã cứu hộ xyz")
    monkeypatch.delenv("CONTENT_DIR")
    assert not DangerNet().find("mật mã cứu hộ xyz")
