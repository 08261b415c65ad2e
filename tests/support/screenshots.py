"""Screenshots of offers drawn with a Debian font, for the OCR tests and the checker benchmark."""

import io

from PIL import Image, ImageDraw, ImageFont

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
