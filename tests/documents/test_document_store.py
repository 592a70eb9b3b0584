"""Both stores keep what they are given, replace it whole, delete it, and refuse keys that climb
out."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aioboto3
import pytest

from ticketing_documents.adapters.document_store import (
    DocumentNotFound,
    DocumentStore,
    FilesystemDocumentStore,
    InvalidKey,
    S3DocumentStore,
    document_store_from,
)
from ticketing_documents.domain.ticket_document import document_key
from ticketing_documents.settings import DocumentsSettings

KEY = document_key("ord_7Kq2xM", 1)
PDF_BYTES = b"%PDF-1.7\n" + os.urandom(64 * 1024)
BAD_KEYS = [
    "",
    "/etc/passwd",
    "../outside.pdf",
    "orders/../../outside.pdf",
    "orders/./x.pdf",
    "orders//x.pdf",
    "orders/x.pdf/",
    ".hidden",
    "orders\\x.pdf",
    "orders/x y.pdf",
]


@pytest.fixture
def filesystem_store(tmp_path: Path) -> FilesystemDocumentStore:
    return FilesystemDocumentStore(tmp_path / "documents")


@pytest.fixture
async def s3_store(s3_endpoint: str) -> AsyncIterator[S3DocumentStore]:
    settings = DocumentsSettings(
        document_store="s3",
        s3_endpoint_url=s3_endpoint,
        s3_bucket=f"tickets-{uuid.uuid4().hex[:12]}",
        s3_region="eu-central-1",
    )
    store = document_store_from(settings)
    assert isinstance(store, S3DocumentStore)
    await store.ensure_bucket()
    try:
        yield store
    finally:
        await store.close()


async def _round_trip(store: DocumentStore) -> None:
    assert not await store.exists(KEY)
    await store.put(KEY, PDF_BYTES, "application/pdf")
    assert await store.exists(KEY)
    assert await store.get(KEY) == PDF_BYTES


async def _overwrite(store: DocumentStore) -> None:
    await store.put(KEY, b"first")
    await store.put(KEY, PDF_BYTES)
    assert await store.get(KEY) == PDF_BYTES


async def _not_found(store: DocumentStore) -> None:
    missing = document_key("ord_never_rendered", 1)
    assert not await store.exists(missing)
    with pytest.raises(DocumentNotFound) as raised:
        await store.get(missing)
    assert raised.value.key == missing


async def _bad_keys_refused(store: DocumentStore) -> None:
    for key in BAD_KEYS:
        with pytest.raises(InvalidKey):
            await store.put(key, b"x")
        with pytest.raises(InvalidKey):
            await store.get(key)
        with pytest.raises(InvalidKey):
            await store.exists(key)


# --- filesystem ----------------------------------------------------------------------------


async def _deleted(store: DocumentStore) -> None:
    """Gone for readers; deleting again, or what was never there, is no error."""
    await store.put(KEY, PDF_BYTES)
    other = document_key("ord_other", 1)
    await store.put(other, b"%PDF-1.7 another order")
    await store.delete(KEY)
    assert not await store.exists(KEY)
    with pytest.raises(DocumentNotFound):
        await store.get(KEY)
    await store.delete(KEY)
    assert await store.get(other) == b"%PDF-1.7 another order"
    with pytest.raises(InvalidKey):
        await store.delete("../outside.pdf")


async def test_filesystem_delete(filesystem_store: FilesystemDocumentStore) -> None:
    await _deleted(filesystem_store)
    assert not (filesystem_store.root / KEY).exists()


async def test_s3_delete(s3_store: S3DocumentStore) -> None:
    await _deleted(s3_store)


async def test_filesystem_round_trip(filesystem_store: FilesystemDocumentStore) -> None:
    await _round_trip(filesystem_store)
    assert (filesystem_store.root / KEY).read_bytes() == PDF_BYTES


async def test_filesystem_overwrite_leaves_no_temporary_file(
    filesystem_store: FilesystemDocumentStore,
) -> None:
    await _overwrite(filesystem_store)
    assert [p.name for p in (filesystem_store.root / KEY).parent.iterdir()] == ["tickets.pdf"]


async def test_a_failed_filesystem_write_leaves_the_old_document_whole(
    filesystem_store: FilesystemDocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await filesystem_store.put(KEY, b"old and complete")

    def crash(source: str, target: str) -> None:
        raise OSError("disk pulled out before the rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk pulled out"):
        await filesystem_store.put(KEY, PDF_BYTES)
    monkeypatch.undo()
    assert await filesystem_store.get(KEY) == b"old and complete"
    assert [p.name for p in (filesystem_store.root / KEY).parent.iterdir()] == ["tickets.pdf"]


async def test_filesystem_not_found(filesystem_store: FilesystemDocumentStore) -> None:
    await _not_found(filesystem_store)


async def test_filesystem_refuses_keys_that_climb_out(
    filesystem_store: FilesystemDocumentStore,
) -> None:
    await _bad_keys_refused(filesystem_store)
    assert not await asyncio.to_thread(filesystem_store.root.exists)  # nothing written anywhere


async def test_filesystem_refuses_a_symlink_that_leads_outside(
    filesystem_store: FilesystemDocumentStore, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    filesystem_store.root.mkdir(parents=True)
    (filesystem_store.root / "orders").symlink_to(outside)
    with pytest.raises(InvalidKey, match="outside"):
        await filesystem_store.put(KEY, b"x")
    assert list(outside.iterdir()) == []


# --- S3 (moto's server on loopback) --------------------------------------------------------


async def test_s3_round_trip_keeps_the_content_type(
    s3_store: S3DocumentStore, s3_endpoint: str
) -> None:
    await _round_trip(s3_store)
    session = aioboto3.Session(
        aws_access_key_id="ticketing-dev", aws_secret_access_key="x", region_name="eu-central-1"
    )
    async with session.client("s3", endpoint_url=s3_endpoint) as s3:
        head = await s3.head_object(Bucket=s3_store.bucket, Key=KEY)
    assert head["ContentType"] == "application/pdf"
    assert head["ContentLength"] == len(PDF_BYTES)


async def test_s3_overwrite(s3_store: S3DocumentStore) -> None:
    await _overwrite(s3_store)


async def test_s3_not_found(s3_store: S3DocumentStore) -> None:
    await _not_found(s3_store)


async def test_s3_refuses_the_same_keys(s3_store: S3DocumentStore) -> None:
    await _bad_keys_refused(s3_store)


async def test_ensure_bucket_can_run_again(s3_store: S3DocumentStore) -> None:
    await s3_store.ensure_bucket()
    await s3_store.put(KEY, b"still here")
    assert await s3_store.get(KEY) == b"still here"


# --- choosing a store from the settings ----------------------------------------------------


def test_the_filesystem_store_is_the_default_beside_the_run_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TICKETING_DOCUMENT_STORE", raising=False)
    monkeypatch.delenv("TICKETING_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("TICKETING_RUN_DIR", str(tmp_path / "run"))
    store = document_store_from(DocumentsSettings())
    assert isinstance(store, FilesystemDocumentStore)
    assert store.root == (tmp_path / "run" / "documents").resolve()


def test_the_store_is_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TICKETING_DOCUMENTS_DIR", str(tmp_path / "pdfs"))
    filesystem = document_store_from(DocumentsSettings())
    assert isinstance(filesystem, FilesystemDocumentStore)
    assert filesystem.root == (tmp_path / "pdfs").resolve()
    monkeypatch.setenv("TICKETING_DOCUMENT_STORE", "s3")
    monkeypatch.setenv("TICKETING_S3_BUCKET", "production-tickets")
    s3 = document_store_from(DocumentsSettings())
    assert isinstance(s3, S3DocumentStore)
    assert s3.bucket == "production-tickets"
