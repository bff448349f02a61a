"""Import rules that keep the house in order, checked on the source itself."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IO_LIBRARIES = ("sqlalchemy", "httpx", "arq", "fastapi", "starlette", "redis", "asyncpg")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _modules(folder):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("shared", ("services",)),
        ("services/api", ("services.matcher", "services.webhooks", "services.cli")),
        ("services/matcher", ("services.api", "services.webhooks", "services.cli")),
        ("services/webhooks", ("services.api", "services.matcher", "services.cli")),
        ("shared/domain", IO_LIBRARIES),
        ("services/matcher/pipeline", (*IO_LIBRARIES, "shared.db", "shared.models", "shared.config")),
    ],
)
def test_imports_flow_one_way(folder: str, forbidden: tuple[str, ...]) -> None:
    assert _modules(folder), f"{folder} has no modules"
    assert _violations(folder, forbidden) == []


def test_every_module_says_what_belongs_in_it() -> None:
    missing = [
        str(path.relative_to(ROOT))
        for folder in ("shared", "services")
        for path in _modules(folder)
        if path.read_text().strip() and ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert missing == []


@pytest.mark.parametrize("room", ["services/matcher/jobs", "services/webhooks/jobs"])
def test_job_modules_are_thin_entry_points(room: str) -> None:
    """A job module hands ids to its room's logic: no SQL, no HTTP, and no module-level state."""
    for path in _modules(room):
        tree = ast.parse(path.read_text())
        names = _imports(path)
        assert not any(n.startswith(("sqlalchemy", "httpx")) for n in names), f"{path.name}: I/O belongs elsewhere"
        classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
        assert classes == [], f"{path.name} defines {classes}: a job module holds entry points only"
