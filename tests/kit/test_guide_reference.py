"""docs/plugins.md's reference names every parameter a partner can give core's declarations: a
new option without its row (or a row left behind) fails here."""
import dataclasses
import re
from pathlib import Path

import pytest

from core.documents import Action, Column, Deadline, DocType, Lines, PrintVariant, Related
from core.documents.extensions import Extension
from core.documents.fields import Field
from core.manifest import Manifest
from core.workflow import ApprovalStep, Transition, Workflow

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text(encoding="utf-8")
REFERENCE = GUIDE[GUIDE.index("#### Reference: every option"):GUIDE.index("### `erp_document_extensions()`")]
TABLED = {DocType: "`DocType(...)`", Field: "`Field(name, label", Transition: "`Transition(name, label"}


@pytest.mark.parametrize("cls", [DocType, Field, Lines, Column, Action, Related, Deadline, Transition, Workflow,
                                 ApprovalStep, Manifest, Extension], ids=lambda c: c.__name__)
def test_every_parameter_is_in_the_reference(cls):
    names = [f.name for f in dataclasses.fields(cls) if f.init or f.name == "distribution"]
    if cls in TABLED:  # a table: each parameter starts a row (alone or beside another)
        table = REFERENCE[REFERENCE.index(TABLED[cls]):]
        table = table[:table.index("\n\n", table.index("|---|"))]
        rows = {name for row in re.findall(r"^\| (.+?) \|", table, re.M) for name in re.findall(r"`(\w+)`", row)}
        assert sorted(set(names) - rows) == [], f"{cls.__name__} options without their row"
        assert sorted(rows - set(names)) == [], f"rows of {cls.__name__} options that do not exist"
    else:  # a paragraph opening with the signature, then each parameter in backticks
        start = re.search(rf"^`{cls.__name__}\(", REFERENCE, re.M)
        assert start is not None, f"no paragraph opening with `{cls.__name__}(...)`"
        paragraph = REFERENCE[start.start():]
        paragraph = paragraph[:paragraph.index("\n\n")]
        missing = [n for n in names if f"`{n}`" not in paragraph and f"{n}=" not in paragraph]
        assert missing == [], f"{cls.__name__}: {missing}"


def test_print_variants_are_documented_where_prints_are():
    section = GUIDE[GUIDE.index("**Prints.**"):]
    section = section[:section.index("**Followers")]
    for f in dataclasses.fields(PrintVariant):
        assert f"`{f.name}`" in section or f"{f.name}=" in section, f.name
