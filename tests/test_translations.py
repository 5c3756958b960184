"""The Vietnamese catalogue is complete, checked, consistent and compiled.

Vietnamese is the default language, so an untranslated or fuzzy msgid is a visible
English string in the product. After `make messages` adds new msgids, these tests list
every entry still to translate. No database is used.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[1] / "locale"
VI_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = VI_PO.with_suffix(".mo")
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# A named Python placeholder with its conversion, e.g. %(name)s or %(count)d.
NAMED = re.compile(r"%(?:%|\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[hlL]?([a-zA-Z]))")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None

    def label(self):
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def unquote(token):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m[1], m[1]), token[1:-1])


def parse_po(path):
    """Entries of a PO file, header first; obsolete (#~) entries are left out."""
    entries, entry, key = [], None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            entry, key = None, None
            continue
        if line.startswith("#"):
            if entry is None or entry.keys:
                entry, key = Entry(line=number), None
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")} - {""}
            continue
        if match := KEYWORD.match(line):
            word, index, text = match.groups()
            is_msgstr = word.startswith("msgstr")
            if entry is None or (
                not is_msgstr and entry.msgstr and word != "msgid_plural"
            ):
                entry = Entry(line=number)
                entries.append(entry)
            if word == "msgid":
                entry.line = number
            key = ("msgstr", int(index or 0)) if is_msgstr else (word, None)
            entry.keys.append(word)
            if is_msgstr:
                entry.msgstr[key[1]] = unquote(text)
            else:
                setattr(entry, word, unquote(text))
        elif line.startswith('"') and line.endswith('"') and key is not None:
            if key[0] == "msgstr":
                entry.msgstr[key[1]] += unquote(line)
            else:
                setattr(entry, key[0], getattr(entry, key[0]) + unquote(line))
        else:
            raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
    return [e for e in entries if e.keys]


def header_fields(entries):
    header = entries[0]
    assert header.is_header, "the catalogue must start with its header"
    pairs = (
        line.split(":", 1) for line in header.msgstr[0].splitlines() if ":" in line
    )
    return {name.strip(): value.strip() for name, value in pairs}


def placeholders(text):
    return {(name, conversion) for name, conversion in NAMED.findall(text) if name}


@pytest.fixture(scope="module")
def vi_entries():
    return parse_po(VI_PO)


@pytest.fixture(scope="module")
def vi_messages(vi_entries):
    return [e for e in vi_entries if not e.is_header]


def test_parser_reads_multiline_strings_plurals_and_flags(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Long %(a)s "\n"text"\n'
        'msgstr "Dài %(a)s"\n\n'
        'msgctxt "month"\nmsgid "%(counter)s day"\nmsgid_plural "%(counter)s days"\n'
        'msgstr[0] ""\n"%(counter)s \\"ngày\\""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Cũ"\n',
        encoding="utf-8",
    )
    header, long, plural = parse_po(po)
    assert header.is_header
    assert long.msgid == "Long %(a)s text"
    assert long.flags == {"fuzzy", "python-format"}
    assert plural.msgctxt == "month"
    assert plural.msgid_plural == "%(counter)s days"
    assert plural.msgstr == {0: '%(counter)s "ngày"'}


def test_header_declares_vietnamese_with_one_plural_form(vi_entries):
    fields = header_fields(vi_entries)
    assert fields["Language"] == "vi"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert "charset=UTF-8" in fields["Content-Type"]
    assert len(vi_entries) > 300


def test_every_entry_is_translated(vi_entries, vi_messages):
    plural_forms = header_fields(vi_entries)["Plural-Forms"]
    nplurals = int(re.search(r"nplurals\s*=\s*(\d+)", plural_forms)[1])
    missing = []
    for entry in vi_messages:
        forms = {0} if entry.msgid_plural is None else set(range(nplurals))
        if set(entry.msgstr) != forms or not all(entry.msgstr.values()):
            missing.append(entry.label())
    assert not missing, "Untranslated entries:\n" + "\n".join(missing)


def test_no_entry_is_fuzzy(vi_entries):
    fuzzy = [entry.label() for entry in vi_entries if "fuzzy" in entry.flags]
    assert not fuzzy, "Fuzzy entries (check them, then remove the flag):\n" + "\n".join(
        fuzzy
    )


def test_named_placeholders_match(vi_messages):
    wrong = []
    for entry in vi_messages:
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for index, text in entry.msgstr.items():
            if text and placeholders(text) != expected:
                wrong.append(
                    f"{entry.label()} msgstr[{index}]: {sorted(placeholders(text))}"
                )
    assert not wrong, "Placeholders differ from the msgid:\n" + "\n".join(wrong)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_msgfmt_accepts_the_formats():
    result = subprocess.run(  # noqa: S603 — fixed arguments, our own file
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", str(VI_PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compiled_catalogue_matches_the_po(vi_messages):
    """The committed .mo (the image has no gettext) is compiled from this .po."""
    with VI_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in vi_messages:
        if "fuzzy" in entry.flags or not entry.msgstr.get(0):
            continue  # reported by the tests above; msgfmt leaves these out
        for n in (1, 2, 5) if entry.msgid_plural is not None else (None,):
            if entry.msgctxt is None and n is None:
                got = compiled.gettext(entry.msgid)
            elif entry.msgctxt is None:
                got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
            elif n is None:
                got = compiled.pgettext(entry.msgctxt, entry.msgid)
            else:
                got = compiled.npgettext(
                    entry.msgctxt, entry.msgid, entry.msgid_plural, n
                )
            if got != entry.msgstr[0]:
                stale.append(entry.label())
    assert not stale, (
        "django.mo is out of date, run `make messages` (or compilemessages):\n"
        + "\n".join(stale)
    )


def test_django_serves_the_vietnamese_catalogue(vi_messages):
    by_msgid = {e.msgid: e.msgstr[0] for e in vi_messages if e.msgctxt is None}
    with translation.override("vi"):
        assert translation.gettext("Log in") == "Đăng nhập"
        for msgid in (
            "Open the cell",
            "Add a member",
            "%(name)s was added to the cell.",
        ):
            assert translation.gettext(msgid) == by_msgid[msgid]
        assert (
            translation.gettext("%(name)s was added to the cell.")
            % {"name": "Đinh Thị Mới"}
            == "Đinh Thị Mới đã được thêm vào chi bộ."
        )
        many = translation.ngettext("%(counter)s member", "%(counter)s members", 5)
        assert many == by_msgid["%(counter)s member"]
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


def test_english_catalogue_is_valid_and_in_step(vi_messages):
    en_entries = parse_po(EN_PO)
    fields = header_fields(en_entries)
    assert fields["Language"] == "en"
    assert fields["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"

    def keys(entries):
        return {(e.msgctxt, e.msgid) for e in entries if not e.is_header}

    assert keys(en_entries) == keys(vi_messages)
