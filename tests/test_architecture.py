"""Use cases take typed ports and get domain values back: mypy can only check what is typed, so
an `Any` unit of work or a port answering `Any` (an ORM row, in practice) is refused here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"


def _is_any(annotation: ast.expr | None) -> bool:
    return isinstance(annotation, ast.Name) and annotation.id == "Any"


def _answers_any(annotation: ast.expr | None) -> bool:
    """`Any`, or a list, tuple or Optional of it (a `dict[str, Any]` payload is plain data)."""
    if _is_any(annotation):
        return True
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id in {"list", "tuple", "Sequence", "Iterable"}
    ):
        return _answers_any(annotation.slice)
    if isinstance(annotation, ast.BinOp):  # X | None
        return _answers_any(annotation.left) or _answers_any(annotation.right)
    return False


def _is_protocol(node: ast.ClassDef) -> bool:
    return any(isinstance(base, ast.Name) and base.id == "Protocol" for base in node.bases)


def untyped_ports(source: str) -> list[str]:
    """What in a module's source lets an untyped unit of work or row through, named."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in node.args.args + node.args.kwonlyargs:
                if arg.arg == "uow" and _is_any(arg.annotation):
                    found.append(f"{node.name}(uow: Any)")
        if isinstance(node, ast.ClassDef) and _is_protocol(node):
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and _answers_any(member.returns):
                    found.append(f"{node.name}.{member.name} -> Any")
    return found


def test_the_rule_sees_an_untyped_unit_of_work_and_a_port_answering_rows():
    source = (
        "class Teams(Protocol):\n"
        "    def get(self, team_id: int) -> Any: ...\n"
        "    def all(self) -> list[Any]: ...\n"
        "    def payload(self) -> dict[str, Any]: ...\n"
        "def decide(uow: Any, ctx: int) -> None: ...\n"
    )
    assert untyped_ports(source) == ["Teams.get -> Any", "Teams.all -> Any", "decide(uow: Any)"]


@pytest.mark.parametrize(
    "module", sorted(BOT.rglob("*.py")), ids=lambda path: str(path.relative_to(BOT))
)
def test_use_cases_take_typed_ports_answering_domain_values(module: Path):
    assert untyped_ports(module.read_text()) == []
