"""Tests for leaderboard.validate: every problem reported at once, nothing about answers."""

from __future__ import annotations

import codecs

import pytest

from leaderboard.validate import validate_submission  # by task name, as notebooks call it

IDS = ["s1", "s2", "s3", "s4"]
GOOD = b"id,label\ns1,EI\ns2,IE\ns3,N\ns4,N\n"


def check(data: bytes, task: str = "dna-splice", **kw):
    return validate_submission(task, data, IDS, **kw)


def test_good_file_from_path_and_bytes(tmp_path):
    path = tmp_path / "sub.csv"
    path.write_bytes(GOOD)
    for source in (path, str(path), GOOD):
        report = validate_submission("dna-splice", source, iter(IDS))
        assert report.ok and report.problems == []
        assert report.rows == {"s1": "EI", "s2": "IE", "s3": "N", "s4": "N"}


def test_many_problems_reported_together():
    data = b"id,label\ns1,ei\ns2,nan\ns2,\nzz,XX\n"
    report = check(data)
    assert not report.ok
    text = "\n".join(report.problems)
    assert "Unknown label 'ei'" in text and "case-sensitive" in text
    assert "Unknown label 'XX'" in text
    assert "missing value" in text
    assert "Empty label on line(s) 4" in text
    assert "'s2' (lines 3, 4)" in text
    assert "not in the test file: 'zz'" in text
    assert "missing: s3, s4" in text
    assert len(report.problems) == 7


@pytest.mark.parametrize("header, fragment", [
    (b"ID,Label", "lowercase"),
    (b"id;label", "semicolons"),
    (b"id,prediction", "it must be exactly `id,label`"),
])
def test_wrong_header(header, fragment):
    report = check(header + b"\ns1,EI\ns2,IE\ns3,N\ns4,N\n")
    assert not report.ok and any(fragment in p for p in report.problems)


def test_missing_header_is_recognised():
    report = check(b"s1,EI\ns2,IE\ns3,N\ns4,N\n")
    assert report.problems == ["The first line looks like data, not a header; add the header "
                               "line `id,label` at the top."]


def test_bom_is_accepted_with_a_note():
    report = check(codecs.BOM_UTF8 + GOOD)
    assert report.ok and any("byte-order mark" in n for n in report.notes)


def test_utf16_and_latin1_are_rejected():
    assert "UTF-16" in check(GOOD.decode().encode("utf-16")).problems[0]
    report = check(b"id,label\ns1,EI\ns2,\xe9\ns3,N\ns4,N\n")
    assert any("Line 3" in p and "not valid UTF-8" in p for p in report.problems)


def test_empty_and_oversize():
    assert "empty" in check(b"").problems[0]
    assert "empty" in check(b"\n\n  \n").problems[0]
    report = check(GOOD, max_bytes=10)
    assert not report.ok and "limit" in report.problems[0]


def test_oversize_file_is_not_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(GOOD * 1000)
    assert "limit" in validate_submission("dna-splice", path, IDS, max_bytes=100).problems[0]


def test_ragged_rows_and_bad_quoting():
    report = check(b"id,label\ns1,EI,extra\ns2,IE\ns3,N\ns4,N\n")
    assert any("different number of fields" in p for p in report.problems)
    report = validate_submission("billsum", b'id,summary\ns1,"a "b" c"\n', IDS)
    assert any("cannot be read" in p for p in report.problems)


def test_spaces_around_labels_are_a_note():
    report = check(b"id,label\ns1, EI\ns2,IE \ns3,N\ns4,N\n")
    assert report.ok and report.rows["s1"] == "EI"
    assert any("Spaces" in n for n in report.notes)


def test_summaries_csv_and_jsonl():
    csv_data = b'id,summary\ns1,"One, two.\nThree."\ns2,x\ns3,y\ns4,z\n'
    report = validate_submission("billsum", csv_data, IDS)
    assert report.ok and report.rows["s1"] == "One, two.\nThree."
    jsonl = b"".join(b'{"id": "%s", "summary": "text"}\n' % i.encode() for i in IDS)
    assert validate_submission("multi-news", jsonl, IDS).ok
    bad = b'{"id": "s1", "summary": "a"}\n{"id": "s2"}\nnot json\n{"id": "s3", "summary": 5}\n'
    problems = " ".join(validate_submission("billsum", bad, IDS).problems)
    assert "not valid JSON" in problems and 'lack the key' in problems
    assert "not a string" in problems and "missing: s2, s3, s4" in problems


def test_jsonl_rejected_for_dna_and_nan_summary():
    assert "CSV files only" in check(b'{"id": "s1", "label": "EI"}\n').problems[0]
    report = validate_submission("billsum", b"id,summary\ns1,NaN\ns2,a\ns3,b\ns4,c\n", IDS)
    assert any("missing value" in p for p in report.problems)


def test_messages_never_mention_answers():
    """The validator gets no answers, so its messages can only echo the submission."""
    report = check(b"id,label\ns1,EI\ns2,EI\ns3,EI\n")
    assert report.problems == ["1 of the 4 test id(s) are missing: s4; submit one row for "
                               "every id in the test file."]
