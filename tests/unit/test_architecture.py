"""The house rules of docs/architecture.md, checked on every run.

import-linter checks the layers and the forbidden imports declared in pyproject.toml;
the rest is read from the source with `ast`: only hotline/settings.py reads the
environment, no module is part of an import cycle (imports inside functions count),
and an import inside a function says why on its line or the line above.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hotline"
ENV_READER = PACKAGE / "settings.py"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imported(module: str, node: ast.AST, path: Path) -> set[str]:
    """The hotline modules an import statement names (a package's module, or the package)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[:len(package) - node.level + 1]
            base = ".".join(package + ([base] if base else []))
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    return {name for name in names if name in MODULES and name != module}


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and not _type_checking_only(tree, node):
                graph[module] |= _imported(module, node, path)
    return graph


def _type_checking_only(tree: ast.Module, target: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            if any(child is target for child in ast.walk(node)):
                return True
    return False


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT_IDS = ["layers", "pure-core", "usecases", "views"]


@pytest.mark.parametrize("contract_id", CONTRACT_IDS)
def test_import_contract(contract_id):
    """One import-linter contract of pyproject.toml (its report names every broken import)."""
    result = subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--contract",
                             contract_id, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_only_settings_reads_the_environment():
    readers = []
    for module, path in MODULES.items():
        if path == ENV_READER:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv", "unsetenv") \
                    and isinstance(node.value, ast.Name) and node.value.id == "os":
                readers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not readers, "the environment is read outside hotline/settings.py:\n" + "\n".join(readers)


def _function_imports(path: Path):
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                yield node, lines


def _says_why(node: ast.AST, lines: list[str]) -> bool:
    here = lines[node.lineno - 1]
    above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
    return "#" in here or above.startswith("#")


def test_imports_inside_functions_say_why():
    silent = [f"{path.relative_to(ROOT)}:{node.lineno}"
              for path in MODULES.values() for node, lines in _function_imports(path)
              if not _says_why(node, lines)]
    assert not silent, ("imports inside functions without a comment saying why "
                        "(an optional dependency, a lazily loaded command):\n" + "\n".join(silent))


def test_the_ports_are_one_namespace_without_clashes():
    """Every area's ports file exports its own names; `hotline.ports` has them all, each once."""
    import importlib

    import hotline.ports as ports

    owners: dict[str, str] = {}
    for path in sorted((PACKAGE / "ports").glob("*.py")):
        if path.stem == "__init__":
            continue
        module = importlib.import_module(f"hotline.ports.{path.stem}")
        for name in module.__all__:
            assert name not in owners, f"{name} is defined in ports/{owners[name]}.py and ports/{path.stem}.py"
            owners[name] = path.stem
            assert getattr(ports, name) is getattr(module, name)
