"""The simulator's Files endpoints: upload (multipart), list, retrieve, content, delete.

Shapes from the spec (checked 2026-12-01): paths /files (POST CreateFileRequest, GET with
`purpose`, `limit` 1..10,000 default 10,000, `order` asc|desc default desc, `after`),
/files/{file_id} (GET, DELETE: DeleteFileResponse), /files/{file_id}/content; the object
is components.schemas.OpenAIFile. Files with purpose batch expire after 30 days unless
`expires_after` says otherwise (FileExpirationAfter).
"""

from __future__ import annotations

from typing import Any

from aiohttp import BodyPartReader, web

from playground.services.simulator.batch_jobs import StoredFile
from playground.services.simulator.protocol import SimError, new_id
from playground.services.simulator.state import SimulatorCore

PURPOSES = ("assistants", "batch", "fine-tune", "vision", "user_data", "evals")
"""The purposes an upload may name (spec CreateFileRequest.purpose)."""
MAX_UPLOAD = 512 * 1024 * 1024
"""The API's per-file upload limit, 512 MB (API reference, "Upload file")."""
_DEFAULT_EXPIRY = 30 * 24 * 3600


def missing_file(file_id: str) -> SimError:
    return SimError(404, f"No such File object: {file_id}", param="id")


class FileEndpoints(SimulatorCore):
    """/v1/files and its sub-paths."""

    def _routes_files(self, app: web.Application, prefix: str) -> None:
        app.router.add_post(f"{prefix}/files", self._handled(self._upload))
        app.router.add_get(f"{prefix}/files", self._handled(self._list_files))
        app.router.add_get(f"{prefix}/files/{{id}}", self._handled(self._get_file))
        app.router.add_delete(f"{prefix}/files/{{id}}", self._handled(self._delete_file))
        app.router.add_get(f"{prefix}/files/{{id}}/content", self._handled(self._content))

    def _handled(self, handler: Any) -> Any:
        """`handler` with the key check and a SimError answered as the API's error body."""

        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                self._auth(request)
                result: web.StreamResponse = await handler(request)
                return result
            except SimError as err:
                return self._error_response(err)

        return wrapped

    def store_file(self, filename: str, purpose: str, data: bytes, expires: int | None) -> str:
        """Keep a file; its id."""
        now = int(self.clock())
        found = StoredFile(
            f"file-{new_id('sim')[4:]}",
            filename,
            purpose,
            data,
            now,
            now + expires if expires is not None else None,
        )
        with self._lock:
            self._state.files[found.id] = found
        self._keep("file", found.id)
        return found.id

    def file(self, file_id: str) -> StoredFile:
        """A stored file; SimError 404 when there is none."""
        with self._lock:
            found = self._state.files.get(file_id)
        if found is None:
            raise missing_file(file_id)
        return found

    async def _upload(self, request: web.Request) -> web.Response:
        self._record(request, None)
        if not request.content_type.startswith("multipart/"):
            raise SimError(400, "Expected a multipart/form-data body with 'file' and 'purpose'.")
        fields: dict[str, str] = {}
        name, data = None, b""
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "file":
                name = part.filename or "upload"
                data = await part.read(decode=False)
                if len(data) > MAX_UPLOAD:
                    raise SimError(413, "The file is larger than 512 MB.", param="file")
            elif part.name:
                fields[part.name] = await part.text()
        purpose = fields.get("purpose")
        if name is None:
            raise SimError(400, "Missing required parameter: 'file'.", param="file")
        if purpose is None:
            raise SimError(400, "Missing required parameter: 'purpose'.", param="purpose")
        if purpose not in PURPOSES:
            raise SimError(
                400,
                f"Invalid value for 'purpose': '{purpose}'. Expected one of "
                + ", ".join(PURPOSES)
                + ".",
                param="purpose",
            )
        expires = _expiry(fields, purpose)
        file_id = self.store_file(name, purpose, data, expires)
        return _json(self.file(file_id).obj())

    async def _list_files(self, request: web.Request) -> web.Response:
        self._record(request, None)
        q = request.query
        limit = _int_param(q.get("limit"), "limit", 10_000, 1, 10_000)
        order = q.get("order", "desc")
        if order not in ("asc", "desc"):
            raise SimError(400, f"Invalid value for 'order': '{order}'.", param="order")
        with self._lock:
            found = list(self._state.files.values())
        if q.get("purpose"):
            found = [f for f in found if f.purpose == q["purpose"]]
        if order == "desc":
            found.reverse()
        return _json(page([f.obj() for f in found], q.get("after"), limit))

    async def _get_file(self, request: web.Request) -> web.Response:
        self._record(request, None)
        return _json(self.file(request.match_info["id"]).obj())

    async def _delete_file(self, request: web.Request) -> web.Response:
        self._record(request, None)
        file_id = request.match_info["id"]
        with self._lock:
            found = self._state.files.pop(file_id, None)
        if found is None:
            raise missing_file(file_id)
        self._forget("file", file_id)
        return _json({"id": file_id, "object": "file", "deleted": True})

    async def _content(self, request: web.Request) -> web.Response:
        self._record(request, None)
        found = self.file(request.match_info["id"])
        return web.Response(
            body=found.data,
            content_type="application/octet-stream",
            headers={"x-request-id": new_id("req")},
        )


def _expiry(fields: dict[str, str], purpose: str) -> int | None:
    seconds = fields.get("expires_after[seconds]")
    if seconds is None:
        return _DEFAULT_EXPIRY if purpose == "batch" else None
    return _int_param(seconds, "expires_after[seconds]", 0, 3600, 2_592_000)


def _int_param(text: str | None, name: str, default: int, low: int, high: int) -> int:
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise SimError(
            400, f"Invalid '{name}': expected an integer from {low} to {high}.", param=name
        )
    return value


def page(items: list[dict[str, Any]], after: str | None, limit: int) -> dict[str, Any]:
    """A cursor page (spec ListFilesResponse, ListBatchesResponse): the `limit` items after
    the one whose id is `after` (from the start when None; SimError 404 for an unknown id)."""
    start = 0
    if after:
        ids = [i["id"] for i in items]
        if after not in ids:
            raise SimError(404, f"No such object: '{after}'.", param="after")
        start = ids.index(after) + 1
    data = items[start : start + limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": start + limit < len(items),
    }


def _json(obj: Any) -> web.Response:
    return web.json_response(obj, headers={"x-request-id": new_id("req")})
