"""Fill empty msgstr entries of every catalog from a {msgid: translation} dict in a Python file.

    python tools/po_fill.py translations.py    # the file defines ZH = {...}
"""
import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    table = runpy.run_path(sys.argv[1])["ZH"]
    for po in list(ROOT.glob("core/translations/zh/LC_MESSAGES/messages.po")) + \
            list(ROOT.glob("modules/*/translations/zh/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if message.id and not message.string and message.id in table:
                message.string = table[message.id]
        with po.open("wb") as f:
            write_po(f, catalog, width=100, include_lineno=False)
