"""Layers point one way: no app imports an app above it, and no app imports the project
package (docs/decisions/0005-layers.md).

`LAYERS` below is the one place the order is written, bottom first. Everything else
directly under beian/ — api.py, urls.py, settings.py, cli.py, wsgi/asgi, the project's
own commands (beian/management/), the demo — is the project package, on top of all apps.

Every import counts, at module level and inside functions; tests and migrations are left
out (a test may build its data with any app's services). A lower layer that needs
something from a higher one exposes a hook or a setting-chosen adapter that the higher
layer fills (see the decision record for the ones in use).
"""

from __future__ import annotations

import ast
from pathlib import Path

BEIAN = Path(__file__).resolve().parents[2]

LAYERS = (
    "core",  # shared kernel: clock, calendar, audit, PII crypto, private files, errors
    "rules",  # checks and province rules (data)
    "notify",  # outbox, backends, worker, periodic jobs, staff digest
    "accounts",  # users and roles
    "hosting",  # servers, IPs, filing service codes
    "filings",  # subjects, websites, applications, the workflow table
    "materials",  # uploads, requirements, forms (for an application)
    "review",  # the provider's back office
    "authority",  # MIIT enterprise interface, simulator (adapters for filings and review)
    "registry",  # public query, access gate, display checker
)
PROJECT = "beian (project package)"
# Packages directly under beian/ that belong to the project package, not to a layer.
PROJECT_PACKAGES = {"management", "demo"}

# (importing file, imported module) pairs allowed against the order, each with its reason.
ALLOWED = {
    ("authority/sim_settings.py", "beian.settings"): (
        "a settings module: the simulator's settings extend the project's "
        "(docs/decisions/0003-authority-simulator.md)"
    ),
}


def _sources():
    for path in sorted(BEIAN.rglob("*.py")):
        rel = path.relative_to(BEIAN)
        if "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield path, rel


def _layer_of(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in LAYERS else PROJECT


def _module_parts(rel: Path) -> list[str]:
    parts = ["beian", *rel.with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path, rel: Path):
    """(line, dotted module, inside a function) for every import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inside = {id(n) for f in functions for n in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _module_parts(rel)
                if rel.name != "__init__.py":
                    package = package[:-1]
                base = package[: len(package) - node.level + 1]
                names = [".".join(base + ([node.module] if node.module else []))]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            if name == "beian" or name.startswith("beian."):
                yield node.lineno, name, id(node) in inside


def _target_layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else PROJECT


def test_every_package_under_beian_has_a_place():
    unplaced = [
        d.name
        for d in BEIAN.iterdir()
        if (d / "__init__.py").exists() and d.name not in LAYERS and d.name not in PROJECT_PACKAGES
    ]
    assert unplaced == [], f"add {unplaced} to LAYERS (or PROJECT_PACKAGES) in {__file__}"


def test_no_app_imports_an_app_above_it_or_the_project_package():
    rank = {name: i for i, name in enumerate(LAYERS)}
    wrong = []
    for path, rel in _sources():
        source = _layer_of(rel)
        if source == PROJECT:
            continue
        for line, module, _ in _imports(path, rel):
            target = _target_layer(module)
            if target == source or (rel.as_posix(), module) in ALLOWED:
                continue
            if target == PROJECT or rank[target] > rank[source]:
                wrong.append(f"beian/{rel}:{line} ({source}) imports {module} ({target})")
    assert wrong == [], "imports against the layers:\n" + "\n".join(wrong)


def _has_reason(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or on the line above its run of imports."""
    if "#" in lines[line - 1]:
        return True
    above = line - 2
    while above >= 0:
        text = lines[above].strip()
        if not text or text.startswith(("from ", "import ", ")")) or text.endswith(","):
            above -= 1
            continue
        return text.startswith("#")
    return False


def test_an_import_inside_a_function_says_why():
    """Function-level imports of beian modules are for app loading (AppConfig.ready),
    commands that must set up a process first, or the like; each says so in a comment.
    An import hidden only to dodge a circle means a layer points the wrong way."""
    silent = []
    for path, rel in _sources():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, module, in_function in _imports(path, rel):
            if not in_function:
                continue
            if not _has_reason(lines, line):
                silent.append(f"beian/{rel}:{line} {module}")
    assert silent == [], "imports inside functions without a reason:\n" + "\n".join(silent)


def test_nothing_shipped_imports_the_test_builders():
    """`testing/` (repository root) is the tests' own package, never shipped
    (docs/decisions/0008-test-builders-and-the-demo.md)."""
    wrong = []
    for path, rel in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            wrong += [
                f"beian/{rel}:{node.lineno} {n}" for n in names if n.split(".")[0] == "testing"
            ]
    assert wrong == [], "shipped code imports the test builders:\n" + "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path):
    """The parser resolves absolute and relative imports to their layer."""
    path = tmp_path / "x.py"
    path.write_text(
        "from beian.review import services\n"
        "def f():\n    from ..registry import gate\n"
        "from . import models\n"
    )
    found = sorted((m, fn) for _, m, fn in _imports(path, Path("filings/x.py")))
    assert found == [("beian.filings", False), ("beian.registry", True), ("beian.review", False)]
    assert _target_layer("beian.settings") == PROJECT
    assert _layer_of(Path("management/commands/serve.py")) == PROJECT
