"""SQLAlchemy's deprecation warnings, those of 2.0 included, are errors under pytest (tests/conftest.py)."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import RemovedIn20Warning


def test_a_use_that_sqlalchemy_2_removes_fails_the_test():
    legacy_engine = create_engine("sqlite://")  # no future=True: the 1.x API, where 2.0 warnings live
    with pytest.raises(RemovedIn20Warning, match="Engine.execute"):
        legacy_engine.execute(text("SELECT 1"))
