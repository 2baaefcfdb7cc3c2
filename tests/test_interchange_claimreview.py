"""ClaimReview JSON-LD: import as published (messy markup), refusals, export and round trip."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from factdb.errors import InvalidInput
from factdb.keys import claim_key_for
from factdb.transfer import claimreview_document, records_from
from factdb.transfer.claimreview import convert_claimreview
from factdb.transfer.claimreview_export import claimreview_export, claimreview_problems
from factdb.transfer.converting import ConversionSummary


def convert(document, label="doc.jsonld"):
    summary = ConversionSummary()
    text = document if isinstance(document, str) else json.dumps(document)
    records = list(convert_claimreview(text, label, summary))
    return records, summary


def of_kind(records, kind):
    return [record for k, record, _ in records if k == kind]


REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example/reviews/iran-weapons",
    "datePublished": "2011-07-20",
    "author": {"@type": "Organization", "name": "Checker"},
    "claimReviewed": "Iran supplies weapons to Shiite militias in Iraq",
    "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5", "worstRating": "1", "alternateName": "Unproven"},
    "itemReviewed": {
        "@type": "Claim",
        "datePublished": "2011-07-11",
        "author": {"@type": "Person", "name": "Leon Panetta", "jobTitle": "Defence Secretary"},
        "firstAppearance": {"@type": "CreativeWork", "url": "https://www.afp.com/en/news/1", "name": "US forces pursue"},
    },
}
KEY = claim_key_for("Iran supplies weapons to Shiite militias in Iraq")


def test_one_review_gives_exact_records():
    records, summary = convert(REVIEW)
    source_key = of_kind(records, "source")[0]["key"]
    assert source_key.startswith("afp-com-")
    # the review rates the claim as its one author made it: that statement
    statement_key = of_kind(records, "statement")[0]["key"]
    assert statement_key.startswith(source_key + "/")
    assert records == [
        ("entity", {"name": "Checker", "kind": "media"}, "doc.jsonld:$"),
        ("entity", {"name": "Leon Panetta", "kind": "person"}, "doc.jsonld:$"),
        ("entity", {"name": "afp.com", "kind": "media"}, "doc.jsonld:$"),
        ("source", {"key": source_key, "outlet": "afp.com", "url": "https://www.afp.com/en/news/1", "title": "US forces pursue"},
         "doc.jsonld:$"),
        ("claim", {"key": KEY, "text": "Iran supplies weapons to Shiite militias in Iraq"}, "doc.jsonld:$"),
        ("statement", {"claim": KEY, "speaker": "Leon Panetta", "stance": "asserts", "speaker_title": "Defence Secretary",
                       "said_on": "2011-07-11", "source": source_key, "key": statement_key}, "doc.jsonld:$"),
        ("verdict", {"claim": KEY, "reviewer": "Checker", "rating": "Unproven", "rating_value": 2, "best_rating": 5,
                     "worst_rating": 1, "reviewed_on": "2011-07-20", "url": "https://checker.example/reviews/iran-weapons",
                     "statement": statement_key},
         "doc.jsonld:$"),
    ]  # fmt: skip
    assert summary.lines() == ["1 review read, 1 taken, 0 refused"]


def _variant(**changes):
    document = json.loads(json.dumps(REVIEW))
    for path, value in changes.items():
        node = document
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return document


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # HTML entities are unescaped
        (_variant(claimReviewed="Iran&#039;s weapons &amp; militias"), {"claim": "Iran's weapons & militias"}),
        # a claimant name given as a list: name, then a description used as the title
        (_variant(itemReviewed__author={"@type": "Organization", "name": ["Mzwandile Masina", "mayor of Ekurhuleni"]}),
         {"speaker": ("Mzwandile Masina", "organization", "mayor of Ekurhuleni")}),
        # an author given as a list: the organization is the reviewer, not the person who wrote it
        (_variant(author=[{"@type": "Person", "name": "A. Writer"}, {"@type": "Organization", "name": "Checker"}]),
         {"reviewer": ("Checker", "media")}),
        # only a person as author, a publisher beside it: the publisher reviews
        (_variant(author=[{"@type": "Person", "name": "A. Writer"}], publisher={"@type": "Organization", "name": "Pub"}),
         {"reviewer": ("Pub", "media")}),
        # an author without name is named by its URL's host
        (_variant(author={"@type": "Organization", "url": "http://www.politifact.com/"}), {"reviewer": ("politifact.com", "media")}),
        # empty bestRating, number ratingValue
        (_variant(reviewRating={"@type": "Rating", "ratingValue": 1, "bestRating": "", "alternateName": "False"}),
         {"rating": ("False", 1, None, None)}),
        # no alternateName: the ratingValue as text
        (_variant(reviewRating={"@type": "Rating", "ratingValue": "4.5"}), {"rating": ("4.5", 4.5, None, None)}),
        # a URL missing only its scheme; a relative one resolved against the page
        (_variant(url="checker.example/r/1"), {"url": "https://checker.example/r/1"}),
        (_variant(url="/r/2", mainEntityOfPage={"@type": "WebPage", "@id": "https://checker.example/r/2"}),
         {"url": "https://checker.example/r/2"}),
        # creativeWork in lower case, with its own URL: it is the statement's source
        (_variant(itemReviewed={"@type": "creativeWork", "url": "https://t.example/p/1", "author": {"@type": "Person", "name": "X Y"}}),
         {"source_url": "https://t.example/p/1"}),
        # a timestamp with an offset keeps the publisher's calendar day
        (_variant(datePublished="2020-03-27T23:46:13+0200"), {"reviewed_on": "2020-03-27"}),
    ],
)  # fmt: skip
def test_messy_markup_is_read(document, expected):
    records, summary = convert(document)
    assert summary.taken == 1
    verdict = of_kind(records, "verdict")[0]
    if "claim" in expected:
        assert of_kind(records, "claim")[0]["text"] == expected["claim"]
    if "speaker" in expected:
        name, kind, title = expected["speaker"]
        assert {"name": name, "kind": kind} in of_kind(records, "entity")
        statement = of_kind(records, "statement")[0]
        assert (statement["speaker"], statement.get("speaker_title")) == (name, title)
    if "reviewer" in expected:
        name, kind = expected["reviewer"]
        assert verdict["reviewer"] == name and {"name": name, "kind": kind} in of_kind(records, "entity")
    if "rating" in expected:
        assert (verdict["rating"], verdict.get("rating_value"), verdict.get("best_rating"), verdict.get("worst_rating")) == expected["rating"]
    if "url" in expected:
        assert verdict["url"] == expected["url"]
    if "source_url" in expected:
        assert of_kind(records, "source")[0]["url"] == expected["source_url"]
    if "reviewed_on" in expected:
        assert verdict["reviewed_on"] == expected["reviewed_on"]


def test_an_unresolvable_relative_url_is_counted_as_dropped_not_written_into_a_note():
    records, summary = convert(_variant(url="/r/3", dateModified="2011-07-21"))
    verdict = of_kind(records, "verdict")[0]
    assert "url" not in verdict and "note" not in verdict
    assert summary.lines(verbose=True) == [
        "1 review read, 1 taken, 0 refused",
        "  dropped: 2 fields of kinds dateModified (1), url (1)",
        '    doc.jsonld:$: url: "/r/3" (not an absolute URL and no page URL to resolve it against)',
        '    doc.jsonld:$: dateModified: "2011-07-21" (not kept)',
    ]
    # the page's own URL (an HTML page's canonical URL, --base-url) resolves it
    records, summary = convert_at(_variant(url="/r/3"), "https://checker.example/reviews/x")
    assert of_kind(records, "verdict")[0]["url"] == "https://checker.example/r/3" and not summary.dropped


def convert_at(document, base_url):
    summary = ConversionSummary()
    return list(convert_claimreview(json.dumps(document), "doc.jsonld", summary, base_url=base_url)), summary


def test_every_field_the_model_has_is_read():
    review = _variant(
        headline="Did Panetta say so?", description="A short summary", reviewBody="The full text", inLanguage="en",
        author=[{"@type": "Organization", "name": "Checker", "url": "https://checker.example/",
                 "sameAs": ["https://twitter.com/checker", "https://www.wikidata.org/wiki/Q1"]},
                {"@type": "Person", "name": "A. Writer", "url": "https://checker.example/a-writer"}],
        publisher={"@type": "Organization", "name": "Checker Media Group", "logo": {"url": "https://checker.example/l.png"}},
        reviewRating={"@type": "Rating", "alternateName": "Unproven", "ratingValue": 2, "bestRating": 5,
                      "worstRating": 1, "ratingExplanation": "No evidence was given."},
        itemReviewed={"@type": "Claim", "name": "a TV interview", "datePublished": "2011-07-11",
                      "author": {"@type": "Person", "name": "Leon Panetta", "sameAs": "https://en.wikipedia.org/wiki/Leon_Panetta"},
                      "firstAppearance": {"@type": "CreativeWork", "url": "https://www.afp.com/en/news/1"},
                      "appearance": [{"@type": "CreativeWork", "url": "https://www.afp.com/en/news/1"},
                                     "https://tv.example/clip", {"@type": "CreativeWork", "url": "https://x.example/post"}]},
    )  # fmt: skip
    records, summary = convert(review)
    verdict = of_kind(records, "verdict")[0]
    assert {k: v for k, v in verdict.items() if k not in ("claim", "statement")} == {
        "reviewer": "Checker", "reviewer_url": "https://checker.example/",
        "reviewer_same_as": ["https://twitter.com/checker", "https://www.wikidata.org/wiki/Q1"],
        "publisher": "Checker Media Group", "authors": ["A. Writer"],
        "rating": "Unproven", "rating_value": 2, "best_rating": 5, "worst_rating": 1,
        "rating_explanation": "No evidence was given.", "reviewed_on": "2011-07-20",
        "url": "https://checker.example/reviews/iran-weapons", "title": "Did Panetta say so?",
        "description": "A short summary", "review_body": "The full text", "language": "en",
        "claim_venue": "a TV interview", "claimant_same_as": ["https://en.wikipedia.org/wiki/Leon_Panetta"],
        "appearances": ["https://tv.example/clip", "https://x.example/post"],
    }  # fmt: skip
    assert {"name": "Checker Media Group", "kind": "media"} in of_kind(records, "entity")
    assert dict(summary.dropped) == {"author.url": 1, "publisher.logo.url": 1}
    # and back: the export carries each of them, and its import gives the same records
    document = claimreview_document([(k, r) for k, r, _ in records])
    again, again_summary = convert(json.dumps(document))
    assert [(k, r) for k, r, _ in again] == [(k, r) for k, r, _ in records]
    assert not again_summary.dropped


def test_arrays_graphs_and_id_references():
    review = _variant(author={"@id": "https://checker.example/#org"})
    document = {"@context": "https://schema.org", "@graph": [{"@type": "Organization", "@id": "https://checker.example/#org", "name": "Checker"}, review]}
    records, summary = convert([document, {"@context": "http://schema.org/", **_variant(claimReviewed="Another claim")}])
    assert summary.lines() == ["2 reviews read, 2 taken, 0 refused"]
    assert [(r["reviewer"], loc) for k, r, loc in records if k == "verdict"] == [
        ("Checker", "doc.jsonld:[0].@graph[1]"),
        ("Checker", "doc.jsonld:[1]"),
    ]
    # the shared speaker, outlet and source are emitted once
    assert Counter(k for k, _, _ in records) == {"entity": 3, "source": 1, "claim": 2, "statement": 2, "verdict": 2}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "doc.jsonld: document: not JSON (Expecting property name enclosed in double quotes at line 1 column 2)"),
        (json.dumps({"@context": "https://example.org/vocab", "@type": "ClaimReview"}),
         'doc.jsonld: @context: "https://example.org/vocab" is not the schema.org context'),
        (json.dumps({"@context": "https://schema.org", "@type": "NewsArticle"}),
         "doc.jsonld: @type: no ClaimReview in the document (types found: NewsArticle)"),
        (json.dumps(_variant(reviewRating=None)),
         "doc.jsonld:$: reviewRating: missing; a ClaimReview without a rating is not a verdict"),
        (json.dumps(_variant(claimReviewed=None, itemReviewed={"@type": "Claim"})),
         "doc.jsonld:$: claimReviewed: missing; a ClaimReview must say which claim it reviews"),
        (json.dumps(_variant(author={"@type": "Organization"})),
         "doc.jsonld:$: author: no reviewer: the ClaimReview's author and publisher have neither name nor URL"),
        (json.dumps(_variant(datePublished="last Tuesday")),
         'doc.jsonld:$: datePublished: "last Tuesday" is not a date; use YYYY-MM-DD, YYYY-MM or YYYY'),
        (json.dumps(_variant(reviewRating={"alternateName": "x" * 201})),
         "doc.jsonld:$: reviewRating.alternateName: 201 characters is longer than 200"),
    ],
)  # fmt: skip
def test_refusals_name_the_place_and_the_reason(text, message):
    records, summary = convert(text)
    assert [(k, r["message"]) for k, r, _ in records] == [("error", message)]
    assert (summary.read, summary.taken, summary.refused_count) == (1, 0, 1)


# --- every shared document, as published -----------------------------------------------------

TAKEN = {  # file -> records by kind (one review each)
    "aajtak_india_today_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "afp_fact_check_hindi_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "afp_factual_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "afp_factuel_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "afp_india_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "africa_check_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "aos_fatos_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "boom_live_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "efe_verifica_raw.jsonld": {"entity": 1, "claim": 1, "verdict": 1},  # no claimant given
    "eg-0324_ClaimReview.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "fact_check_cite_raw.jsonld": {"entity": 1, "claim": 1, "verdict": 1},
    "hindi_boom_live_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "india_today_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "news_checker_raw.jsonld": {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "newtral_fakes_raw.jsonld": {"entity": 1, "claim": 1, "verdict": 1},
    "tfc_taiwan_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "twenty_minutes_claim_review_page.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
    "vishvas_news_english_raw.jsonld": {"entity": 2, "source": 1, "claim": 1, "statement": 1, "verdict": 1},
}
REFUSED = {
    "eg-0325_ClaimReview.jsonld": "eg-0325_ClaimReview.jsonld:$: reviewRating: missing; a ClaimReview without a rating is not a verdict",
    "eg-0467_MediaReview.jsonld": "eg-0467_MediaReview.jsonld:$: @type: MediaReview rates a media item's authenticity "
    "(DecontextualizedContent), not a claim's truth; not imported",
}


def test_every_shared_document_is_taken_or_refused_with_a_reason(shared_dir):
    folder = shared_dir / "data" / "claimreview"
    assert sorted(p.name for p in folder.iterdir()) == sorted({**TAKEN, **REFUSED})
    for name in sorted(TAKEN):
        conversion = records_from(folder / name, "claimreview")
        records = list(conversion)
        assert dict(Counter(k for k, _, _ in records)) == TAKEN[name], name
        assert conversion.summary.lines()[0] == "1 review read, 1 taken, 0 refused", name
    for name, message in REFUSED.items():
        records = list(records_from(folder / name, "claimreview"))
        assert [(k, r["message"]) for k, r, _ in records] == [("error", message)]


def test_shared_documents_exact_fields(shared_dir):
    folder = shared_dir / "data" / "claimreview"
    verdicts = {}
    for name in sorted(TAKEN):
        for kind, record, _ in records_from(folder / name, "claimreview"):
            if kind == "verdict":
                verdicts[name] = (record["reviewer"], record["rating"], record.get("rating_value"),
                                  record.get("best_rating"), record.get("reviewed_on"))  # fmt: skip
    assert verdicts["aos_fatos_raw.jsonld"] == ("Aos Fatos", "não_é_bem_assim", 5, 6, "2022-08-11")
    assert verdicts["boom_live_raw.jsonld"] == ("BOOM", "False", 1, None, "2019-04-10")  # empty bestRating
    assert verdicts["eg-0324_ClaimReview.jsonld"] == ("politifact.com", "True", 1, 6, "2014-07-23")
    assert verdicts["newtral_fakes_raw.jsonld"] == ("Newtral", "Falso", None, None, "2022-10-17")
    assert verdicts["india_today_raw.jsonld"] == ("India Today", "Mostly false", 2, 5, None)
    assert verdicts["twenty_minutes_claim_review_page.jsonld"] == ("20 minutes", "really_false", -1, -1, "2022-05-11")
    vishvas = list(records_from(folder / "vishvas_news_english_raw.jsonld", "claimreview"))
    assert of_kind(vishvas, "claim")[0]["text"] == "Rishi Sunak praises Manmohan Singh's economy ideas"
    africa = list(records_from(folder / "africa_check_raw.jsonld", "claimreview"))
    statement = of_kind(africa, "statement")[0]
    assert (statement["speaker"], statement["speaker_title"], statement["said_on"]) == (
        "Mzwandile Masina", "mayor of Ekurhuleni", "2020-03-18",
    )  # fmt: skip
    aos = list(records_from(folder / "aos_fatos_raw.jsonld", "claimreview"))
    assert of_kind(aos, "verdict")[0]["url"].startswith("https://aosfatos.org/noticias/video-manipulado")


# --- export ------------------------------------------------------------------------------------

BUNDLE = [
    ("entity", {"name": "Leon Panetta", "kind": "person"}),
    ("entity", {"name": "Iran", "kind": "government", "aliases": ["Tehran"]}),
    ("entity", {"name": "AFP", "kind": "media"}),
    ("entity", {"name": "PolitiFact", "kind": "media"}),
    ("source", {"key": "afp-2011-07-11", "outlet": "AFP", "title": "US forces pursue Iraq Shiite insurgents",
                "url": "https://www.afp.com/en/news/1", "authors": ["Jane Roe"], "published_on": "2011-07-11"}),
    ("claim", {"key": "iran-arms-iraqi-militias", "text": "Iran supplies weapons to Shiite militias in Iraq",
               "tags": ["iran", "iraq"]}),
    ("claim", {"key": "no-verdict", "text": "A claim nobody reviewed"}),
    ("statement", {"claim": "iran-arms-iraqi-militias", "speaker": "Leon Panetta", "stance": "asserts",
                   "speaker_title": "Defence Secretary", "said_on": "2011-07", "source": "afp-2011-07-11"}),
    ("statement", {"claim": "iran-arms-iraqi-militias", "speaker": "Tehran", "stance": "denies", "source": "afp-2011-07-11"}),
    ("verdict", {"claim": "iran-arms-iraqi-militias", "reviewer": "PolitiFact", "rating": "Half True", "rating_value": 3,
                 "best_rating": 6, "worst_rating": 1, "reviewed_on": "2011-07-20",
                 "url": "https://www.politifact.com/factchecks/2011/jul/20/x/"}),
    ("verdict", {"claim": "iran-arms-iraqi-militias", "key": "desk-review-1", "reviewer": "Iran", "rating": "false",
                 "note": "Reviewed by the foreign ministry"}),
]  # fmt: skip

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KNOWN_TYPES = {"ClaimReview", "Claim", "Rating", "CreativeWork", "Person", "Organization", "NewsMediaOrganization",
               "GovernmentOrganization"}  # fmt: skip
REQUIRED = {"ClaimReview": {"claimReviewed", "author", "reviewRating", "itemReviewed"}, "Rating": {"alternateName"},
            "Person": {"name"}, "Organization": {"name"}, "NewsMediaOrganization": {"name"},
            "GovernmentOrganization": {"name"}, "CreativeWork": {"url"}, "Claim": set()}  # fmt: skip


def _check_node(node, problems, where="$"):
    """Structural JSON-LD check without the network: typed nodes of known schema.org types,
    required properties, absolute URLs, ISO dates."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_node(item, problems, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    node_type = node.get("@type")
    if node_type not in KNOWN_TYPES:
        problems.append(f"{where}: @type {node_type!r}")
    for prop in REQUIRED.get(node_type, ()):
        if prop not in node:
            problems.append(f"{where}: {node_type} lacks {prop}")
    for key, value in node.items():
        if key in ("url",) and not re.match(r"^https?://", value):
            problems.append(f"{where}.url not absolute: {value}")
        if key == "@id" and not re.match(r"^(https?|urn):", value):
            problems.append(f"{where}.@id not an IRI: {value}")
        if key == "datePublished" and not ISO_DATE.match(value):
            problems.append(f"{where}.datePublished not ISO: {value}")
        if isinstance(value, (dict, list)):
            _check_node(value, problems, f"{where}.{key}")


def test_export_is_a_schema_org_claimreview_document():
    built = claimreview_export(BUNDLE)
    document = built.document
    assert document["@context"] == "https://schema.org"
    # the second verdict has no review URL, which Google requires: listed, not written
    assert [node["@type"] for node in document["@graph"]] == ["ClaimReview"]
    assert built.skipped == [
        ("desk-review-1", ["url: required (the absolute URL of the page hosting the fact check)"]),
    ]
    problems = []
    _check_node(document["@graph"], problems)
    assert problems == []
    first = document["@graph"][0]
    assert first == {
        "@type": "ClaimReview",
        "url": "https://www.politifact.com/factchecks/2011/jul/20/x/",
        "claimReviewed": "Iran supplies weapons to Shiite militias in Iraq",
        "author": {"@type": "NewsMediaOrganization", "name": "PolitiFact"},
        "reviewRating": {"@type": "Rating", "alternateName": "Half True", "ratingValue": 3, "bestRating": 6, "worstRating": 1},
        "itemReviewed": {
            "@type": "Claim",
            "@id": "urn:factdb:claim:iran-arms-iraqi-militias",
            "keywords": ["iran", "iraq"],
            "author": {"@type": "Person", "name": "Leon Panetta", "jobTitle": "Defence Secretary"},
            "datePublished": "2011-07",
            "firstAppearance": first["itemReviewed"]["appearance"][0],
            "appearance": [{
                "@type": "CreativeWork", "url": "https://www.afp.com/en/news/1", "identifier": "afp-2011-07-11",
                "publisher": {"@type": "NewsMediaOrganization", "name": "AFP"},
                "name": "US forces pursue Iraq Shiite insurgents", "author": [{"@type": "Person", "name": "Jane Roe"}],
                "datePublished": "2011-07-11",
            }],
        },
        "datePublished": "2011-07-20",
    }  # fmt: skip
    assert claimreview_problems(first) == []
    everything = claimreview_export(BUNDLE, allow_incomplete=True)
    assert everything.skipped == []
    second = everything.document["@graph"][1]
    assert second["@id"] == "urn:factdb:verdict:desk-review-1"
    assert second["author"] == {"@type": "GovernmentOrganization", "name": "Iran"}
    # factdb's own note on a verdict is never written as the review's text
    assert "reviewBody" not in second and "Reviewed by the foreign ministry" not in json.dumps(everything.document)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"claimReviewed": " "}, "claimReviewed: required (a short summary of the claim)"),
        ({"url": "/relative"}, "url: required (the absolute URL of the page hosting the fact check)"),
        ({"reviewRating": None}, "reviewRating: required (a Rating)"),
        ({"reviewRating": {"@type": "Rating", "ratingValue": 1}}, "reviewRating.alternateName: required (the textual rating)"),
        ({"reviewRating": {"alternateName": "x", "ratingValue": 9, "bestRating": 5, "worstRating": 1}},
         "reviewRating.ratingValue: 9 is outside worstRating..bestRating"),
        ({"author": {"@type": "Organization", "url": "https://a.example/"}},
         "author[0].name: required for the author (the publisher of the fact check)"),
        ({"datePublished": "20 July 2011"}, "datePublished: '20 July 2011' is not an ISO 8601 date"),
        ({"author": {"name": "A", "sameAs": "twitter.com/a"}}, "author.sameAs: 'twitter.com/a' is not an absolute URL"),
    ],
)  # fmt: skip
def test_claimreview_problems_follow_googles_required_properties(change, problem):
    node = {"@type": "ClaimReview", "claimReviewed": "x", "url": "https://a.example/r", "datePublished": "2011-07-20",
            "reviewRating": {"@type": "Rating", "alternateName": "False"}, "author": {"name": "A"}}  # fmt: skip
    for name, value in change.items():
        if value is None:
            del node[name]
        else:
            node[name] = value
    assert claimreview_problems(node) == [problem]


def test_export_round_trips_claims_verdicts_statements():
    document = claimreview_document(BUNDLE, allow_incomplete=True)
    records, summary = convert(json.dumps(document), "export.jsonld")
    assert summary.lines() == ["2 reviews read, 2 taken, 0 refused"]
    expected_claim = BUNDLE[5][1]
    assert of_kind(records, "claim") == [expected_claim]
    note_left_out = {k: v for k, v in BUNDLE[10][1].items() if k != "note"}
    assert of_kind(records, "verdict") == [BUNDLE[9][1], note_left_out]
    assert of_kind(records, "statement") == [BUNDLE[7][1]]  # the denial is not a claimant: not exported
    assert of_kind(records, "source") == [BUNDLE[4][1]]
    # exporting the import again gives the same document
    assert claimreview_document([(k, r) for k, r, _ in records], allow_incomplete=True) == document


def test_export_of_a_verdict_on_a_missing_claim_is_refused():
    with pytest.raises(InvalidInput, match='^verdict on claim "gone": the claim is not among the records$'):
        claimreview_document([("verdict", {"claim": "gone", "reviewer": "X", "rating": "false"})])


def test_shared_documents_round_trip_through_export(shared_dir):
    folder = shared_dir / "data" / "claimreview"
    skipped = {}
    for name in sorted(TAKEN):
        first = [(k, r) for k, r, _ in records_from(folder / name, "claimreview")]
        # every field the model has survives: the same records of every kind come back
        document = claimreview_document(first, allow_incomplete=True)
        again, summary = convert(json.dumps(document), name)
        assert [(k, r) for k, r, _ in again] == first, name
        assert summary.dropped == {}, name
        # the default export writes only what meets Google's required properties
        built = claimreview_export(first)
        for node in built.document["@graph"]:
            assert claimreview_problems(node) == [], name
            problems = []
            _check_node(node, problems)
            assert problems == [], name
        if built.skipped:
            skipped[name] = [problem for _, found in built.skipped for problem in found]
    # every shared page that was taken has what Google requires
    assert skipped == {}


def test_claimreview_refuses_a_spreadsheet_mapping(tmp_path):
    path = tmp_path / "r.jsonld"
    path.write_text(json.dumps(REVIEW), encoding="utf-8")
    with pytest.raises(InvalidInput, match="^mapping: only for spreadsheets; schema.org ClaimReview JSON-LD needs no mapping$"):
        records_from(path, "claimreview", {"mapping": "a=claim"})
    taken = records_from(path, "claimreview", {"mapping": None, "delimiter": None, "header": True})
    assert Counter(k for k, _, _ in taken) == {"entity": 3, "source": 1, "claim": 1, "statement": 1, "verdict": 1}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_words = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")), min_size=1, max_size=40).map(
    lambda t: " ".join(t.split())
).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    text=_words,
    reviewer=_words,
    rating=_words,
    value=st.one_of(st.none(), st.integers(-5, 10)),
    speaker=_words,
    said_on=st.one_of(st.none(), st.sampled_from(["2011", "2011-07", "2011-07-11"])),
)
def test_round_trip_of_generated_records(text, reviewer, rating, value, speaker, said_on):
    claim = {"key": claim_key_for(text), "text": text}
    source = {"key": "s-1", "outlet": "AFP", "url": "https://afp.example/1"}
    statement = {"claim": claim["key"], "speaker": speaker, "stance": "asserts", "source": "s-1"}
    if said_on:
        statement["said_on"] = said_on
    verdict = {"claim": claim["key"], "reviewer": reviewer, "rating": rating}
    if value is not None:
        verdict["rating_value"] = value
    bundle = [("entity", {"name": speaker, "kind": "person"}), ("source", source), ("claim", claim),
              ("statement", statement), ("verdict", verdict)]  # fmt: skip
    records, summary = convert(json.dumps(claimreview_document(bundle, allow_incomplete=True)))
    assert summary.taken == 1
    assert (of_kind(records, "claim"), of_kind(records, "statement"), of_kind(records, "verdict")) == (
        [claim], [statement], [verdict],
    )  # fmt: skip
