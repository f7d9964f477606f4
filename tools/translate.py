"""Maintain the message catalogs: extract, merge the Chinese translations kept here, compile.

    python tools/translate.py            # core and every built-in module
    python tools/translate.py --check    # only report untranslated messages

Chinese (zh_CN) is the staff's language; source strings are English. Catalogs live under
``translations/zh`` because Babel reads zh_CN as zh_Hans_CN (see ECOSYSTEM.md).
"""
import json
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}


def packages():
    yield ROOT / "core"
    for path in sorted((ROOT / "modules").iterdir()):
        if (path / "__init__.py").exists():
            yield path


def build(package: Path, write: bool) -> list[str]:
    po_path = package / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    old = {}
    if po_path.exists():
        with po_path.open("rb") as f:
            old = {m.id: m.string for m in read_po(f) if m.id}
    catalog = Catalog(locale="zh_Hans_CN", project="yinglong-erp", fuzzy=False)
    skip = {"modules"} if package.name == "core" else set()
    for filename, lineno, message, comments, context in extract_from_dir(
            package, METHODS, keywords=KEYWORDS,
            directory_filter=lambda d: Path(d).name not in ("translations", "__pycache__", "migrations", "static")):
        catalog.add(message, locations=[(filename, lineno)])
    missing = []
    for message in catalog:
        if not message.id:
            continue
        string = old.get(message.id)
        if not string:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
        else:
            message.string = string
    if not write:
        return missing
    po_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    with po_path.with_suffix(".mo").open("wb") as f:
        write_mo(f, catalog)
    return missing


if __name__ == "__main__":
    problems = {}
    for package in packages():
        missing = build(package, write="--check" not in sys.argv)
        if missing:
            problems[package.name] = missing
    if problems:
        print("Untranslated messages (add them to the .po files):")
        print(json.dumps(problems, ensure_ascii=False, indent=2))
        sys.exit(1)
    print("Catalogs up to date.")
