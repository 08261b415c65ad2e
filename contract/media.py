"""What an image from a user may be, wherever it arrives."""

MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""A screenshot larger than this is not read: the bot service refuses the web chat's upload
(bot/service.py BODY_LIMITS), the action server stops fetching (bot/offers/ocr.py), and the
Telegram connector does not pass the photo on (channels/telegram.py)."""
