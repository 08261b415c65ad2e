"""A screenshot reference can lead only to our own services or a platform's media servers."""

import asyncio

import pytest
from support.image_server import CountingServer, png

from bot.offers.ocr import ImageSources, OcrUnavailable, checked_image, fetch_image


@pytest.fixture
def internal():
    server = CountingServer()
    yield server
    server.close()


def sources(uploads_base="http://127.0.0.1:1/uploads/"):
    return ImageSources(
        uploads_base=uploads_base,
        telegram_photos_base="http://127.0.0.1:2/webhooks/telegram/photo/",
        service_token="service-token",
    )


@pytest.mark.parametrize(
    "url",
    [
        "{internal}/internal",
        "{internal}/uploads/abc",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:{port}/x",
        "file:///etc/passwd",
        "https://evil.example/zadn.vn.png",
        "http://scontent.xx.fbcdn.net/plain-http.png",
        "https://user@scontent.fbcdn.net/x.png",
    ],
)
def test_references_to_anything_but_the_trusted_sources_are_refused_without_a_request(internal, url):
    url = url.format(internal=internal.url, port=internal.port)
    with pytest.raises(OcrUnavailable):
        asyncio.run(fetch_image(url, sources()))
    assert internal.requests == []


def test_an_upload_is_fetched_from_the_configured_service_with_its_token(internal):
    image = asyncio.run(fetch_image(f"{internal.url}/uploads/tok3n", sources(f"{internal.url}/uploads/")))
    assert image.startswith(b"\x89PNG")
    ((path, headers),) = internal.requests
    assert path == "/uploads/tok3n" and headers["X-Service-Token"] == "service-token"
    for tricky in ("../staff/", "tok/../../x", ""):
        with pytest.raises(OcrUnavailable):
            asyncio.run(fetch_image(f"{internal.url}/uploads/{tricky}", sources(f"{internal.url}/uploads/")))
    assert len(internal.requests) == 1


def test_a_platform_host_that_resolves_to_a_private_address_is_refused(monkeypatch, internal):
    import bot.offers.ocr as ocr

    monkeypatch.setattr(ocr.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))])
    with pytest.raises(OcrUnavailable):
        asyncio.run(fetch_image("https://scontent.xx.fbcdn.net/v/t1.png", sources()))
    assert internal.requests == []


def test_only_png_jpeg_and_webp_within_the_pixel_cap_reach_tesseract():
    assert checked_image(png(20, 20)).startswith(b"\x89PNG")
    assert checked_image(png(20, 20, "JPEG")).startswith(b"\x89PNG")
    for refused in (png(20, 20, "GIF"), png(20, 20, "BMP"), b"not an image", png(5000, 5000)):
        with pytest.raises(OcrUnavailable):
            checked_image(refused)
