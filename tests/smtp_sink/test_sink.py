"""The SMTP sink as a developer and the notification tests use it: a real process, real SMTP."""

from __future__ import annotations

import asyncio
import re
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import aiosmtplib
import pytest

from smtp_sink.config import DEFAULT_HTTP_PORT, DEFAULT_SMTP_PORT, REPO_ROOT, ConfigError, Settings
from smtp_sink.mailbox import Mailbox, is_message_id
from tests.support.smtp_sink import HOST, RunningSink, start_sink

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
FILE_NAME = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{32}\.eml$")


def _message(to: str, subject: str, *, bcc: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Tickets <tickets@example.com>"
    message["To"] = to
    if bcc:
        message["Bcc"] = bcc
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content("Your tickets are attached.\n")
    message.add_alternative("<p>Your tickets are <b>attached</b>.</p>\n", subtype="html")
    message.add_attachment(PDF, maintype="application", subtype="pdf", filename="tickets.pdf")
    return message


async def _send(sink: RunningSink, message: EmailMessage) -> None:
    await aiosmtplib.send(message, hostname=HOST, port=sink.smtp_port, start_tls=False, timeout=10)


async def test_html_text_and_attachment_arrive_intact_in_the_api_and_the_file(
    empty_sink: RunningSink,
) -> None:
    sent = _message("Zoë Martin <zoe@example.com>", "Your tickets — ORD-1", bcc="audit@example.com")
    await _send(empty_sink, sent)

    [listed] = await empty_sink.messages()
    assert is_message_id(listed["id"])
    assert listed["from"] == "tickets@example.com"
    assert listed["to"] == ["zoe@example.com", "audit@example.com"]  # the envelope keeps Bcc
    assert listed["header_from"] == "Tickets <tickets@example.com>"
    assert listed["header_to"] == "Zoë Martin <zoe@example.com>"
    assert listed["subject"] == "Your tickets — ORD-1"
    assert listed["message_id"] == sent["Message-ID"]
    assert listed["received_at"].endswith("+00:00")

    raw = await empty_sink.raw(listed["id"])
    [file] = empty_sink.mail_dir.iterdir()  # no temporary file is left behind
    assert FILE_NAME.match(file.name)
    assert file.name == f"{listed['id']}.eml"
    assert file.read_bytes() == raw
    assert listed["size"] == len(raw)
    assert raw.startswith(b"Return-Path: <tickets@example.com>\r\n")

    received = message_from_bytes(raw, policy=policy.default)
    assert "Bcc" not in received  # aiosmtplib strips it from the content, the envelope has it
    assert received.get_content_type() == "multipart/mixed"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert text.get_content().strip() == "Your tickets are attached."  # CRLF, as on the wire
    assert "<b>attached</b>" in html.get_content()
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "tickets.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


async def test_messages_are_listed_in_arrival_order_and_filtered_by_recipient(
    empty_sink: RunningSink,
) -> None:
    for n, to in enumerate(("a@example.com", "b@example.com", "A@example.com")):
        await _send(empty_sink, _message(to, f"message {n}"))

    listed = await empty_sink.messages()
    assert [m["subject"] for m in listed] == ["message 0", "message 1", "message 2"]
    assert [m["id"] for m in listed] == sorted(m["id"] for m in listed)
    assert sorted(p.name for p in empty_sink.mail_dir.iterdir()) == [
        f"{m['id']}.eml" for m in listed
    ]
    assert [m["subject"] for m in await empty_sink.messages(to="a@example.com")] == [
        "message 0",
        "message 2",
    ]
    assert await empty_sink.messages(to="nobody@example.com") == []


async def test_after_an_id_lists_only_later_messages_and_clearing_forgets_the_rest(
    empty_sink: RunningSink,
) -> None:
    await _send(empty_sink, _message("a@example.com", "first"))
    [first] = await empty_sink.messages()
    assert await empty_sink.messages(after=first["id"]) == []

    await _send(empty_sink, _message("b@example.com", "second"))
    await _send(empty_sink, _message("c@example.com", "third"))
    later = await empty_sink.messages(after=first["id"])
    assert [m["subject"] for m in later] == ["second", "third"]
    assert [m["subject"] for m in await empty_sink.messages(after=later[0]["id"])] == ["third"]
    assert [m["subject"] for m in await empty_sink.messages()] == ["first", "second", "third"]

    await empty_sink.clear()
    assert await empty_sink.messages() == []
    await _send(empty_sink, _message("d@example.com", "fourth"))
    assert [m["subject"] for m in await empty_sink.messages(after=first["id"])] == ["fourth"]


async def test_unknown_ids_are_404_and_names_outside_the_folder_are_never_read(
    empty_sink: RunningSink,
) -> None:
    (empty_sink.mail_dir.parent / "secret.eml").write_text("not a message")
    async with empty_sink.api() as api:
        for message_id in ("20990101T000000.000000Z-" + "0" * 32, "..%2Fsecret", "secret"):
            assert (await api.get(f"/messages/{message_id}")).status_code == 404, message_id


async def test_delete_clears_the_folder(empty_sink: RunningSink) -> None:
    await _send(empty_sink, _message("a@example.com", "one"))
    await _send(empty_sink, _message("b@example.com", "two"))

    async with empty_sink.api() as api:
        answer = await api.delete("/messages")

    assert answer.json() == {"deleted": 2}
    assert await empty_sink.messages() == []
    assert list(empty_sink.mail_dir.iterdir()) == []


@pytest.mark.server
async def test_a_stopped_sink_refuses_connections_and_a_restarted_one_keeps_earlier_mail(
    tmp_path: Path,
) -> None:
    mail_dir, log = tmp_path / "mail", tmp_path / "sink.log"
    first = await asyncio.to_thread(start_sink, mail_dir, log)
    try:
        await _send(first, _message("zoe@example.com", "before the restart"))
    finally:
        assert await asyncio.to_thread(first.stop) == 0, log.read_text()

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        assert probe.connect_ex((HOST, first.smtp_port)) != 0
    with pytest.raises(aiosmtplib.SMTPConnectError):
        await _send(first, _message("zoe@example.com", "while stopped"))

    second = await asyncio.to_thread(
        start_sink, mail_dir, log, smtp_port=first.smtp_port, http_port=first.http_port
    )
    try:
        assert [m["subject"] for m in await second.messages()] == ["before the restart"]
        await _send(second, _message("zoe@example.com", "after the restart"))
        assert [m["subject"] for m in await second.messages()] == [
            "before the restart",
            "after the restart",
        ]
    finally:
        assert await asyncio.to_thread(second.stop) == 0, log.read_text()


def test_a_taken_port_makes_the_sink_exit_with_status_3(sink: RunningSink, tmp_path: Path) -> None:
    log = tmp_path / "sink.log"
    with pytest.raises(AssertionError, match="exited with 3 during start-up"):
        start_sink(tmp_path / "mail", log, smtp_port=sink.smtp_port)
    assert "cannot start" in log.read_text()


def test_settings_defaults_and_overrides() -> None:
    defaults = Settings.from_env({})
    assert (defaults.host, defaults.smtp_port, defaults.http_port) == (
        "127.0.0.1",
        DEFAULT_SMTP_PORT,
        DEFAULT_HTTP_PORT,
    )
    assert (DEFAULT_SMTP_PORT, DEFAULT_HTTP_PORT) == (28025, 28026)
    assert defaults.mail_dir == REPO_ROOT / ".run" / "mail"
    assert (REPO_ROOT / "tools" / "smtp_sink" / "README.md").exists()

    assert Settings.from_env({"TICKETING_RUN_DIR": "/tmp/run"}).mail_dir == Path("/tmp/run/mail")
    custom = Settings.from_env(
        {"SMTP_SINK_PORT": "2525", "SMTP_SINK_HTTP_PORT": "8025", "SMTP_SINK_DIR": "/tmp/x"}
    )
    assert (custom.smtp_port, custom.http_port, custom.mail_dir) == (2525, 8025, Path("/tmp/x"))
    with pytest.raises(ConfigError):
        Settings.from_env({"SMTP_SINK_PORT": "smtp"})
    with pytest.raises(ConfigError):
        Settings.from_env({"SMTP_SINK_HTTP_PORT": "70000"})


def test_the_mailbox_writes_whole_files_and_forgets_a_killed_sinks_temporary_files(
    tmp_path: Path,
) -> None:
    mailbox = Mailbox(tmp_path / "mail")
    mailbox.open()
    (tmp_path / "mail" / ".20990101T000000.000000Z-abc.eml.tmp").write_bytes(b"half a mess")
    mailbox.open()

    ids = [mailbox.store("a@example.com", ["b@example.com"], b"Subject: x\r\n\r\nhi\r\n")]
    ids += [mailbox.store("a@example.com", ["b@example.com"], b"Subject: y\r\n\r\nhi\r\n")]

    assert ids == sorted(ids)
    assert sorted(p.name for p in (tmp_path / "mail").iterdir()) == [f"{i}.eml" for i in ids]
    [first, second] = mailbox.summaries()
    assert (first.subject, second.subject) == ("x", "y")
    assert first.envelope_to == ("b@example.com",)
    assert mailbox.raw(ids[0]) == (
        b"Return-Path: <a@example.com>\r\nX-Envelope-To: b@example.com\r\nSubject: x\r\n\r\nhi\r\n"
    )
    assert mailbox.raw("../mail") is None
    assert mailbox.clear() == 2
