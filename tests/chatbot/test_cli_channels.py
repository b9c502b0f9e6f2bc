"""The jsonl contract, the terminal command, and the channel adapters (captured payloads)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tumbuh.chatbot.channels import PayloadError, handle
from tumbuh.chatbot.channels.telegram import Telegram, valid_secret
from tumbuh.chatbot.channels.whatsapp import WhatsApp, valid_signature, verify_handshake
from tumbuh.chatbot.cli import chat, run_jsonl
from tumbuh.chatbot.engine import Bot

PAYLOADS = Path(__file__).parent / "payloads"


def test_jsonl_one_line_out_per_line_in_with_state_per_conversation(bot: Bot) -> None:
    lines = [
        {"conversation": "a", "text": "anak laki2 umur 1 thn 8 bln"},
        {"conversation": "b", "text": "apa itu imd"},
        {"conversation": "a", "text": "tinggi 78 cm bb 9,5 kg"},
        {"conversation": "b", "text": "tinggi 78 cm bb 9,5 kg"},
    ]
    stdin = io.StringIO("".join(json.dumps(x) + "\n" for x in lines) + "bukan json\n")
    stdout = io.StringIO()
    errors = run_jsonl(bot, stdin, stdout)
    out = [json.loads(x) for x in stdout.getvalue().splitlines()]
    assert len(out) == 5 and errors == 1
    assert [o["conversation"] for o in out[:4]] == ["a", "b", "a", "b"]
    assert all(set(o) == {"conversation", "reply"} for o in out[:4])
    assert "Pendek" in out[2]["reply"]  # a kept its sex and age
    assert "Pendek" not in out[3]["reply"]  # b did not
    assert out[4]["reply"] == "" and "error" in out[4]


def test_tumbuh_chat_jsonl_command() -> None:
    runner = CliRunner()
    result = runner.invoke(
        chat,
        ["--jsonl"],
        input='{"conversation": "x", "text": "halo"}\n{"conversation": "x", "text": "makasih"}\n',
    )
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.output.splitlines()]
    assert [o["conversation"] for o in out] == ["x", "x"]
    assert out[0]["reply"].startswith("Halo")


def test_tumbuh_chat_interactive() -> None:
    result = CliRunner().invoke(chat, [], input="apa itu stunting\n/keluar\n")
    assert result.exit_code == 0
    assert "Bot> Stunting adalah" in result.output


def test_the_tumbuh_group_registers_chat() -> None:
    from tumbuh.cli import COMMANDS

    assert COMMANDS["chat"][0] == "tumbuh.chatbot.cli:chat"


def test_whatsapp_captured_payloads(bot: Bot) -> None:
    raw = (PAYLOADS / "whatsapp_text.json").read_bytes()
    secret = "app-secret"
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    assert valid_signature(raw, signature, secret)
    assert not valid_signature(raw + b" ", signature, secret)
    assert not valid_signature(raw, None, secret)
    wa = WhatsApp()
    inbound = wa.parse(raw)
    assert [(i.conversation_id, i.text, i.message_id) for i in inbound] == [
        ("wa:6281200000001", "apa itu stunting", "wamid.HBgMNjI4MTIwMDAwMDAwMRUCABIYFjNFQjA")
    ]
    out = handle(bot, wa, raw)
    assert out[0].payload["to"] == "6281200000001"
    assert out[0].payload["messaging_product"] == "whatsapp"
    button = wa.parse((PAYLOADS / "whatsapp_button.json").read_bytes())
    assert button[0].text == "Cek tinggi anak"
    assert wa.parse((PAYLOADS / "whatsapp_status.json").read_bytes()) == []


def test_whatsapp_handshake() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "123"}
    assert verify_handshake(params, "tok") == "123"
    assert verify_handshake({**params, "hub.verify_token": "bad"}, "tok") is None


def test_telegram_captured_payloads(bot: Bot) -> None:
    tg = Telegram()
    assert valid_secret("s3cret", "s3cret") and not valid_secret("x", "s3cret")
    assert not valid_secret(None, "s3cret")
    raw = (PAYLOADS / "telegram_message.json").read_bytes()
    inbound = tg.parse(raw)
    assert [(i.conversation_id, i.text, i.message_id) for i in inbound] == [
        ("tg:111222333", "posyandu terdekat di mana?", "700000001")
    ]
    out = handle(bot, tg, raw)
    assert out[0].payload["chat_id"] == "111222333" and out[0].payload["text"]
    callback = tg.parse((PAYLOADS / "telegram_callback.json").read_bytes())
    assert callback[0].text == "Bicara dengan petugas"


def test_silent_replies_send_nothing(bot: Bot) -> None:
    from tumbuh.chatbot.fakes import MemoryHandoffQueue

    queue = bot.handoff
    assert isinstance(queue, MemoryHandoffQueue)
    wa = WhatsApp()
    raw = (PAYLOADS / "whatsapp_text.json").read_bytes()
    conversation = wa.parse(raw)[0].conversation_id
    bot.reply(conversation, "mau bicara dengan petugas", channel="whatsapp")
    bot.reply(conversation, "ya", channel="whatsapp")
    bot.reply(conversation, "Bubulak", channel="whatsapp")
    queue.claim(conversation, "kader")
    assert handle(bot, wa, raw) == []


@pytest.mark.parametrize(
    ("channel", "payload"),
    [
        (WhatsApp(), {"entry": 5}),
        (WhatsApp(), {"entry": [{"changes": ["x"]}]}),
        (WhatsApp(), b"{not json"),
        (Telegram(), {"message": "x"}),
        (Telegram(), "[1, 2]"),
    ],
)
def test_payloads_in_shapes_the_channel_never_sends_are_a_payload_error(channel, payload) -> None:
    with pytest.raises(PayloadError, match="unexpected"):
        channel.parse(payload)
    assert issubclass(PayloadError, ValueError)
