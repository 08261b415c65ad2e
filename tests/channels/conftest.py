"""One running assistant and one set of fake platforms for every channel test."""
import shutil

import pytest

from support import ROOT, free_port


@pytest.fixture(scope="session")
def platforms():
    from fakes import FakePlatforms

    fakes = FakePlatforms().start()
    yield fakes
    fakes.stop()


@pytest.fixture(scope="session")
def channel_assistant(trained_model, platforms, tmp_path_factory):
    from bot.localrun import LocalAssistant, Ports
    from webhooks import platform_env

    data = tmp_path_factory.mktemp("channels")
    shutil.copytree(ROOT / "content", data / "content")
    running = LocalAssistant(
        trained_model,
        ports=Ports(rasa=free_port(), actions=free_port(), bot=free_port()),
        data_dir=data,
        extra_env={
            "CONTENT_DIR": str(data / "content"),
            "DATABASE_URL": f"sqlite:///{data / 'app.db'}",
            "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.db'}",
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


@pytest.fixture(params=["messenger", "telegram", "zalo"])
def channel(request, platforms, webhooks):
    """Each platform in turn, as the tests that every platform passes drive it (webhooks.Channel)."""
    from webhooks import CHANNELS

    return CHANNELS[request.param](webhooks, getattr(platforms, request.param))
