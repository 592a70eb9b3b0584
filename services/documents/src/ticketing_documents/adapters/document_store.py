"""Where rendered PDFs are kept: a folder (development, one machine) or an S3-compatible bucket.

Keys look like ``orders/<order_id>/v<version>/tickets.pdf``: relative, ``/``-separated segments
of letters, digits, ``.``, ``_`` and ``-``, none starting with a dot. Both stores refuse any other
key, so that no key can reach outside the folder or bucket prefix it names.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tempfile
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import aioboto3
from botocore.exceptions import ClientError

from ticketing_documents.settings import DocumentsSettings

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

PDF = "application/pdf"
_KEY_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")
# HEAD answers carry no body, so a missing object is only "404" there
_NO_OBJECT = {"404", "NoSuchKey", "NotFound"}
_NO_BUCKET = {"404", "NoSuchBucket", "NotFound"}


class DocumentNotFound(LookupError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no document under {key!r}")
        self.key = key


class InvalidKey(ValueError):
    pass


class DocumentStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str = PDF) -> None:
        """Store ``data`` under ``key``, replacing what was there; readers see old or new, whole."""

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``DocumentNotFound`` if there are none."""

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Nothing under ``key`` any more (nothing there already: nothing to do)."""

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""


def validate_key(key: str) -> str:
    """``key`` if it is a safe relative key; ``InvalidKey`` otherwise."""
    if len(key) > 1024 or not all(_KEY_SEGMENT.fullmatch(part) for part in key.split("/")):
        raise InvalidKey(f"not a document key: {key!r}")
    return key


class FilesystemDocumentStore:
    """Files under ``root``; a write goes to a temporary file that is renamed over the old one."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    async def put(self, key: str, data: bytes, content_type: str = PDF) -> None:
        # the content type is not kept: every key ends with its file extension
        await asyncio.to_thread(self._write, self._path(key), data)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise DocumentNotFound(key) from None

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)

    async def close(self) -> None:
        pass

    def _path(self, key: str) -> Path:
        path = self.root / validate_key(key)
        if not path.resolve().is_relative_to(self.root):  # a symlinked folder inside the root
            raise InvalidKey(f"{key!r} leads outside {self.root}")
        return path

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a dot name: never a valid key, so a crash mid-write leaves nothing a reader can get
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_folder(path.parent)  # the rename itself survives a power cut


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class S3DocumentStore:
    """Objects in one bucket of an S3-compatible service; one client, opened on first use.

    Nothing is created implicitly: ``ensure_bucket()`` is for development and tests, a real
    deployment provisions the bucket (and its policy) outside the service.
    """

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.bucket = bucket
        self._region = region
        self._endpoint_url = endpoint_url or None
        # None for both: the default AWS credential chain (environment, instance or pod role)
        self._session = aioboto3.Session(
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            region_name=region,
        )
        self._exit_stack = AsyncExitStack()
        self._client: S3Client | None = None
        self._opening = asyncio.Lock()

    async def put(self, key: str, data: bytes, content_type: str = PDF) -> None:
        key = validate_key(key)
        s3 = await self._s3()
        await s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    async def get(self, key: str) -> bytes:
        key = validate_key(key)
        s3 = await self._s3()
        try:
            answer = await s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _NO_OBJECT:
                raise DocumentNotFound(key) from None
            raise
        async with answer["Body"] as body:
            return await body.read()

    async def exists(self, key: str) -> bool:
        key = validate_key(key)
        s3 = await self._s3()
        try:
            await s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if _error_code(error) in _NO_OBJECT:
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        key = validate_key(key)
        s3 = await self._s3()
        await s3.delete_object(Bucket=self.bucket, Key=key)  # S3 answers 204 for a missing key

    async def ensure_bucket(self) -> None:
        """Create the bucket unless it exists (development and tests)."""
        s3 = await self._s3()
        try:
            await s3.head_bucket(Bucket=self.bucket)
            return
        except ClientError as error:
            if _error_code(error) not in _NO_BUCKET:
                raise
        try:
            if self._region == "us-east-1":  # the one region that refuses a location constraint
                await s3.create_bucket(Bucket=self.bucket)
            else:
                await s3.create_bucket(
                    Bucket=self.bucket,
                    CreateBucketConfiguration={"LocationConstraint": self._region},  # type: ignore[typeddict-item]
                )
        except ClientError as error:
            if _error_code(error) not in {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}:
                raise

    async def close(self) -> None:
        await self._exit_stack.aclose()
        self._client = None

    async def _s3(self) -> S3Client:
        if self._client is None:
            async with self._opening:
                if self._client is None:
                    self._client = await self._exit_stack.enter_async_context(
                        self._session.client("s3", endpoint_url=self._endpoint_url)
                    )
        return self._client


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def document_store_from(settings: DocumentsSettings) -> DocumentStore:
    """The store ``TICKETING_DOCUMENT_STORE`` names, configured from the settings."""
    if settings.document_store == "s3":
        return S3DocumentStore(
            bucket=settings.s3_bucket,
            region=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url,
            access_key_id=settings.s3_access_key_id.get_secret_value(),
            secret_access_key=settings.s3_secret_access_key.get_secret_value(),
        )
    return FilesystemDocumentStore(settings.documents_dir)
