"""The application: plain Python, no Rasa imports (see ../shared/design/ARCHITECTURE.md)."""
