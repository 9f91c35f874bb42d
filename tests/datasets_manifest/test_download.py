"""Fetching over HTTP from a local server on 127.0.0.1: resume, corruption, offline errors."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading

import pytest

from datasets_manifest.checksums import ChecksumError
from datasets_manifest.download import FetchError, download, partial_path
from datasets_manifest.fetch import fetch_dataset, verify_dataset
from datasets_manifest.manifest import FileEntry, parse_entry

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


class Server:
    """A tiny HTTP server with Range support; can cut a response short or serve wrong bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.ranges: list[str | None] = []
        self.cut_after: int | None = None
        self.honour_range = True
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                data = server.files.get(self.path)
                server.ranges.append(self.headers.get("Range"))
                if data is None:
                    self.send_error(404)
                    return
                start = 0
                if server.honour_range and self.headers.get("Range"):
                    start = int(self.headers["Range"].removeprefix("bytes=").split("-")[0])
                    if start >= len(data):
                        self.send_error(416)
                        return
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                body = data[start:]
                if server.cut_after is not None:
                    body = body[
                        : server.cut_after
                    ]  # promise more than is sent: an interrupted transfer
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def entry(data: bytes = PAYLOAD) -> FileEntry:
    return FileEntry(
        name="blob.bin", size=len(data), checksums={"sha256": hashlib.sha256(data).hexdigest()}
    )


def test_plain_download(server, tmp_path):
    server.files["/blob.bin"] = PAYLOAD
    dest = tmp_path / "blob.bin"
    assert download(server.url("/blob.bin"), dest, entry(), progress=False) == "sha256 ok"
    assert dest.read_bytes() == PAYLOAD and not partial_path(dest).exists()


def test_interrupted_download_leaves_no_good_file_then_resumes(server, tmp_path):
    server.files["/blob.bin"] = PAYLOAD
    dest = tmp_path / "blob.bin"
    server.cut_after = 30_000
    with pytest.raises(FetchError, match="Partial data kept"):
        download(server.url("/blob.bin"), dest, entry(), progress=False)
    assert not dest.exists()
    assert partial_path(dest).stat().st_size == 30_000
    server.cut_after = None
    download(server.url("/blob.bin"), dest, entry(), progress=False)
    assert server.ranges[-1] == "bytes=30000-"  # resumed, not restarted
    assert dest.read_bytes() == PAYLOAD and not partial_path(dest).exists()


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    server.files["/blob.bin"] = PAYLOAD
    server.honour_range = False
    dest = tmp_path / "blob.bin"
    partial_path(dest).write_bytes(PAYLOAD[:500])
    download(server.url("/blob.bin"), dest, entry(), progress=False)
    assert dest.read_bytes() == PAYLOAD


def test_corrupted_download_never_becomes_a_good_file(server, tmp_path):
    server.files["/blob.bin"] = PAYLOAD[:-1] + b"\x00"
    dest = tmp_path / "blob.bin"
    with pytest.raises(ChecksumError, match="failed verification, discarded.*sha256 mismatch"):
        download(server.url("/blob.bin"), dest, entry(), progress=False)
    assert not dest.exists() and not partial_path(dest).exists()


def test_corrupted_partial_is_discarded_after_resume(server, tmp_path):
    server.files["/blob.bin"] = PAYLOAD
    dest = tmp_path / "blob.bin"
    partial_path(dest).write_bytes(b"\xff" * 1000)  # a bad prefix left by some earlier run
    with pytest.raises(ChecksumError):
        download(server.url("/blob.bin"), dest, entry(), progress=False)
    assert not partial_path(dest).exists()
    download(server.url("/blob.bin"), dest, entry(), progress=False)  # next try starts afresh
    assert dest.read_bytes() == PAYLOAD


def test_http_error_is_reported(server, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        download(server.url("/missing.bin"), tmp_path / "x", entry(), progress=False)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/blob.bin"


def dataset(url: str | None, mirror_path: str | None = "d/blob.bin"):
    return parse_entry(
        {
            "name": "toy",
            "title": "Toy",
            "description": "d",
            "homepage": "h",
            "licence": "l",
            "citation": "c",
            "holdout": [],
            "formats": [
                {
                    "name": "bin",
                    "kind": "bytes",
                    "description": "d",
                    "splits": {"all": {"size": 1, "unit": "blobs"}},
                    "files": [
                        {
                            "name": "blob.bin",
                            "url": url,
                            "mirror_path": mirror_path,
                            "page": "https://example.org/toy",
                            "size": len(PAYLOAD),
                            "checksums": {"sha256": hashlib.sha256(PAYLOAD).hexdigest()},
                        }
                    ],
                }
            ],
        }
    )


def test_offline_without_mirror_names_file_url_and_mirror_option(tmp_path):
    url = closed_port_url()
    report = fetch_dataset(dataset(url), tmp_path / "cache", mirror=None, progress=False)
    text = "\n".join(report.lines)
    assert not report.ok
    assert (
        "blob.bin" in text and url in text and "--mirror DIR" in text and "COURSEKIT_MIRROR" in text
    )


def test_no_url_and_no_mirror_says_where_to_get_it(tmp_path):
    report = fetch_dataset(dataset(None), tmp_path / "cache", mirror=None, progress=False)
    assert not report.ok
    assert "blob.bin" in "\n".join(report.lines) and "https://example.org/toy" in "\n".join(
        report.lines
    )


def test_fetch_prefers_mirror_and_verify_catches_tampering(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "d").mkdir(parents=True)
    (mirror / "d" / "blob.bin").write_bytes(PAYLOAD)
    entry_ = dataset(closed_port_url())
    report = fetch_dataset(entry_, tmp_path / "cache", mirror, progress=False)
    assert report.ok and "copied from mirror" in report.lines[-1]
    cached = tmp_path / "cache" / "toy" / "blob.bin"
    assert verify_dataset(entry_, cached.parent).ok
    cached.write_bytes(PAYLOAD[:1000])
    bad = verify_dataset(entry_, cached.parent)
    assert not bad.ok and "truncated" in "\n".join(bad.lines)
    again = fetch_dataset(
        entry_, tmp_path / "cache", mirror, progress=False
    )  # replaces the bad copy
    assert again.ok and cached.read_bytes() == PAYLOAD


def test_fetch_from_tampered_mirror_fails_cleanly(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "d").mkdir(parents=True)
    (mirror / "d" / "blob.bin").write_bytes(PAYLOAD[::-1])
    report = fetch_dataset(dataset(None), tmp_path / "cache", mirror, progress=False)
    assert not report.ok and "failed verification" in "\n".join(report.lines)
    assert not (tmp_path / "cache" / "toy" / "blob.bin").exists()
