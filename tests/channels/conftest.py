"""One running assistant and one set of fake platforms for every channel test."""
import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
RASA_API_TOKEN = "channel-tests-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def platforms():
    from fakes import FakePlatforms

    fakes = FakePlatforms().start()
    yield fakes
    fakes.stop()


@pytest.fixture(scope="session")
def channel_assistant(platforms, tmp_path_factory):
    from bot.localrun import LocalAssistant, Ports
    from webhooks import platform_env

    assert MODEL.exists(), "no trained model: run `make train` first"
    data = tmp_path_factory.mktemp("channels")
    shutil.copytree(ROOT / "content", data / "content")
    running = LocalAssistant(
        MODEL,
        ports=Ports(rasa=_free_port(), actions=_free_port(), bot=_free_port()),
        data_dir=data,
        extra_env={
            "CONTENT_DIR": str(data / "content"),
            "APP_SECRET_KEY": "channel-tests-secret",
            "DATABASE_URL": f"sqlite:///{data / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.db'}",
            "RASA_API_TOKEN": RASA_API_TOKEN,
            **platform_env(platforms.url, data),
        },
        log_dir=ROOT / "results" / "channel-logs",
    )
    with running:
        running.data = data
        running.rasa_url = f"http://127.0.0.1:{running.ports.rasa}"
        yield running


@pytest.fixture(scope="session")
def webhooks(channel_assistant):
    from webhooks import Webhooks

    client = Webhooks(channel_assistant.rasa_url)
    client.assistant = channel_assistant
    return client
