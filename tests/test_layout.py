"""The layout stays as docs/architecture.md draws it (`lint-imports` in `make lint` checks the direction of imports)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dateline"
COMPOSITION = {"__init__", "__main__", "apps", "asgi", "settings", "urls", "views", "wsgi"}
ARTICLES_SURFACE = 45  # names other apps may import from articles: its models and a small public interface
TEMPLATE_LINE = 160


def modules():
    return [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]


def imported(path):
    """(module, name) for every `from dateline… import name` in `path`, relative imports resolved."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            parts = [*package[: len(package) - node.level + 1], node.module] if node.level else [node.module]
            module = ".".join(part for part in parts if part)
            yield from ((module, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)


def test_package_root_only_composes():
    """The package root holds settings, urls, wsgi, asgi, __main__, apps and the root views, nothing else."""
    assert {path.stem for path in PACKAGE.glob("*.py")} == COMPOSITION


def test_page_cache_imports_no_other_app():
    """dateline.pagecache is a leaf: wsgi.py hands it what it needs."""
    for path in (PACKAGE / "pagecache").rglob("*.py"):
        others = {module for module, _ in imported(path) if module.startswith("dateline.")}
        assert {module for module in others if not module.startswith("dateline.pagecache")} == set(), path


def test_other_apps_import_a_small_surface_of_articles():
    """Other packages import at most 45 names from articles (its models, querysets and a few public modules)."""
    names = set()
    for path in modules():
        if path.is_relative_to(PACKAGE / "articles"):
            continue
        names |= {(module, name) for module, name in imported(path) if module.startswith("dateline.articles")}
    assert len(names) <= ARTICLES_SURFACE, sorted(names)


def test_template_lines_stay_readable():
    """No template line is longer than 160 characters (templates are indented by djhtml, see `make lint`)."""
    long_lines = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(line) > TEMPLATE_LINE
    ]
    assert long_lines == []
