"""The facts every process must agree on, in one place.

Rasa (channels/, tracker/), the action server (actions/) and the bot service
(bot/) run apart and share a database and a few names. What they must agree
on lives here: how a platform user id becomes the pseudonymous `user_key`,
the secret registry, intent and action names, the staff-reply marker,
platform limits, the image cap, the connectors' tables and the database
defaults. Plain Python (standard library and SQLAlchemy Core): every room may
import it, and it imports none of them (tests/unit/test_rooms.py).
"""
