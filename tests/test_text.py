"""model/report/text.py: one translation table; every key used is defined, every key defined is used, both
languages fill the same placeholders, and Chinese texts carry no stray English."""
from __future__ import annotations

import ast
import re
import string

import pytest

from model.report.keys import dynamic_keys
from model.report.text import LANGS, RENAMED_KEYS, MissingText, placeholders, table, tr
from tests.conftest import REPO

CODE = [p for d in ("model", "ui", "pages") for p in (REPO / d).rglob("*.py")] + [REPO / "app.py"]
CALLS = {"t", "tr", "tx"}  # functions whose first (text) or second (tx: key) argument is a key


def _literals_and_calls():
    literals, called = set(), {}
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in CALLS:
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    called.setdefault(node.args[0].value, f"{path.relative_to(REPO)}:{node.lineno}")
    return literals, called


LITERALS, CALLED = _literals_and_calls()


def test_every_key_called_is_defined():
    """Every key a call names is defined (keys removed with the plan-as-data refactor are listed with their
    replacement in text.RENAMED_KEYS: the pages that still call them are checked apart, below)."""
    missing = {k: where for k, where in CALLED.items() if k not in table() and k not in RENAMED_KEYS}
    assert not missing, missing


def test_no_call_names_a_removed_key():
    stale = {k: (where, RENAMED_KEYS[k]) for k, where in CALLED.items() if k in RENAMED_KEYS}
    assert not stale, stale


def test_model_calls_no_removed_key():
    stale = {k: where for k, where in CALLED.items() if k in RENAMED_KEYS and where.startswith("model")}
    assert not stale, stale


def test_every_key_built_at_run_time_is_defined():
    missing = sorted(k for k in dynamic_keys() if k not in table())
    assert not missing, missing


def test_every_key_defined_is_used():
    unused = sorted(k for k in table() if k not in LITERALS and k not in dynamic_keys())
    assert not unused, unused


# A segment is named by its name in Chinese and by its output in English (轨道交通产业 / rail-transit output): the
# code always fills both forms, so a text may use either.
SAME_THING = {"output": "seg", "parent_output": "parent"}


def test_both_languages_fill_the_same_placeholders():
    for key, texts in table().items():
        got = {lang: {SAME_THING.get(f, f) for _, f, _, _ in string.Formatter().parse(texts[lang]) if f}
               for lang in LANGS}
        assert got["zh"] == got["en"], key


ALLOWED_ASCII = {"PNG", "SVG", "HTML", "CSV", "PDF", "Excel", "Word", "WPS", "ID", "QR", "P10", "P25", "P50",
                 "P75", "P90", "A", "B", "IGBT", "UTC", "S", "GBK", "UTF", "BOM", "xlsx", "docx", "present",
                 "assumptions", "csv", "m", "s", "mu", "Language", "SHA", "parameter",
                 "C", "D"}  # A–D: the classes of the per-mu evaluation (A类 … D类), as practice writes them


def test_chinese_texts_carry_no_english_words():
    bad = {}
    for key, texts in table().items():
        text = re.sub(r"\{[^}]*\}", "", texts["zh"])
        text = re.sub(r"[A-Za-z0-9_/]+\.(csv|xlsx|docx|html|db|py)(?![A-Za-z0-9])", "", text)  # file names are names
        words = {w.strip("-") for w in re.findall(r"[A-Za-z][A-Za-z_\-]*", text)}
        stray = words - ALLOWED_ASCII
        if stray:
            bad[key] = sorted(stray)
    assert not bad, bad


def test_a_missing_key_or_placeholder_is_an_error_not_a_silent_key():
    with pytest.raises(MissingText):
        tr("no.such.key")
    key = next(k for k in table() if placeholders(k))
    with pytest.raises(MissingText):
        tr(key, "zh")


def test_no_text_is_typed_inline_in_pages():
    """Pages read texts from the table: no `zh if … else en` ternaries, no CJK string literals."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    offenders = []
    for path in [REPO / "app.py", *(REPO / "pages").glob("*.py"), *(REPO / "ui").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if id(node) in docstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and cjk.search(node.value):
                if node.value not in ("中文", "（", "）", "、", "：") and not node.value.startswith("语言"):
                    offenders.append(f"{path.name}:{node.lineno}: {node.value[:30]}")
    assert not offenders, offenders


# English texts that must show Chinese: the plan's money units (亿元, 万元/亩), the values an actuals file holds in
# Chinese (the office types them), and the language switch's own label
EN_MAY_SHOW_CHINESE = {"pe.empty_intro", "pe.help.qual", "language"}


def test_english_texts_carry_no_chinese_but_the_plans_units():
    bad = {}
    for key, texts in table().items():
        if key in EN_MAY_SHOW_CHINESE:
            continue
        text = re.sub(r"\{[^}]*\}", "", texts["en"]).replace("万元/亩", "").replace("亿元", "").replace("万元", "")
        found = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text)
        if found:
            bad[key] = found
    assert not bad, bad
