"""Rasa-side storage: the tracker store that can forget a user."""
