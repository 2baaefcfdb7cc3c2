"""Done means: a reporter records seed 000 through the CLI only, and `claim show` says exactly
who said what, with Tehran's denial resolved to Iran and its via chain."""

from __future__ import annotations

from pathlib import Path

from daily_session import PANETTA_QUOTE, SESSION, replay

EXPECTED_CLAIM_JSON = """\
{
  "id": 1,
  "key": "iran-arms-militias",
  "text": "Iran supplies weapons to Shiite militias in Iraq",
  "tags": [
    "iran",
    "weapons"
  ],
  "note": null,
  "links": [],
  "statements": [
    {
      "id": 2,
      "key": "afp-2011-07-10/655da9c2549a",
      "speaker": {
        "name": "Iran",
        "kind": "government",
        "anonymous": false
      },
      "speakers": [
        {
          "name": "Iran",
          "kind": "government",
          "anonymous": false,
          "affiliation": null,
          "anonymous_id": null
        }
      ],
      "speaker_description": null,
      "speaker_affiliation": null,
      "speaker_title": null,
      "anonymous_id": null,
      "party": "Iran",
      "stance": "denies",
      "side": "oppose",
      "certainty": "unspecified",
      "hedge": null,
      "verb": "denied",
      "quote": null,
      "quote_kind": null,
      "quote_status": null,
      "via": [
        "Iran state television"
      ],
      "said_on": null,
      "said_on_precision": null,
      "position": null,
      "utterance": null,
      "also_answers": [],
      "source": {
        "key": "afp-2011-07-10",
        "kind": "article",
        "outlet": "AFP",
        "title": "US forces pursue Iraq Shiite insurgents",
        "url": "https://www.afp.com/en/news/us-forces-pursue-iraq-shiite-insurgents",
        "published_on": "2011-07-10",
        "published_on_precision": "day",
        "published_time": null,
        "modified_time": null,
        "text_state": null,
        "independent_group": "afp-2011-07-10",
        "independent_outlet": "AFP"
      },
      "carried_by": [],
      "copies": [],
      "responds_to": "afp-2011-07-10/ccb052f7a437",
      "responds_to_speaker": "Leon Panetta",
      "responds_to_said_on": "2011-07-11",
      "note": null,
      "retracted": null
    },
    {
      "id": 1,
      "key": "afp-2011-07-10/ccb052f7a437",
      "speaker": {
        "name": "Leon Panetta",
        "kind": "person",
        "anonymous": false
      },
      "speakers": [
        {
          "name": "Leon Panetta",
          "kind": "person",
          "anonymous": false,
          "affiliation": null,
          "anonymous_id": null
        }
      ],
      "speaker_description": null,
      "speaker_affiliation": null,
      "speaker_title": "Defence Secretary",
      "anonymous_id": null,
      "party": "Leon Panetta",
      "stance": "asserts",
      "side": "support",
      "certainty": "unspecified",
      "hedge": null,
      "verb": "told",
      "quote": "We are very concerned about Iran and weapons they’re providing to extremists here in Iraq.",
      "quote_kind": "direct",
      "quote_status": "no stored text",
      "via": [],
      "said_on": "2011-07-11",
      "said_on_precision": "day",
      "position": null,
      "utterance": null,
      "also_answers": [],
      "source": {
        "key": "afp-2011-07-10",
        "kind": "article",
        "outlet": "AFP",
        "title": "US forces pursue Iraq Shiite insurgents",
        "url": "https://www.afp.com/en/news/us-forces-pursue-iraq-shiite-insurgents",
        "published_on": "2011-07-10",
        "published_on_precision": "day",
        "published_time": null,
        "modified_time": null,
        "text_state": null,
        "independent_group": "afp-2011-07-10",
        "independent_outlet": "AFP"
      },
      "carried_by": [],
      "copies": [],
      "responds_to": null,
      "responds_to_speaker": null,
      "responds_to_said_on": null,
      "note": null,
      "retracted": null
    }
  ],
  "verdicts": []
}
"""


def test_the_session_is_taken_from_seed_000(shared_dir: Path) -> None:
    (article,) = sorted((shared_dir / "seeds").glob("000_*.txt"))
    text = article.read_text(encoding="utf-8")
    assert "Mathieu Rabechault, AFP" in text
    assert "Last updated: 10 July, 2011" in text
    assert PANETTA_QUOTE in text
    assert "Tehran has denied US accusations" in text


def test_seed_000_session_gives_the_exact_claim_json(invoke, counts) -> None:
    results = replay(invoke)
    panetta, tehran = results[-2], results[-1]
    assert panetta.stdout == "Recorded statement 1 (afp-2011-07-10/ccb052f7a437): Leon Panetta asserts iran-arms-militias.\n"
    assert panetta.stderr == (
        'Warning: statement 1 is dated 2011-07-11, after its source "afp-2011-07-10" was published '
        "(2011-07-10); kept as given.\n"
    )
    assert tehran.stdout == "Recorded statement 2 (afp-2011-07-10/655da9c2549a): Iran denies iran-arms-militias.\n"
    assert tehran.stderr == ""

    shown = invoke("claim", "show", "iran-arms-militias", "--format", "json")
    assert shown.exit_code == 0
    assert shown.stdout == EXPECTED_CLAIM_JSON

    # replaying the session is refused at the first command and changes nothing
    before = counts()
    again = invoke(*SESSION[0])
    assert again.exit_code == 1
    assert again.stderr == 'Error: The name "Iran" already belongs to entity "Iran" (government).\n'
    assert counts() == before
    assert before["statements"] == 2 and before["entities"] == 5 and before["statement_via"] == 1


def test_recording_the_same_statement_twice_is_refused(replayed_session, invoke, counts) -> None:
    before = counts()
    result = invoke(*SESSION[-1])
    assert result.exit_code == 1
    assert result.stderr == (
        'Error: This statement is already recorded as statement 2 (key "afp-2011-07-10/655da9c2549a"); '
        "use `statement edit` to change it.\n"
    )
    assert counts() == before
