"""rasa_sdk actions: each reads the tracker, calls one `bot` function, returns events."""
