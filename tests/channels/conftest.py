"""One running assistant and one set of fake platforms for every channel test."""

import pytest


@pytest.fixture(scope="session")
def platforms():
    from support.fakes import FakePlatforms

    with FakePlatforms() as fakes:
        yield fakes


@pytest.fixture(scope="session")
def channel_assistant(trained_model, platforms, tmp_path_factory):
    from support.webhooks import assistant_on_fakes

    with assistant_on_fakes(
        trained_model, platforms.url, tmp_path_factory.mktemp("channels"), "channel-logs"
    ) as running:
        # Registered as an operator registers it: Zalo's unsigned probe must be answered 200.
        assert platforms.zalo.register_webhook(f"{running.rasa_url}/webhooks/zalo/webhook")
        yield running


@pytest.fixture(scope="session")
def webhooks(channel_assistant, platforms):
    from support.webhooks import Webhooks

    client = Webhooks(channel_assistant.rasa_url, platforms)
    client.assistant = channel_assistant
    return client


@pytest.fixture(params=["messenger", "telegram", "zalo"])
def channel(request, platforms, webhooks):
    """Each platform in turn, as the tests that every platform passes drive it (webhooks.Channel)."""
    from support.webhooks import CHANNELS

    return CHANNELS[request.param](webhooks, getattr(platforms, request.param))
