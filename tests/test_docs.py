"""Docs are code: every setting read from the environment and every command of ours is documented."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "dateline" / "settings.py").read_text()
VARIABLES = sorted(set(re.findall(r'(?:environ\.get|env_flag|env_list)\("([A-Z_]+)"', SETTINGS)))
COMMANDS = sorted(p.stem for p in ROOT.glob("dateline/**/management/commands/*.py") if p.stem != "__init__")


@pytest.mark.parametrize("variable", VARIABLES)
def test_environment_variable_is_documented(variable):
    """Each environment variable the settings read has a row in docs/configuration.md."""
    assert f"| `{variable}` |" in (ROOT / "docs" / "configuration.md").read_text()


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command):
    """Each of Dateline's own commands has a section in docs/commands.md."""
    assert f"## `dateline {command}" in (ROOT / "docs" / "commands.md").read_text()


def test_readme_gives_the_two_commands():
    """The README's set-up is `make run` and `make test`."""
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_page_cache_bypass_is_documented():
    """PAGE_CACHE_BYPASS, a setting that is not read from the environment, is described in docs/configuration.md."""
    assert "PAGE_CACHE_BYPASS = {" in SETTINGS
    assert "`PAGE_CACHE_BYPASS`" in (ROOT / "docs" / "configuration.md").read_text()
