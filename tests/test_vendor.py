"""What the project carries from others is carried byte for byte, with its attribution."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).parent / "vendor"


def test_the_gexf_schema_files_are_the_published_bytes():
    readme = (VENDOR / "gexf" / "README.md").read_text(encoding="utf-8")
    listed = dict((path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.MULTILINE))
    carried = {path.relative_to(VENDOR / "gexf").as_posix() for path in (VENDOR / "gexf").rglob("*.rng")}
    assert carried == set(listed) == {"1.3/gexf.rng", "1.3/viz.rng", "1.3/dynamics.rng"}
    for path, digest in listed.items():
        assert hashlib.sha256((VENDOR / "gexf" / path).read_bytes()).hexdigest() == digest, path
    assert "CC BY 4.0" in readme and "gephi/gexf" in readme


def test_the_atom_schema_is_rfc_4287s_appendix_b_as_published():
    readme = (VENDOR / "atom" / "README.md").read_text(encoding="utf-8")
    listed = dict((path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.MULTILINE))
    carried = {path.relative_to(VENDOR / "atom").as_posix() for path in (VENDOR / "atom").rglob("*.rnc")}
    assert carried == set(listed) == {"atom.rnc"}
    schema = (VENDOR / "atom" / "atom.rnc").read_bytes()
    assert hashlib.sha256(schema).hexdigest() == listed["atom.rnc"]
    assert schema.startswith(b"# -*- rnc -*-\n") and schema.endswith(b"# EOF\n")
    assert "RFC 4287" in readme and "Revised BSD License" in readme and "IETF Trust" in readme
    assert "Schematron" in readme, "the README says what RELAX NG validation leaves unchecked"
