"""``tumbuh chat``: the chatbot in a terminal, or ``--jsonl`` for programs (ARCHITECTURE.md).

The terminal uses the in-memory fakes: a demo directory (kelurahan and kecamatan names only)
and an invented family (verify with 081200000001 and code 123456; a bapak asuh with
081200000002). The LLM rephraser is used when ``TUMBUH_LLM_BASE_URL`` and
``TUMBUH_LLM_MODEL`` are set (:mod:`tumbuh.chatbot.llm`).
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click

from tumbuh.chatbot.channels.jsonl import JsonLines, error_line
from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.fakes import DemoDirectory, MemoryLeadSink, demo_personal_data
from tumbuh.chatbot.llm import OpenAICompatibleRephraser, from_env

__all__ = ["chat", "make_bot", "run_jsonl"]

EXIT_COMMANDS = frozenset({"/keluar", "/exit", "/quit", "keluar"})


def make_bot() -> Bot:
    personal, verifier = demo_personal_data()
    config = from_env()
    return Bot(
        directory=DemoDirectory(),
        personal=personal,
        verifier=verifier,
        leads=MemoryLeadSink(),
        rephraser=OpenAICompatibleRephraser(config) if config else None,
    )


def run_jsonl(bot: Bot, stdin: TextIO, stdout: TextIO, *, details: bool = False) -> int:
    """One output line per input line; returns the number of lines that had an error."""
    channel = JsonLines(details=details)
    errors = 0
    for line in stdin:
        if not line.strip():
            continue
        try:
            inbound = channel.parse(line)[0]
        except ValueError as exc:
            errors += 1
            out = error_line(line, str(exc))
        else:
            reply = bot.reply(inbound.conversation_id, inbound.text, channel=channel.name)
            out = channel.render(inbound, reply)[0].payload
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return errors


def _interactive(bot: Bot) -> None:
    click.echo("Chatbot stunting Tumbuh (data demo). Ketik /keluar untuk berhenti.\n")
    while True:
        try:
            text = input("Anda> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if text.strip().lower() in EXIT_COMMANDS:
            return
        reply = bot.reply("terminal", text, channel="terminal")
        if reply.silent:
            click.echo("(percakapan sedang dipegang petugas)\n")
            continue
        click.echo(f"Bot> {reply.text}")
        if reply.quick_replies:
            click.echo("     [" + "] [".join(reply.quick_replies) + "]")
        click.echo()


@click.command(name="chat", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--jsonl",
    "jsonl",
    is_flag=True,
    help='Baca baris {"conversation", "text"} dari stdin, tulis {"conversation", "reply"}.',
)
@click.option("--details", is_flag=True, help="Dengan --jsonl: tambahkan intent, topik, urgensi.")
def chat(jsonl: bool, details: bool) -> None:
    """Bercakap dengan chatbot stunting di terminal."""
    bot = make_bot()
    if jsonl:
        run_jsonl(bot, sys.stdin, sys.stdout, details=details)
        return
    _interactive(bot)
