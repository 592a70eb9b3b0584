"""The JSON API over the mail folder, for tests and curious developers (aiohttp)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from smtp_sink.mailbox import Mailbox

MAILBOX_KEY = web.AppKey("mailbox", Mailbox)


def create_app(mailbox: Mailbox) -> web.Application:
    app = web.Application()
    app[MAILBOX_KEY] = mailbox
    app.router.add_get("/healthz", _ok)
    app.router.add_get("/readyz", _ok)
    app.router.add_get("/messages", _list_messages)
    app.router.add_delete("/messages", _clear_messages)
    app.router.add_get("/messages/{id}", _raw_message)
    return app


async def _ok(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _list_messages(request: web.Request) -> web.Response:
    """Oldest first; ``?to=address`` keeps the messages delivered to that envelope recipient,
    ``?after=<id>`` the ones that arrived after that message (poll with the last id seen)."""
    after = request.query.get("after", "")
    summaries = await asyncio.to_thread(request.app[MAILBOX_KEY].summaries, after)
    recipient = request.query.get("to", "").strip().lower()
    if recipient:
        summaries = [s for s in summaries if recipient in (a.lower() for a in s.envelope_to)]
    return web.json_response(
        {"count": len(summaries), "messages": [s.as_json() for s in summaries]}
    )


async def _raw_message(request: web.Request) -> web.Response:
    raw = await asyncio.to_thread(request.app[MAILBOX_KEY].raw, request.match_info["id"])
    if raw is None:
        return web.json_response({"error": "no such message"}, status=404)
    return web.Response(body=raw, content_type="message/rfc822")


async def _clear_messages(request: web.Request) -> web.Response:
    removed = await asyncio.to_thread(request.app[MAILBOX_KEY].clear)
    return web.json_response({"deleted": removed})
