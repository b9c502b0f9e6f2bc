"""Optional LLM rephraser (fakes only, never the network), engine purity, messages, state."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

import tumbuh.chatbot
from tumbuh.chatbot.engine import Bot
from tumbuh.chatbot.evaluate import load_cases
from tumbuh.chatbot.knowledge import default_source
from tumbuh.chatbot.llm import LLMConfig, OpenAICompatibleRephraser, from_env
from tumbuh.chatbot.messages import Messages
from tumbuh.chatbot.safety import default_rules
from tumbuh.chatbot.state import ConversationState, MemoryStateStore, Pending
from tumbuh.growth import Category

PACKAGE = Path(tumbuh.chatbot.__file__).parent
CURATED = "ASI eksklusif 6 bulan. Susui minimal 8 kali sehari."
CONFIG = LLMConfig(base_url="http://llm.test/v1", model="tiny", api_key="k", timeout=0.5)


def _client(handler: httpx.MockTransport) -> httpx.Client:
    return httpx.Client(transport=handler)


def test_llm_rephrases_only_the_curated_text() -> None:
    seen: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.headers["Authorization"] == "Bearer k"
        body = {"choices": [{"message": {"content": "Beri ASI saja 6 bulan, 8 kali sehari."}}]}
        return httpx.Response(200, json=body)

    rephraser = OpenAICompatibleRephraser(CONFIG, client=_client(httpx.MockTransport(answer)))
    result = rephraser.rephrase(CURATED)
    assert result.used_llm and result.text.startswith("Beri ASI")
    assert seen[0]["messages"][1] == {"role": "user", "content": CURATED}  # type: ignore[index]


def test_llm_timeout_falls_back_to_the_curated_answer(caplog: pytest.LogCaptureFixture) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    rephraser = OpenAICompatibleRephraser(CONFIG, client=_client(httpx.MockTransport(slow)))
    with caplog.at_level("INFO", logger="tumbuh.chatbot.llm"):
        result = rephraser.rephrase(CURATED)
    assert result.text == CURATED and not result.used_llm and result.outcome == "timeout"
    assert "outcome=timeout" in caplog.text


@pytest.mark.parametrize(
    ("content", "outcome"),
    [
        ("Beri ASI 6 bulan, lalu 3 sendok madu.", "rejected:new_number"),
        ("", "rejected:empty"),
        ("Lihat http://contoh.test", "rejected:new_link"),
    ],
)
def test_llm_output_that_adds_facts_is_rejected(content: str, outcome: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    rephraser = OpenAICompatibleRephraser(CONFIG, client=_client(httpx.MockTransport(answer)))
    result = rephraser.rephrase(CURATED)
    assert result.text == CURATED and result.outcome == outcome


def test_llm_errors_fall_back() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500)

    rephraser = OpenAICompatibleRephraser(CONFIG, client=_client(httpx.MockTransport(broken)))
    assert rephraser.rephrase(CURATED).outcome == "http_error"


def test_llm_is_off_unless_configured() -> None:
    assert from_env({}) is None
    config = from_env({"TUMBUH_LLM_BASE_URL": "http://x/v1/", "TUMBUH_LLM_MODEL": "m"})
    assert config is not None and config.base_url == "http://x/v1" and config.timeout == 4.0


def test_bot_uses_the_rephraser_for_curated_answers_only() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["messages"][1]["content"]
        return httpx.Response(200, json={"choices": [{"message": {"content": text.upper()}}]})

    rephraser = OpenAICompatibleRephraser(CONFIG, client=_client(httpx.MockTransport(answer)))
    bot = Bot(rephraser=rephraser)
    reply = bot.reply("l", "apa itu imd")
    assert reply.llm and "INISIASI MENYUSU DINI" in reply.text
    assert not bot.reply("l2", "anak saya kejang").llm


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_engine_never_imports_django() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert "django" not in _imported_roots(path), f"{path.name} imports Django"
    code = (
        "import sys, pkgutil, importlib, tumbuh.chatbot as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'tumbuh.chatbot.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "c.Bot().reply('x', 'apa itu stunting')\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_every_message_key_used_in_code_exists(messages: Messages) -> None:
    used: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\.text\(\s*\"([a-z_]+)\"", path.read_text()))
    assert used - messages.keys() == set()
    groups = {r.group for r in default_rules().rules if r.kind.value == "danger"}
    assert {f"danger_{g}" for g in groups} <= messages.keys()
    assert {f"meaning_{c.value}" for c in Category} <= messages.keys()
    for key in ("slot_sex", "slot_age", "slot_weight", "slot_lenhei", "index_tbu"):
        assert key in messages.keys()  # noqa: SIM118  # keys() is a frozenset, not a dict view


def test_state_round_trips_through_json() -> None:
    state = ConversationState("c1", channel="whatsapp", pending=Pending.GROWTH, kelurahan="Empang")
    state.growth.age_months = 20.0
    state.add_turn("user", "halo", __import__("datetime").datetime(2026, 11, 22))
    again = ConversationState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state


def test_one_conversation_is_served_one_message_at_a_time(bot: Bot) -> None:
    def talk() -> None:
        for _ in range(20):
            bot.reply("same", "apa itu stunting")

    threads = [threading.Thread(target=talk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store = bot.store
    assert isinstance(store, MemoryStateStore)
    state = store.get("same")
    assert state is not None and state.turns == 80


def test_the_evaluation_set_is_large_enough_and_points_at_real_topics() -> None:
    cases = load_cases(Path(__file__).resolve().parents[2] / "eval" / "chatbot")
    ids = {e.id for e in default_source().entries()}
    kinds = [c.kind for c in cases]
    assert len(cases) >= 250
    assert kinds.count("danger") >= 25 and kinds.count("privacy") >= 15
    assert kinds.count("offtopic") >= 15 and kinds.count("english") >= 10
    for c in cases:
        if "topic" in c.expect:
            assert c.expect["topic"] in ids, c.id
