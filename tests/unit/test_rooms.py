"""What each room may import (docs/architecture.md): read from the source, so no run can miss a lazy import."""

import ast
import sys
from pathlib import Path

import pytest
from support import ROOT

ROOMS = ("bot", "channels", "actions", "tracker", "nlu", "contract")
NEVER = {
    # The contract every process shares: the standard library and SQLAlchemy Core, none of the rooms.
    "contract": {*ROOMS} - {"contract"} | {"rasa", "rasa_sdk", "sqlalchemy.orm"},
    # The application, free of Rasa, and of the processes that run on Rasa's side.
    "bot": {"rasa", "rasa_sdk", "channels", "actions", "tracker"},
    # Inside Rasa: what they share with the other processes comes from contract/.
    "channels": {"bot", "actions", "tracker", "nlu"},
    "tracker": {"bot", "actions", "channels", "nlu"},
    # Understanding text: no application, no process.
    "nlu": {"bot", "actions", "channels", "tracker", "contract"},
}
ALLOWED_THIRD_PARTY = {"contract": {"sqlalchemy"}}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


def refused(module: str, never: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in never)


@pytest.mark.parametrize("room", NEVER)
def test_a_room_imports_nothing_it_may_not(room):
    wrong = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / room).rglob("*.py"))
        for module in imported_modules(path)
        if refused(module, NEVER[room])
    }
    assert not wrong


def test_the_contract_needs_only_the_standard_library_and_sqlalchemy():
    outside = {
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "contract").rglob("*.py"))
        for module in imported_modules(path)
        if module.split(".")[0]
        not in sys.stdlib_module_names | {"contract", "__future__"} | ALLOWED_THIRD_PARTY["contract"]
    }
    assert not outside
