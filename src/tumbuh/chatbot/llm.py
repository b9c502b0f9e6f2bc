"""Optional LLM rephraser behind the OpenAI-compatible Chat Completions API (off by default).

It only rewrites curated text (the knowledge-base answer) in plainer words. The user's message
is never sent, so instructions hidden in a message cannot reach the model. A reply that is
empty, far longer than the curated text, or that contains a number the curated text does not
contain is rejected; so is any error or a timeout. In every such case the curated answer is
used. Each call is logged (model, outcome, milliseconds), never the text.

Configure with ``TUMBUH_LLM_BASE_URL`` (e.g. ``http://127.0.0.1:8001/v1`` for vLLM, Ollama or
llama.cpp's server), ``TUMBUH_LLM_MODEL``, ``TUMBUH_LLM_API_KEY`` (optional) and
``TUMBUH_LLM_TIMEOUT`` (seconds, default 4).
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Protocol

import httpx

__all__ = ["LLMConfig", "OpenAICompatibleRephraser", "Rephrased", "Rephraser", "from_env"]

log = logging.getLogger("tumbuh.chatbot.llm")

SYSTEM_PROMPT: Final = (
    "Anda menulis ulang teks kesehatan untuk orang tua di WhatsApp. Tulis ulang teks dari "
    "pengguna dalam Bahasa Indonesia yang sederhana dan ramah. Jangan menambah fakta, angka, "
    "obat, dosis, nama tempat, atau saran baru. Jangan menghapus peringatan atau rujukan. "
    "Jawab hanya dengan teks hasil tulis ulang."
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 4.0
    max_tokens: int = 600


def from_env(env: Mapping[str, str] | None = None) -> LLMConfig | None:
    """The configuration from the environment, or None when no base URL and model are set."""
    env = os.environ if env is None else env
    base = env.get("TUMBUH_LLM_BASE_URL", "").strip()
    model = env.get("TUMBUH_LLM_MODEL", "").strip()
    if not base or not model:
        return None
    try:
        timeout = float(env.get("TUMBUH_LLM_TIMEOUT", "4"))
    except ValueError:
        timeout = 4.0
    return LLMConfig(
        base_url=base.rstrip("/"),
        model=model,
        api_key=env.get("TUMBUH_LLM_API_KEY", ""),
        timeout=timeout,
    )


@dataclass(frozen=True, slots=True)
class Rephrased:
    text: str
    used_llm: bool
    outcome: str
    """"ok", or why the curated text was kept ("timeout", "http_error", "rejected:...")."""


class Rephraser(Protocol):
    def rephrase(self, curated: str) -> Rephrased: ...


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}


def _check(curated: str, candidate: str) -> str:
    if not candidate.strip():
        return "rejected:empty"
    if len(candidate) > 1.5 * len(curated) + 200:
        return "rejected:too_long"
    if _numbers(candidate) - _numbers(curated):
        return "rejected:new_number"
    if "http" in candidate and "http" not in curated:
        return "rejected:new_link"
    return "ok"


class OpenAICompatibleRephraser:
    """Calls ``POST {base_url}/chat/completions``; falls back to the curated text on any doubt."""

    def __init__(self, config: LLMConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self._headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
        self._client = client or httpx.Client(timeout=config.timeout)

    def rephrase(self, curated: str) -> Rephrased:
        started = time.perf_counter()
        outcome = "ok"
        text = curated
        try:
            response = self._client.post(
                f"{self.config.base_url}/chat/completions",
                json={
                    "model": self.config.model,
                    "temperature": 0.2,
                    "max_tokens": self.config.max_tokens,
                    "messages": [
                        {"role": "system", "content": SYSTEM_PROMPT},
                        {"role": "user", "content": curated},
                    ],
                },
                headers=self._headers,
                timeout=self.config.timeout,
            )
            response.raise_for_status()
            data = response.json()
            candidate = str(data["choices"][0]["message"]["content"]).strip()
            outcome = _check(curated, candidate)
            if outcome == "ok":
                text = candidate
        except httpx.TimeoutException:
            outcome = "timeout"
        except httpx.HTTPError:
            outcome = "http_error"
        except (KeyError, IndexError, TypeError, ValueError):
            outcome = "bad_response"
        ms = (time.perf_counter() - started) * 1000.0
        log.info("llm rephrase model=%s outcome=%s ms=%.0f", self.config.model, outcome, ms)
        return Rephrased(text=text, used_llm=outcome == "ok", outcome=outcome)
