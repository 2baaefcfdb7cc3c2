"""A short reporting session on seed 000 (AFP, 10 July 2011), typed through the CLI only.

Shared by the daily-use tests: each test starts from an empty database and replays it.
"""

from __future__ import annotations

from collections.abc import Callable

PANETTA_QUOTE = "We are very concerned about Iran and weapons they\u2019re providing to extremists here in Iraq."

SESSION: list[list[str]] = [
    ["entity", "add", "Iran", "--kind", "government", "--alias", "Tehran", "--alias", "the government of Iran"],
    ["entity", "add", "Leon Panetta", "--kind", "person", "--role", "US Secretary of Defense", "--from", "2011-07-01"],
    ["entity", "add", "Kataib Hezbollah", "--kind", "armed-group", "--alias", "Kata'ib Hizballah"],
    ["entity", "add", "Iran state television", "--kind", "media"],
    [
        "source", "add", "--key", "afp-2011-07-10", "--outlet", "AFP", "--create",
        "--title", "US forces pursue Iraq Shiite insurgents", "--published", "2011-07-10",
        "--url", "https://www.afp.com/en/news/us-forces-pursue-iraq-shiite-insurgents",
        "--author", "Mathieu Rabechault",
    ],
    [
        "claim", "add", "Iran supplies weapons to Shiite militias in Iraq",
        "--key", "iran-arms-militias", "--tag", "iran", "--tag", "weapons",
    ],
    [
        "attribute", "iran-arms-militias", "--speaker", "Leon Panetta", "--title", "Defence Secretary",
        "--stance", "asserts", "--verb", "told", "--quote", PANETTA_QUOTE,
        "--source", "afp-2011-07-10", "--said-on", "2011-07-11",
    ],
    [
        "dispute", "iran-arms-militias", "--speaker", "Tehran", "--verb", "denied",
        "--source", "afp-2011-07-10", "--via", "Iran state television", "--responds-to", "1",
    ],
]


def replay(invoke: Callable, commands: list[list[str]] = SESSION) -> list:
    """Run every command; each must succeed. Returns the results."""
    results = []
    for args in commands:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
        results.append(result)
    return results
