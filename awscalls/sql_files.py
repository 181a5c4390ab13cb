"""SQL files as units of work: each file's statements are applied together, in file-name order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA_DIR = REPOSITORY_ROOT / "sql" / "sample-data"
SAMPLE_DATA_TEARDOWN_DIR = REPOSITORY_ROOT / "sql" / "sample-data-teardown"


@dataclass(frozen=True)
class SqlFile:
    name: str
    statements: tuple[str, ...]


def split_statements(text: str) -> list[str]:
    """Statements of a SQL script, split on semicolons outside quotes, `--` and `#` comments dropped."""
    statements, current = [], []
    quote = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == "\\" and index + 1 < len(text):
                current.append(text[index + 1])
                index += 1
            elif char == quote:
                quote = None
        elif char in ("'", '"', "`"):
            quote = char
            current.append(char)
        elif text.startswith("--", index) or char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline == -1 else newline
            continue
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    statements.append("".join(current).strip())
    return [statement for statement in statements if statement]


def load_sql_files(directory: Path) -> list[SqlFile]:
    """Every `*.sql` file of a directory, sorted by name."""
    files = [SqlFile(path.name, tuple(split_statements(path.read_text()))) for path in sorted(directory.glob("*.sql"))]
    if not files:
        raise FileNotFoundError(f"no .sql files in {directory}")
    return files


def digest(files: list[SqlFile]) -> str:
    """A digest of what would be applied: changes when any statement or file changes."""
    hasher = hashlib.sha256()
    for sql_file in files:
        hasher.update(sql_file.name.encode() + b"\0")
        for statement in sql_file.statements:
            hasher.update(statement.encode() + b"\0")
    return hasher.hexdigest()
