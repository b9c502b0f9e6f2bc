"""Chatbot speed: CPU per message, and latency at several concurrency levels (no LLM).

    .venv/bin/python benchmarks/chatbot_bench.py

Messages are the single-turn cases of ``eval/chatbot``. Latency is measured from submission
to reply through a pool of server threads sharing one Bot (see
``tumbuh.chatbot.evaluate.latency``); the target is median < 30 ms and p99 < 150 ms at 20
concurrent conversations.
"""

from __future__ import annotations

import statistics
import time

from tumbuh.chatbot.evaluate import _pct, latency, load_cases, new_bot


def main() -> None:
    texts = [c.turns[0] for c in load_cases() if len(c.turns) == 1]
    bot = new_bot()
    print(
        f"knowledge entries: {len(bot.retriever.entries)}; embeddings: "
        f"{bot.retriever.uses_embeddings}; messages: {len(texts)}"
    )
    for i, text in enumerate(texts):  # warm caches
        bot.reply(f"warm-{i}", text)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        bot.reply(f"serial-{i}", text)
    per = (time.perf_counter() - start) / len(texts) * 1000
    print(f"one conversation at a time: {per:.2f} ms per message ({1000 / per:.0f} msg/s)")
    for conversations, threads in ((1, 1), (5, 4), (20, 4), (50, 4), (20, 20)):
        timings = latency(new_bot(), texts, conversations=conversations, server_threads=threads)
        print(
            f"{conversations:>3} conversations, {threads:>2} threads: "
            f"median {statistics.median(timings):6.1f} ms  p95 {_pct(timings, 0.95):6.1f} ms  "
            f"p99 {_pct(timings, 0.99):6.1f} ms  (n={len(timings)})"
        )


if __name__ == "__main__":
    main()
