"""A module's Chinese message catalog: extract its messages, keep the translations it has,
compile. Used by ``erp translations MODULE`` (partners) and tools/translate.py (built-ins).

Source strings are English; the catalog is ``<package>/translations/zh/LC_MESSAGES/messages.po``
(Babel reads zh_CN as zh_Hans_CN, so the folder is ``zh``). Every module carries all of its own
messages: a string that only another module's catalog translates would be English whenever
that module is off.
"""
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
SKIPPED = ("translations", "__pycache__", "migrations", "static", "tests")


def catalog_path(package: Path) -> Path:
    return package / "translations" / "zh" / "LC_MESSAGES" / "messages.po"


def build(package: Path, write: bool, skip: tuple = (), project: str = "") -> list[str]:
    """Extract `package`'s messages into its catalog, keeping the translations it has, and compile
    it (`write`); returns the messages still untranslated. `skip`: sub-folders left out."""
    po_path = catalog_path(package)
    old = {}
    if po_path.exists():
        with po_path.open("rb") as f:
            old = {m.id: m.string for m in read_po(f) if m.id}
    catalog = Catalog(locale="zh_Hans_CN", project=project or package.name, fuzzy=False)
    left_out = set(SKIPPED) | set(skip)
    for filename, lineno, message, _comments, _context in extract_from_dir(
            package, METHODS, keywords=KEYWORDS, directory_filter=lambda d: Path(d).name not in left_out):
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
