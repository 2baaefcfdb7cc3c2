"""Names as people type them: surnames, role titles held on the statement's date, one
suggestion per entity, the numbered prompt, and `--create` listing what it created
(both backends)."""

from __future__ import annotations

import json

import pytest
from conftest import cli_invoker

from factdb.cli import common

KREMLIN = [
    ["entity", "add", "Kremlin", "--kind", "government", "--alias", "Moscow"],
    ["entity", "add", "United States", "--kind", "government", "--alias", "US"],
    ["entity", "add", "Dmitry Peskov", "--kind", "person", "--alias", "Dmitri Peskov",
     "--role", "spokesman", "--of", "Kremlin", "--from", "2012-05"],
    ["entity", "add", "Robert Gates", "--kind", "person", "--role", "Secretary of Defense", "--of", "United States",
     "--from", "2006-12-18", "--until", "2011-06-30"],
    ["entity", "add", "Leon Panetta", "--kind", "person", "--role", "US Secretary of Defense", "--from", "2011-07-01",
     "--until", "2013-02-26"],
    ["entity", "add", "Lloyd Austin", "--kind", "person"],
    ["entity", "add", "Sarah Austin", "--kind", "person"],
    ["entity", "add", "Austin", "--kind", "organization", "--alias", "City of Austin"],
    ["source", "add", "--key", "tass-2018", "--outlet", "TASS", "--create", "--published", "2018-07-16"],
    ["source", "add", "--key", "afp-2011", "--outlet", "AFP", "--create", "--published", "2011-07-10"],
    ["claim", "add", "Russia interfered in the 2016 US election", "--key", "meddling"],
]


def build(url: str) -> None:
    invoke = cli_invoker(url)
    for args in KREMLIN:
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)


@pytest.fixture
def names_db(db_url, dataset) -> str:
    dataset(build)
    return db_url


def _speaker(invoke, name: str, *extra: str) -> tuple[int, str, str]:
    result = invoke("attribute", "meddling", "--speaker", name, "--stance", "denies", *extra)
    if result.exit_code != 0:
        return result.exit_code, result.stdout, result.stderr
    shown = json.loads(invoke("statement", "list", "--format", "json").stdout)[-1]
    return 0, shown["speaker"]["name"], result.stderr


@pytest.mark.parametrize(
    ("typed", "extra", "who"),
    [
        ("Peskov", ["--source", "tass-2018"], "Dmitry Peskov"),  # a surname: the one person so called
        ("peskov", ["--source", "tass-2018"], "Dmitry Peskov"),
        ("Kremlin spokesman", ["--source", "tass-2018"], "Dmitry Peskov"),  # title + organization
        ("the Kremlin's spokesman", ["--source", "tass-2018"], "Dmitry Peskov"),
        # the defence secretary on the statement's date (said on), else the source's date
        ("the defence secretary", ["--source", "afp-2011", "--said-on", "2011-06-01"], "Robert Gates"),
        ("the defence secretary", ["--source", "afp-2011", "--said-on", "2011-07-05"], "Leon Panetta"),
        ("US Secretary of Defense", ["--source", "afp-2011"], "Leon Panetta"),
        ("Secretary of Defense", ["--source", "afp-2011", "--said-on", "2010"], "Robert Gates"),
    ],
)
def test_a_surname_or_a_role_title_names_one_entity(names_db, invoke, typed, extra, who) -> None:
    assert _speaker(invoke, typed, *extra) == (0, who, "")


def test_the_exact_name_wins_over_a_surname(names_db, invoke) -> None:
    # "Austin" is the city's own name: never Lloyd or Sarah Austin
    result = invoke("statement", "list", "--speaker", "Austin", "--format", "json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


@pytest.mark.parametrize(
    ("typed", "extra", "message"),
    [
        (
            "Panetta Gates", ["--source", "afp-2011"],
            'Error: No entity named "Panetta Gates". Did you mean "Leon Panetta"? '
            "Pass --create to add it as a new person entity.\n",
        ),
        (
            "the defence secretary", ["--source", "tass-2018"],  # nobody held it in 2018 in this database
            'Error: No entity named "the defence secretary". Pass --create to add it as a new person entity.\n',
        ),
        (
            "Dmitry Peskow", ["--source", "tass-2018"],  # suggested once, not once per alias
            'Error: No entity named "Dmitry Peskow". Did you mean "Dmitry Peskov"? '
            "Pass --create to add it as a new person entity.\n",
        ),
    ],
)
def test_unknown_names_are_refused_with_each_entity_suggested_once(
    names_db, invoke, counts, typed, extra, message
) -> None:
    before = counts()
    assert _speaker(invoke, typed, *extra) == (1, "", message)
    assert counts() == before


def test_an_ambiguous_role_is_a_choice(names_db, invoke, counts) -> None:
    assert invoke("entity", "role", "add", "Sarah Austin", "spokeswoman", "--of", "Kremlin").exit_code == 0
    assert invoke("entity", "role", "add", "Lloyd Austin", "spokesman", "--of", "United States").exit_code == 0
    before = counts()
    for extra in ([], ["--create"]):
        result = invoke("attribute", "meddling", "--speaker", "spokesman", "--stance", "denies",
                        "--source", "tass-2018", *extra)
        assert (result.exit_code, result.stderr) == (
            1,
            'Error: No entity named "spokesman". Did you mean "Dmitry Peskov" or "Lloyd Austin"? '
            'Give the full name; `entity add` adds another entity called "spokesman".\n',
        )
    assert counts() == before


def test_a_surname_shared_by_two_persons_is_refused_even_with_create(names_db, invoke, counts) -> None:
    assert invoke("entity", "add", "Anna Peskova", "--kind", "person").exit_code == 0
    assert invoke("entity", "add", "Elizaveta Peskova", "--kind", "person").exit_code == 0
    before = counts()
    for extra in ([], ["--create"]):
        result = invoke("attribute", "meddling", "--speaker", "Peskova", "--stance", "denies",
                        "--source", "tass-2018", *extra)
        assert (result.exit_code, result.stderr) == (
            1,
            'Error: No entity named "Peskova". Did you mean "Anna Peskova" or "Elizaveta Peskova"? '
            'Give the full name; `entity add` adds another entity called "Peskova".\n',
        )
    assert counts() == before


# --- the prompt --------------------------------------------------------------------------------


def test_the_prompt_offers_the_suggestions_first(names_db, invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    result = invoke("attribute", "meddling", "--speaker", "Dmitry Peskow", "--stance", "denies",
                    "--certainty", "certain", "--source", "tass-2018", input="1\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        'No entity named "Dmitry Peskow". Did you mean Dmitry Peskov? [1/c(reate)/n]: 1\n'
        "Recorded statement 1 ("
    )
    assert result.stdout.endswith("): Dmitry Peskov denies meddling.\n")


def test_the_prompt_numbers_several_suggestions(names_db, invoke, counts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    invoke("entity", "add", "Anna Peskova", "--kind", "person")
    invoke("entity", "add", "Elizaveta Peskova", "--kind", "person")
    before = counts()
    refused = invoke("attribute", "meddling", "--speaker", "Peskova", "--stance", "denies",
                     "--certainty", "certain", "--source", "tass-2018", input="\n")
    prompt = 'No entity named "Peskova". Did you mean 1. Anna Peskova, 2. Elizaveta Peskova? [1/2/c(reate)/n]: '
    assert (refused.exit_code, refused.stdout) == (1, prompt + "\n")
    assert counts() == before
    chosen = invoke("attribute", "meddling", "--speaker", "Peskova", "--stance", "denies",
                    "--certainty", "certain", "--source", "tass-2018", input="2\n")
    assert chosen.stdout.endswith("): Elizaveta Peskova denies meddling.\n")


def test_create_at_the_prompt_and_with_create_lists_what_was_created(names_db, invoke, monkeypatch) -> None:
    result = invoke("attribute", "meddling", "--speaker", "Maria Zakharova", "--affiliation", "Russian MFA",
                    "--via", "RIA Novosti", "--stance", "denies", "--source", "tass-2018", "--create")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        'Created entity 11 "Maria Zakharova" (person).',
        'Created entity 12 "Russian MFA" (organization).',
        'Created entity 13 "RIA Novosti" (media).',
    ]
    assert lines[3].startswith("Recorded statement 1 (") and len(lines) == 4
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    typed = invoke("attribute", "meddling", "--speaker", "Dmitry Peskow", "--stance", "asserts",
                   "--certainty", "certain", "--source", "tass-2018", input="c\n")
    assert typed.stdout.splitlines()[:2] == [
        'No entity named "Dmitry Peskow". Did you mean Dmitry Peskov? [1/c(reate)/n]: c',
        'Created entity 14 "Dmitry Peskow" (person).',
    ]


# --- entity add: --of with --create, an alias another entity answers to --------------------------


def test_entity_add_of_an_unknown_organization_needs_create(names_db, invoke, counts) -> None:
    args = ["entity", "add", "Maria Zakharova", "--kind", "person", "--role", "spokeswoman", "--of", "Russian MFA"]
    before = counts()
    refused = invoke(*args)
    assert (refused.exit_code, refused.stderr) == (
        1, 'Error: No entity named "Russian MFA". Pass --create to add it as a new organization entity.\n'
    )
    assert counts() == before
    created = invoke(*args, "--create")
    assert created.stdout == (
        'Created entity 11 "Russian MFA" (organization).\nAdded entity 12 "Maria Zakharova" (person).\n'
    )
    # the role then names her: "the Russian MFA spokeswoman"
    assert _speaker(invoke, "the Russian MFA spokeswoman", "--source", "tass-2018") == (0, "Maria Zakharova", "")


def test_an_alias_another_entity_answers_to_offers_the_merge(names_db, invoke, counts, monkeypatch) -> None:
    # "U.S." is "US" once dots are ignored: United States answers to it
    args = ["entity", "add", "United States of America", "--kind", "government", "--alias", "U.S.", "--alias", "USA"]
    before = counts()
    refused = invoke(*args)
    assert (refused.exit_code, refused.stderr) == (
        1,
        'Error: The name "U.S." already belongs to entity "United States" (government). If "United States of '
        'America" is the same entity, add its names there: factdb entity alias add "United States" '
        '"United States of America"\n',
    )
    assert counts() == before
    monkeypatch.setattr(common, "is_interactive", lambda: True)
    declined = invoke(*args, input="n\n")
    assert declined.exit_code == 1
    assert counts() == before
    merged = invoke(*args, input="y\n")
    assert merged.stdout == (
        'The name "U.S." already belongs to entity "United States" (government). Is "United States of America" '
        'the same? Add its names to "United States" [y/N]: y\n'
        'Added "United States of America" to entity 2 "United States" (government); '
        "aliases: US; United States of America; USA.\n"
    )
    assert counts()["entities"] == before["entities"]
    shown = json.loads(invoke("entity", "show", "USA", "--format", "json").stdout)
    assert (shown["name"], shown["aliases"]) == ("United States", ["US", "United States of America", "USA"])
