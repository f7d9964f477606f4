"""Maintain the message catalogs: extract, merge the Chinese translations kept here, compile.

    python tools/translate.py            # core and every built-in module
    python tools/translate.py --check    # only report untranslated messages

Chinese (zh_CN) is the staff's language; source strings are English. Catalogs live under
``translations/zh`` because Babel reads zh_CN as zh_Hans_CN (see ECOSYSTEM.md).
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.catalogs import build as build_catalog  # noqa: E402


def packages():
    yield ROOT / "core"
    for path in sorted((ROOT / "modules").iterdir()):
        if (path / "__init__.py").exists():
            yield path


def build(package: Path, write: bool) -> list[str]:
    return build_catalog(package, write, skip=("modules",) if package.name == "core" else (), project="yinglong-erp")


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
