"""Reading the text of a screenshot with Tesseract (Debian's tesseract-ocr, -vie).

A screenshot reaches the action server as a reference in the message's
metadata, and this module decides what that reference may point at
(docs/security.md):
- our own services, by the configured address only: the web chat's uploads
  on the bot service (fetched with SERVICE_TOKEN) and Telegram's signed photo
  route on Rasa;
- a platform's own media servers (Zalo, Facebook), over HTTPS, to public
  addresses only, following no redirect to anywhere else.
Anything else is refused before any request is made. Images are then checked
with Pillow (PNG, JPEG or WebP, at most MAX_PIXELS), re-encoded, and read by
Tesseract a few at a time under memory and CPU limits.
"""

from __future__ import annotations

import asyncio
import io
import ipaddress
import os
import resource
import shutil
import socket
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urljoin, urlsplit

import httpx
from PIL import Image

from bot.settings import Settings
from contract.media import MAX_IMAGE_BYTES

# A long scrolling screenshot of a phone (1080 x 10,000) fits; a decompression bomb does not.
MAX_PIXELS = 12_000_000
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
LANGUAGES = "vie+eng"
OCR_TIMEOUT_SECONDS = 30
OCR_AT_ONCE = 2
OCR_MEMORY_BYTES = 1024 * 1024 * 1024
MAX_REDIRECTS = 3
# The hosts the platforms serve attachments from (their CDNs); docs/security.md.
PLATFORM_MEDIA_HOSTS = (".zadn.vn", ".zdn.vn", ".zalo.me", ".fbcdn.net", ".fbsbx.com")
SERVICE_TOKEN_HEADER = "X-Service-Token"

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, the image was refused or could not be fetched, or reading failed."""


@dataclass(frozen=True)
class ImageSources:
    """Where a screenshot reference may lead."""

    uploads_base: str
    telegram_photos_base: str
    service_token: str
    media_hosts: tuple[str, ...] = PLATFORM_MEDIA_HOSTS

    @classmethod
    def from_settings(cls, settings: Settings) -> ImageSources:
        return cls(
            uploads_base=f"{settings.bot_service_url.rstrip('/')}/uploads/",
            telegram_photos_base=f"{settings.rasa_url.rstrip('/')}/webhooks/telegram/photo/",
            service_token=settings.service_token,
        )

    def internal_request(self, url: str) -> tuple[str, dict] | None:
        """Our own service's address for a reference to it, rebuilt from configuration; None if it is not one."""
        for base, headers in (
            (self.uploads_base, {SERVICE_TOKEN_HEADER: self.service_token}),
            (self.telegram_photos_base, {}),
        ):
            if url.startswith(base):
                tail = url[len(base) :]
                if not tail or tail.startswith(("/", ".")) or "/" in tail.split("?", 1)[0]:
                    return None
                return base + tail, headers
        return None

    def is_platform_media(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return (
            parts.scheme == "https"
            and parts.port in (None, 443)
            and not parts.username
            and any(host.endswith(suffix) for suffix in self.media_hosts)
            and _resolves_to_public_addresses(host)
        )


@lru_cache(maxsize=1)
def _sources_from_env() -> ImageSources:
    return ImageSources.from_settings(Settings.from_env())


def _resolves_to_public_addresses(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(str(a).split("%", 1)[0]).is_global for a in addresses)


async def text_from_image_url(url: str, sources: ImageSources | None = None) -> str:
    image = await fetch_image(url, sources or _sources_from_env())
    return await text_from_image_bytes(image)


async def fetch_image(url: str, sources: ImageSources) -> bytes:
    internal = sources.internal_request(url)
    if internal is None and not sources.is_platform_media(url):
        raise OcrUnavailable("not an image source we fetch from")
    target, headers = internal or (url, {})
    try:
        async with httpx.AsyncClient(timeout=20, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                async with client.stream("GET", target, headers=headers) as response:
                    if response.is_redirect and internal is None:
                        target = urljoin(target, response.headers.get("location", ""))
                        if not sources.is_platform_media(target):
                            raise OcrUnavailable("redirected away from the platform's media servers")
                        continue
                    response.raise_for_status()
                    return await _read_capped(response)
    except httpx.HTTPError as error:
        raise OcrUnavailable(f"could not fetch the image: {type(error).__name__}") from None
    raise OcrUnavailable("too many redirects")


async def _read_capped(response: httpx.Response) -> bytes:
    announced = response.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > MAX_IMAGE_BYTES:
        raise OcrUnavailable("image too large")
    image = bytearray()
    async for chunk in response.aiter_bytes():
        image.extend(chunk)
        if len(image) > MAX_IMAGE_BYTES:
            raise OcrUnavailable("image too large")
    return bytes(image)


def checked_image(image: bytes) -> bytes:
    """The image re-encoded as a greyscale PNG, once Pillow has checked its format and size."""
    try:
        with Image.open(io.BytesIO(image)) as opened:
            if opened.format not in ACCEPTED_FORMATS:
                raise OcrUnavailable(f"not a PNG, JPEG or WebP image ({opened.format})")
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise OcrUnavailable("image has too many pixels")
            output = io.BytesIO()
            opened.convert("L").save(output, format="PNG")
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as error:
        raise OcrUnavailable(f"not a readable image: {type(error).__name__}") from None
    return output.getvalue()


@cache
def _ocr_slots(loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore:
    return asyncio.Semaphore(OCR_AT_ONCE)


def _limit_tesseract() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (OCR_MEMORY_BYTES, OCR_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (OCR_TIMEOUT_SECONDS, OCR_TIMEOUT_SECONDS + 5))


async def text_from_image_bytes(image: bytes) -> str:
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("tesseract is not installed")
    async with _ocr_slots(asyncio.get_running_loop()):
        clean = await asyncio.to_thread(checked_image, image)
        process = await asyncio.create_subprocess_exec(
            "tesseract",
            "stdin",
            "stdout",
            "-l",
            LANGUAGES,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            preexec_fn=_limit_tesseract,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(clean), OCR_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            process.kill()
            raise OcrUnavailable("tesseract took too long") from None
    if process.returncode != 0:
        raise OcrUnavailable(f"tesseract exited with {process.returncode}")
    return " ".join(output.decode("utf-8", errors="replace").split())
