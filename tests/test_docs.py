"""Docs are code: every setting read from the environment, every command of ours and the benchmark scripts' options
are documented."""

import argparse
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "dateline" / "settings.py").read_text()
VARIABLES = sorted(set(re.findall(r'(?:environ\.get|env_flag|env_list)\("([A-Z_]+)"', SETTINGS)))
COMMANDS = sorted(p.stem for p in ROOT.glob("dateline/**/management/commands/*.py") if p.stem != "__init__")
DOCS = ["README.md", "DEVELOPERS.md", *(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))]


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


def test_bench_scripts_named_in_the_docs_exist():
    """Each `bench/….py` that the README, DEVELOPERS.md or docs/ name is a script in bench/."""
    named = {name for doc in DOCS for name in re.findall(r"bench/[a-z_]+\.py", (ROOT / doc).read_text())}
    assert "bench/benchdata.py" in named
    assert sorted(name for name in named if not (ROOT / name).is_file()) == []


def test_bench_data_options_are_documented():
    """Each option of bench/benchdata.py (its own, not Django's) is in its heading in DEVELOPERS.md."""
    from bench import benchdata

    parser = argparse.ArgumentParser(add_help=False)
    benchdata.Command().add_arguments(parser)
    options = [action.option_strings[0] for action in parser._actions]
    heading = next(
        line for line in (ROOT / "DEVELOPERS.md").read_text().splitlines() if line.startswith("### `bench/benchdata.py")
    )
    assert "--stories" in options and [option for option in options if option not in heading] == []


def test_page_cache_bypass_is_documented():
    """PAGE_CACHE_BYPASS, a setting that is not read from the environment, is described in docs/configuration.md."""
    assert "PAGE_CACHE_BYPASS = {" in SETTINGS
    assert "`PAGE_CACHE_BYPASS`" in (ROOT / "docs" / "configuration.md").read_text()


def test_architecture_names_every_app():
    """docs/architecture.md has a row for each of Dateline's installed apps, with its layer."""
    from django.apps import apps

    architecture = (ROOT / "docs" / "architecture.md").read_text()
    ours = [config.label for config in apps.get_app_configs() if config.name.startswith("dateline.")]
    assert ours and [label for label in ours if not re.search(rf"^\| \d+ \| `{label}` \|", architecture, re.M)] == []
