"""Screenshots of offers, drawn by the test itself with a Debian font, read with Tesseract."""

import asyncio
import io
import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont
from support import ROOT

from bot.content import load_templates
from bot.offers import HIGH, OfferChecker
from bot.offers.ocr import text_from_image_bytes

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OFFER_LINES = [
    "TUYỂN GẤP NHÂN VIÊN NHẬP LIỆU",
    "Làm việc tại Campuchia",
    "Lương 1.500 USD/tháng",
    "Bao vé máy bay, bao ăn ở",
    "Không cần kinh nghiệm",
    "Liên hệ Telegram: @tuyendung_cpc",
]


def screenshot(lines, size=(1080, 1920)) -> bytes:
    """A phone-sized screenshot with the lines as a chat bubble would show them."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 48)
    for number, line in enumerate(lines):
        draw.text((60, 200 + number * 90), line, fill="black", font=font)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@pytest.fixture(scope="module", autouse=True)
def tesseract_is_installed():
    assert shutil.which("tesseract"), "run `make test`, which installs tesseract-ocr and tesseract-ocr-vie"


def test_screenshot_of_a_lure_is_read_and_checked_as_high_risk():
    text = asyncio.run(text_from_image_bytes(screenshot(OFFER_LINES)))
    assert "Campuchia" in text and "USD" in text
    templates, _ = load_templates(ROOT / "content")
    assert OfferChecker(templates.content).check(text).risk == HIGH


def test_image_without_text_gives_no_text():
    assert asyncio.run(text_from_image_bytes(screenshot([]))) == ""
