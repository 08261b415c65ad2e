"""Reading the text of a screenshot with Tesseract (Debian's tesseract-ocr, -vie)."""
from __future__ import annotations

import asyncio
import shutil

import httpx

MAX_IMAGE_BYTES = 10 * 1024 * 1024
LANGUAGES = "vie+eng"
OCR_TIMEOUT_SECONDS = 30


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed, the image could not be fetched, or reading failed."""


async def text_from_image_bytes(image: bytes) -> str:
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("tesseract is not installed")
    process = await asyncio.create_subprocess_exec(
        "tesseract", "stdin", "stdout", "-l", LANGUAGES,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(image), OCR_TIMEOUT_SECONDS)
    except asyncio.TimeoutError:
        process.kill()
        raise OcrUnavailable("tesseract took too long") from None
    if process.returncode != 0:
        raise OcrUnavailable(f"tesseract exited with {process.returncode}")
    return " ".join(output.decode("utf-8", errors="replace").split())


async def text_from_image_url(url: str) -> str:
    try:
        async with httpx.AsyncClient(timeout=20, follow_redirects=True) as client:
            async with client.stream("GET", url) as response:
                response.raise_for_status()
                image = bytearray()
                async for chunk in response.aiter_bytes():
                    image.extend(chunk)
                    if len(image) > MAX_IMAGE_BYTES:
                        raise OcrUnavailable("image too large")
    except httpx.HTTPError as error:
        raise OcrUnavailable(f"could not fetch the image: {type(error).__name__}") from None
    return await text_from_image_bytes(bytes(image))
