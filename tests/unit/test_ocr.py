"""Screenshots of offers, drawn by the test itself with a Debian font, read with Tesseract."""

import asyncio
import shutil

import pytest
from support import ROOT
from support.screenshots import OFFER_LINES, screenshot

from bot.content import load_templates
from bot.offers import HIGH, OfferChecker
from bot.offers.ocr import text_from_image_bytes


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
