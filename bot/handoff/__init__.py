"""Hand-off to hotline staff: cases, the conversation around them, staff notification, delivery."""
