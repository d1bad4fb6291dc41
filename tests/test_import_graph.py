"""No import cycle in model/ or ui/: a walk over every import statement of every module — at the top of a file or
inside a function alike — finds no circle (issue 24: the layering a plan-as-data engine needs)."""
from __future__ import annotations

import ast

from tests.conftest import REPO


def _modules() -> dict[str, object]:
    out = {}
    for base in ("model", "ui"):
        for p in (REPO / base).rglob("*.py"):
            name = ".".join(p.relative_to(REPO).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = p
    return out


def _targets(mods: dict, cur: str, node) -> set[str]:
    names = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            parts = cur.split(".")
            pkg = parts if mods[cur].name == "__init__.py" else parts[:-1]
            pkg = pkg[:len(pkg) - (node.level - 1)]
            module = ".".join(pkg + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in mods]
        names = subs if subs and len(subs) == len(node.names) else [module] + subs  # `from . import sub`: the sub
    out = set()
    for m in names:
        while m and m not in mods:
            m = m.rpartition(".")[0]
        if m and m != cur:
            out.add(m)
    return out


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph = {m: set() for m in mods}
    for m, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[m] |= _targets(mods, m, node)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def _import_time_nodes(tree):
    """Import statements that run when the module is imported: everything but function bodies."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        todo.extend(ast.iter_child_nodes(node))


def lock_graph() -> dict[str, set[str]]:
    """Which module locks an import can wait on while it holds its own: the imports its body runs, and its package
    (Python imports ``a.b``'s package ``a`` while holding ``a.b``'s lock)."""
    mods = _modules()
    graph = {m: set() for m in mods}
    for m, path in mods.items():
        for node in _import_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            graph[m] |= _targets(mods, m, node)
        parent = m.rpartition(".")[0]
        if parent in mods:
            graph[m].add(parent)
    return graph


def test_import_locks_are_taken_in_one_order():
    """Sessions that start at once import modules at once; Python's per-module import locks only never deadlock (or
    hand a thread another thread's half-initialised module) when no import can wait on a lock held by something it
    is itself needed for. So a package never imports its own submodules at import time (PEP 562 names instead)."""
    assert cycles(lock_graph()) == []


def test_the_lock_walk_sees_a_package_that_imports_its_submodule(tmp_path, monkeypatch):
    pkg = tmp_path / "model" / "p"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .child import x\n")
    (pkg / "child.py").write_text("x = 1\n\ndef f():\n    from . import y\n")
    (tmp_path / "ui").mkdir()
    monkeypatch.setitem(globals(), "REPO", tmp_path)
    assert cycles(lock_graph()) == [["model.p", "model.p.child"]]
    (pkg / "__init__.py").write_text("def __getattr__(name):\n    from .child import x\n    return x\n")
    assert cycles(lock_graph()) == []


def test_no_import_cycle_in_model_or_ui():
    assert cycles(import_graph()) == []


def test_the_walk_sees_a_cycle_when_there_is_one():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(g) == [["a", "b", "c"]]


def test_model_never_imports_the_ui_or_streamlit():
    graph = import_graph()
    assert not [m for m, t in graph.items() if m.startswith("model") and any(x.startswith("ui") for x in t)]
    for path in (REPO / "model").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("streamlit") for a in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("streamlit"), path
