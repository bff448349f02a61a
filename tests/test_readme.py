"""The README stays true: its settings table is the one Settings generates, and its commands exist."""

import re
from pathlib import Path

from shared.settings_doc import settings_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_settings_table_matches_settings() -> None:
    assert settings_table() in README, "regenerate with: .venv/bin/python -m shared.settings_doc"


def test_make_targets_named_in_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"make ([a-z-]+)", README))
    assert named <= targets, named - targets


def test_tree_names_only_existing_folders() -> None:
    for folder in (
        "shared/models",
        "shared/records",
        "shared/domain",
        "services/api/kit",
        "services/matcher/pipeline",
        "services/cli",
        "migrations",
        "deploy/k8s",
        "bench",
    ):
        assert folder.split("/")[-1] + "/" in README
        assert (ROOT / folder).is_dir(), folder
