"""The reporting-expression lexicon: verbs, participles and nouns that introduce what
someone said, wrote, thinks or found, written by hand for English news (American and
British spelling).

Each verb has a *frame*, how its speaker and content sit around it:

``say``      the content follows ("said (that) ...", "said: ...") or precedes
             ("..., he said."); the verb may precede its speaker ("..., said Smith.")
``tell``     like ``say`` with an addressee first ("told reporters (that) ...")
``think``    cognition and findings: a content clause follows, or precedes
             ("..., he believes."); no bare noun phrase content
``to``       an intention or a refusal with a ``to`` clause ("vowed to ...", "refused to ...")
``ask``      a question: "asked (X) whether/if/what ...", "asked X to ..."
``object``   an evaluation of a noun phrase ("denied the report", "praised Clinton")

Beside the verbs: two-word verbs (``PHRASAL``: "pointed out", "talked about"), nouns with
"that" (``NOUN_CUES``: "the claim that") or with a preposition (``NOUN_PREP_CUES``:
"criticism of"), and adjectives after a copula (``ADJECTIVE_CUES``: "is critical of").
"""

from __future__ import annotations

__all__ = [
    "ADDRESSEE_TELL",
    "ADJECTIVE_CUES",
    "DOCUMENT_SUBJECTS",
    "NOUN_CUES",
    "NOUN_HOMOGRAPHS",
    "NOUN_PREP_CUES",
    "PARTICIPLES",
    "PAST_PARTICIPLES",
    "PHRASAL",
    "PHRASAL_FORMS",
    "VERB_FORMS",
    "cue_strength",
]

# frame -> verbs (base form); irregular forms are listed below.
_VERBS: dict[str, str] = {
    "say": """say add write note report announce argue claim state declare explain insist
        warn predict acknowledge admit concede confirm reveal recall reply respond answer
        continue conclude contend maintain assert allege charge complain observe remark
        comment mention tweet post testify boast brag joke quip muse lament stress emphasize
        emphasise underscore reiterate repeat affirm reaffirm caution counter retort
        exclaim shout yell scream whisper mutter chant proclaim preach recount
        concur disclose divulge estimate speculate theorize theorise
        clarify elaborate summarize summarise cry interject interrupt grumble
        gripe scoff sniff snap fume rail thunder vent concede plead beg
        confide acknowledge echo wonder marvel hint quote quip
        opine posit reason surmise guess reckon acknowledge sing""",
    "tell": """tell inform assure reassure remind notify advise warn promise convince
        persuade caution urge""",
    "think": """think believe feel know hope fear worry expect suspect
        find show indicate suggest imply signal realize realise understand
        learn hear read see agree disagree doubt mean demonstrate prove
        determine decide assume presume conclude""",
    "to": """promise vow pledge threaten refuse decline want plan hope intend
        vote offer agree seek aim""",
    "ask": """ask question wonder inquire enquire query demand""",
    "object": """deny reject dismiss criticize criticise praise endorse support oppose
        defend attack slam blast condemn denounce accuse blame applaud welcome hail
        back propose recommend mock ridicule call describe cite express voice
        characterize characterise label dub brand portray tout decry lambaste
        rebuke scold chide thank congratulate hail predict question""",
}

# Verbs that always need more than an inflection rule.
_IRREGULAR: dict[str, tuple[str, str, str, str]] = {
    # base: (3rd person, past, past participle, gerund)
    "say": ("says", "said", "said", "saying"),
    "tell": ("tells", "told", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thought", "thinking"),
    "feel": ("feels", "felt", "felt", "feeling"),
    "know": ("knows", "knew", "known", "knowing"),
    "find": ("finds", "found", "found", "finding"),
    "show": ("shows", "showed", "shown", "showing"),
    "hear": ("hears", "heard", "heard", "hearing"),
    "read": ("reads", "read", "read", "reading"),
    "see": ("sees", "saw", "seen", "seeing"),
    "mean": ("means", "meant", "meant", "meaning"),
    "learn": ("learns", "learned", "learned", "learning"),
    "understand": ("understands", "understood", "understood", "understanding"),
    "seek": ("seeks", "sought", "sought", "seeking"),
    "prove": ("proves", "proved", "proven", "proving"),
    "cry": ("cries", "cried", "cried", "crying"),
    "reply": ("replies", "replied", "replied", "replying"),
    "testify": ("testifies", "testified", "testified", "testifying"),
    "clarify": ("clarifies", "clarified", "clarified", "clarifying"),
    "deny": ("denies", "denied", "denied", "denying"),
    "query": ("queries", "queried", "queried", "querying"),
    "notify": ("notifies", "notified", "notified", "notifying"),
    "worry": ("worries", "worried", "worried", "worrying"),
    "signal": ("signals", "signaled", "signaled", "signaling"),
    "snap": ("snaps", "snapped", "snapped", "snapping"),
    "go": ("goes", "went", "gone", "going"),
    "make": ("makes", "made", "made", "making"),
    "hit": ("hits", "hit", "hit", "hitting"),
    "shoot": ("shoots", "shot", "shot", "shooting"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "chime": ("chimes", "chimed", "chimed", "chiming"),
    "put": ("puts", "put", "put", "putting"),
    "fight": ("fights", "fought", "fought", "fighting"),
    "break": ("breaks", "broke", "broken", "breaking"),
    "lie": ("lies", "lied", "lied", "lying"),
    "side": ("sides", "sided", "sided", "siding"),
    "root": ("roots", "rooted", "rooted", "rooting"),
    "sing": ("sings", "sang", "sung", "singing"),
    "refer": ("refers", "referred", "referred", "referring"),
    "talk": ("talks", "talked", "talked", "talking"),
    "plan": ("plans", "planned", "planned", "planning"),
    "quip": ("quips", "quipped", "quipped", "quipping"),
    "admit": ("admits", "admitted", "admitted", "admitting"),
    "rebut": ("rebuts", "rebutted", "rebutted", "rebutting"),
    "mutter": ("mutters", "muttered", "muttered", "muttering"),
    "fear": ("fears", "feared", "feared", "fearing"),
    "echo": ("echoes", "echoed", "echoed", "echoing"),
    "vow": ("vows", "vowed", "vowed", "vowing"),
    "preach": ("preaches", "preached", "preached", "preaching"),
    "vent": ("vents", "vented", "vented", "venting"),
    "speculate": ("speculates", "speculated", "speculated", "speculating"),
    "plead": ("pleads", "pleaded", "pleaded", "pleading"),
    "beg": ("begs", "begged", "begged", "begging"),
    "rail": ("rails", "railed", "railed", "railing"),
    "sniff": ("sniffs", "sniffed", "sniffed", "sniffing"),
    "post": ("posts", "posted", "posted", "posting"),
    "wonder": ("wonders", "wondered", "wondered", "wondering"),
    "answer": ("answers", "answered", "answered", "answering"),
    "counter": ("counters", "countered", "countered", "countering"),
    "thunder": ("thunders", "thundered", "thundered", "thundering"),
    "whisper": ("whispers", "whispered", "whispered", "whispering"),
    "offer": ("offers", "offered", "offered", "offering"),
    "question": ("questions", "questioned", "questioned", "questioning"),
    "mention": ("mentions", "mentioned", "mentioned", "mentioning"),
    "remark": ("remarks", "remarked", "remarked", "remarking"),
    "threaten": ("threatens", "threatened", "threatened", "threatening"),
    "hint": ("hints", "hinted", "hinted", "hinting"),
    "reckon": ("reckons", "reckoned", "reckoned", "reckoning"),
    "reason": ("reasons", "reasoned", "reasoned", "reasoning"),
    "vote": ("votes", "voted", "voted", "voting"),
}

# Two-word verbs: base -> frame ("pointed out that ...").
PHRASAL: dict[tuple[str, str], str] = {
    ("point", "out"): "say",
    ("fire", "back"): "say",
    ("shoot", "back"): "say",
    ("hit", "back"): "say",
    ("push", "back"): "say",
    ("go", "on"): "say",
    ("weigh", "in"): "say",
    ("chime", "in"): "say",
    ("spell", "out"): "say",
    ("call", "for"): "object",
    ("call", "on"): "object",
    ("talk", "about"): "object",
    ("speak", "about"): "object",
    ("refer", "to"): "object",
    ("point", "to"): "object",
    ("push", "for"): "object",
    ("argue", "for"): "object",
    ("advocate", "for"): "object",
    ("ask", "about"): "object",
    ("ask", "for"): "object",
    ("comment", "on"): "object",
    ("complain", "about"): "object",
    ("warn", "about"): "object",
    ("warn", "of"): "object",
    ("worry", "about"): "object",
    ("joke", "about"): "object",
    ("speak", "out"): "say",
    ("lash", "out"): "say",
    ("make", "clear"): "say",
    ("put", "it"): "say",
}
# Verbs with a preposition whose object is what they are about: "talked about the wall",
# "voted against the bill", "agreed with the decision".
PHRASAL.update(
    {
        (verb, prep): "object"
        for verbs, prep in (
            (("talk speak ask worry complain joke care think write tweet boast brag know learn hear read "
              "testify lie wonder rave fret"), "about"),
            ("focus comment insist agree elaborate reflect dwell harp campaign", "on"),
            (("vote push argue advocate ask call campaign lobby press fight root pray apologize apologise "
              "blame praise criticize criticise"), "for"),
            ("speak agree disagree side clash break", "with"),
            ("rail vote campaign argue warn caution fight protest lash", "against"),
        )
        for verb in verbs.split()
    }
)


# Nouns and fixed phrases that introduce a content ("according to X", "the claim that").
NOUN_CUES = frozenset(
    [
        "claim", "claims", "allegation", "allegations", "assertion", "assertions", "argument", "arguments",
        "suggestion", "suggestions", "statement", "statements", "warning", "warnings", "announcement", "accusation",
        "accusations", "charge", "charges", "belief", "beliefs", "notion", "idea", "insistence", "assurance",
        "assurances", "promise", "promises", "pledge", "pledges", "prediction", "predictions", "contention",
        "concern", "concerns", "fear", "fears", "hope", "hopes", "report", "reports", "rumor", "rumors", "rumour",
        "rumours", "speculation", "admission", "denial", "denials", "complaint", "complaints", "conclusion",
        "conclusions", "finding", "findings", "estimate", "estimates", "impression", "remarks", "comments", "comment",
        "testimony", "theory",
    ]
)

# Nouns that attribute with a preposition: "Trump's criticism of the deal", "opposition to
# the pact", "calls for a recount". The content is the noun phrase after the preposition.
NOUN_PREP_CUES: dict[str, frozenset[str]] = {
    noun: frozenset(preps.split())
    for nouns, preps in (
        ("criticism critique critiques condemnation denunciation", "of"),
        ("opposition objection objections", "to"),
        ("endorsement endorsements embrace defense defence praise", "of"),
        ("support", "for"),
        ("attack attacks", "on against"),
        ("question questions doubts concerns concern complaints warnings", "about over"),
        ("call calls demand demands push", "for"),
        ("accusation accusations allegation allegations", "of against"),
        ("comments remarks", "about on"),
    )
    for noun in nouns.split()
}

# Adjectives that attribute after a copula: "is critical of", "remains confident that",
# "was skeptical about". The content follows the preposition (or "that").
ADJECTIVE_CUES: dict[str, frozenset[str]] = {
    adj: frozenset(preps.split())
    for adjs, preps in (
        (("critical supportive skeptical sceptical wary fearful proud afraid fond tired sick scornful dismissive "
          "contemptuous respectful enamored enamoured"), "of"),
        (("confident optimistic pessimistic hopeful concerned worried anxious nervous unhappy upset angry "
          "furious excited enthusiastic bullish bearish adamant unsure uncertain"), "about over"),
        (("unhappy happy satisfied dissatisfied disappointed frustrated comfortable uncomfortable impressed "
          "angry furious upset"), "with"),
        ("opposed open committed sympathetic hostile receptive", "to"),
        ("eager reluctant willing unwilling ready determined keen", "to"),
        ("convinced sure certain confident aware adamant", "that"),
    )
    for adj in adjs.split()
}
# Nouns of documents and figures whose third-person verbs report: "the poll shows".
DOCUMENT_SUBJECTS = frozenset(
    [
        "poll", "polls", "survey", "surveys", "study", "studies", "report", "reports", "analysis", "data", "figures",
        "numbers", "research", "record", "records", "video", "footage", "email", "emails", "memo", "letter",
        "document", "documents", "filing", "statement", "ad", "ads", "audit", "review", "investigation", "results",
        "census", "index", "model",
    ]
)

# Third-person forms that are more often plural nouns ("many states", "the attacks"):
# read as verbs only after a name or a pronoun.
NOUN_HOMOGRAPHS = frozenset(
    [
        "states", "attacks", "questions", "comments", "plans", "claims", "reports", "charges", "supports", "backs",
        "answers", "posts", "notes", "promises", "pledges", "hopes", "fears", "views", "votes", "offers", "estimates",
        "calls", "demands", "doubts", "signals", "hints", "echoes", "counters", "reasons", "means", "reads", "shows",
        "finds", "concerns", "continues", "wants", "thinks", "knows", "feels", "sees", "hears", "learns", "reveals",
        "proposals", "decides", "defends", "blames", "praises", "mocks", "remarks", "statements", "quotes", "answers",
        "replies", "responses", "returns", "counts", "credits", "tweets", "posts",
    ]
)

# Verbs whose first object is the person spoken to ("told reporters that ...").
ADDRESSEE_TELL = frozenset({"tell", "inform", "assure", "reassure", "remind", "notify", "advise", "warn",
                            "promise", "convince", "persuade", "caution", "urge", "ask"})


def _regular(base: str) -> tuple[str, str, str, str]:
    if base.endswith("e"):
        stem = base[:-1]
        return base + "s", base + "d", base + "d", stem + "ing"
    if base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ies", base[:-1] + "ied", base[:-1] + "ied", base + "ing"
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return base + "es", base + "ed", base + "ed", base + "ing"
    return base + "s", base + "ed", base + "ed", base + "ing"


def _forms(base: str) -> tuple[str, str, str, str]:
    return _IRREGULAR.get(base) or _regular(base)


# word form -> (base, frame); finite and participle forms separately.
VERB_FORMS: dict[str, tuple[str, str]] = {}  # says, said, say (finite or bare)
PARTICIPLES: dict[str, tuple[str, str]] = {}  # saying, adding
PAST_PARTICIPLES: dict[str, tuple[str, str]] = {}  # said, told, reported (passive)
PHRASAL_FORMS: dict[str, str] = {}  # pointed -> point (a cue only with its particle)

_FRAME_ORDER = ("say", "tell", "ask", "think", "to", "object")


def _build() -> None:
    for frame in _FRAME_ORDER:
        for base in _VERBS[frame].split():
            third, past, pp, ger = _forms(base)
            for form in (base, third, past):
                VERB_FORMS.setdefault(form, (base, frame))
            PAST_PARTICIPLES.setdefault(pp, (base, frame))
            PARTICIPLES.setdefault(ger, (base, frame))
    for verb, _part in PHRASAL:
        for form in _forms(verb) + (verb,):
            PHRASAL_FORMS.setdefault(form, verb)


_build()


# How sure a bare cue is, by frame: speech verbs nearly always report; cognition and
# evaluation verbs often do not.
_STRENGTH = {"say": 0.85, "tell": 0.85, "ask": 0.7, "think": 0.6, "to": 0.5, "object": 0.45}


def cue_strength(frame: str) -> float:
    """Base confidence of a cue of this frame, before context adjusts it."""
    return _STRENGTH.get(frame, 0.5)
