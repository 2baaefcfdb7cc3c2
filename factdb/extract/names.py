"""Word tables for reading who speaks: countries and demonyms, capitals used for their
governments, titles and ranks, the nouns of anonymous speakers, institutions and documents,
news outlets, and the words that suggest an entity's kind.

Written by hand for news language (nothing here is taken from a corpus). Lookups are on the
lower-cased word with dots removed (``U.S.`` -> ``us``), see :func:`key`.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = [
    "key", "DEMONYMS", "COUNTRIES", "CAPITALS", "country_of", "TITLE_WORDS", "RANKS",
    "HONORIFICS", "INSTITUTIONS", "PERSON_NOUNS", "GROUP_NOUNS", "INSTITUTION_NOUNS", "DOCUMENT_NOUNS",
    "MEDIA_NAMES", "MEDIA_WORDS", "KIND_WORDS", "FEMALE_NAMES", "MALE_NAMES",
    "FEMALE_WORDS", "MALE_WORDS", "PARTY_AFFILIATIONS", "NAME_PARTICLES",
]


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """The lookup form of a word: ``key("U.S.") == "us"``, ``key("Iran’s") == "iran"``."""
    word = word.replace("’", "'")
    if word.endswith("'s") or word.endswith("s'"):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    return word.replace(".", "").lower()


# country: demonyms (singular and plural forms), as printed in English news
_COUNTRY_TABLE = """
Afghanistan: Afghan, Afghans, Afghani
Albania: Albanian, Albanians
Algeria: Algerian, Algerians
Argentina: Argentine, Argentinian, Argentines, Argentinians
Armenia: Armenian, Armenians
Australia: Australian, Australians
Austria: Austrian, Austrians
Azerbaijan: Azerbaijani, Azeri, Azerbaijanis, Azeris
Bahrain: Bahraini, Bahrainis
Bangladesh: Bangladeshi, Bangladeshis
Belarus: Belarusian, Belarusians
Belgium: Belgian, Belgians
Bolivia: Bolivian, Bolivians
Bosnia: Bosnian, Bosnians
Brazil: Brazilian, Brazilians
Bulgaria: Bulgarian, Bulgarians
Cambodia: Cambodian, Cambodians
Canada: Canadian, Canadians
Chile: Chilean, Chileans
China: Chinese
Colombia: Colombian, Colombians
Croatia: Croatian, Croat, Croatians, Croats
Cuba: Cuban, Cubans
Cyprus: Cypriot, Cypriots
Czech Republic: Czech, Czechs
Denmark: Danish, Dane, Danes
Ecuador: Ecuadorian, Ecuadorians
Egypt: Egyptian, Egyptians
Eritrea: Eritrean, Eritreans
Estonia: Estonian, Estonians
Ethiopia: Ethiopian, Ethiopians
Finland: Finnish, Finn, Finns
France: French
Georgia: Georgian, Georgians
Germany: German, Germans
Ghana: Ghanaian, Ghanaians
Greece: Greek, Greeks
Hungary: Hungarian, Hungarians
India: Indian, Indians
Indonesia: Indonesian, Indonesians
Iran: Iranian, Iranians, Persian
Iraq: Iraqi, Iraqis
Ireland: Irish
Israel: Israeli, Israelis
Italy: Italian, Italians
Japan: Japanese
Jordan: Jordanian, Jordanians
Kazakhstan: Kazakh, Kazakhs
Kenya: Kenyan, Kenyans
Kosovo: Kosovar, Kosovars
Kuwait: Kuwaiti, Kuwaitis
Kyrgyzstan: Kyrgyz
Latvia: Latvian, Latvians
Lebanon: Lebanese
Libya: Libyan, Libyans
Lithuania: Lithuanian, Lithuanians
Malaysia: Malaysian, Malaysians
Mali: Malian, Malians
Mexico: Mexican, Mexicans
Moldova: Moldovan, Moldovans
Mongolia: Mongolian, Mongolians
Morocco: Moroccan, Moroccans
Myanmar: Burmese
Nepal: Nepalese, Nepali
Netherlands: Dutch
New Zealand: New Zealander, New Zealanders
Nicaragua: Nicaraguan, Nicaraguans
Niger: Nigerien, Nigeriens
Nigeria: Nigerian, Nigerians
North Korea: North Korean, North Koreans
Norway: Norwegian, Norwegians
Oman: Omani, Omanis
Pakistan: Pakistani, Pakistanis
Palestine: Palestinian, Palestinians
Peru: Peruvian, Peruvians
Philippines: Filipino, Filipinos, Philippine
Poland: Polish, Pole, Poles
Portugal: Portuguese
Qatar: Qatari, Qataris
Romania: Romanian, Romanians
Russia: Russian, Russians
Rwanda: Rwandan, Rwandans
Saudi Arabia: Saudi, Saudis
Serbia: Serbian, Serb, Serbians, Serbs
Slovakia: Slovak, Slovaks
Slovenia: Slovenian, Slovene, Slovenians
Somalia: Somali, Somalis
South Africa: South African, South Africans
South Korea: South Korean, South Koreans
Spain: Spanish, Spaniard, Spaniards
Sri Lanka: Sri Lankan, Sri Lankans
Sudan: Sudanese
Sweden: Swedish, Swede, Swedes
Switzerland: Swiss
Syria: Syrian, Syrians
Taiwan: Taiwanese
Tajikistan: Tajik, Tajiks
Thailand: Thai, Thais
Tunisia: Tunisian, Tunisians
Turkey: Turkish, Turk, Turks
Turkmenistan: Turkmen
Uganda: Ugandan, Ugandans
Ukraine: Ukrainian, Ukrainians
United Arab Emirates: Emirati, Emiratis
United Kingdom: British, Briton, Britons
United States: American, Americans
Uzbekistan: Uzbek, Uzbeks
Venezuela: Venezuelan, Venezuelans
Vietnam: Vietnamese
Yemen: Yemeni, Yemenis
Zimbabwe: Zimbabwean, Zimbabweans
Kurdistan: Kurdish, Kurd, Kurds
Europe: European, Europeans
"""

DEMONYMS: dict[str, str] = {}
COUNTRIES: dict[str, str] = {}  # lookup form of a country name or abbreviation -> the name
for _line in _COUNTRY_TABLE.strip().splitlines():
    _country, _, _forms = _line.partition(":")
    COUNTRIES[key(_country)] = _country
    for _form in _forms.split(","):
        DEMONYMS[key(_form.strip())] = _country
# abbreviations and short names as printed; kept as printed when they name the affiliation
for _short, _country in {
    "US": "United States", "USA": "United States", "United States": "United States",
    "America": "United States", "UK": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "UAE": "United Arab Emirates", "EU": "European Union",
    "European Union": "European Union", "UN": "United Nations", "United Nations": "United Nations",
    "NATO": "NATO", "Holland": "Netherlands", "Burma": "Myanmar", "Korea": "South Korea",
}.items():
    COUNTRIES[key(_short)] = _country

# capitals and seats of government printed for the government itself ("Tehran denied")
CAPITALS: dict[str, str] = {key(k): v for k, v in {
    "Washington": "United States", "Tehran": "Iran", "Baghdad": "Iraq", "Moscow": "Russia",
    "Beijing": "China", "London": "United Kingdom", "Paris": "France", "Berlin": "Germany",
    "Ankara": "Turkey", "Damascus": "Syria", "Riyadh": "Saudi Arabia", "Kabul": "Afghanistan",
    "Islamabad": "Pakistan", "Jerusalem": "Israel", "Cairo": "Egypt", "Kyiv": "Ukraine",
    "Kiev": "Ukraine", "Tokyo": "Japan", "Seoul": "South Korea", "Pyongyang": "North Korea",
    "Beirut": "Lebanon", "Amman": "Jordan", "Doha": "Qatar", "Abu Dhabi": "United Arab Emirates",
    "Kuwait City": "Kuwait", "Tripoli": "Libya", "Sanaa": "Yemen", "Brussels": "European Union",
    "Delhi": "India", "New Delhi": "India", "Ottawa": "Canada", "Canberra": "Australia",
    "Rome": "Italy", "Madrid": "Spain", "Warsaw": "Poland", "Havana": "Cuba", "Caracas": "Venezuela",
    "Erbil": "Kurdistan", "Kremlin": "Russia", "Whitehall": "United Kingdom",
}.items()}


def country_of(word: str) -> str | None:
    """The country a demonym, country name or abbreviation stands for, else None:
    ``country_of("Iraqi") == "Iraq"``, ``country_of("U.S.") == "United States"``."""
    k = key(word)
    return DEMONYMS.get(k) or COUNTRIES.get(k)


# Capitalised words that belong to a title printed before a name ("Defence Secretary Leon
# Panetta", "Phoenix Mayor Greg Stanton"); a name is what follows the last of them.
TITLE_WORDS = frozenset(key(w) for w in [
    "President", "Vice", "Prime", "Minister", "Secretary", "Secretary-General", "Deputy", "Assistant", "Under",
    "Undersecretary", "Acting", "Interim", "Former", "Ex", "Chief", "Director", "Chairman", "Chairwoman", "Chair",
    "Head", "Leader", "Speaker", "Spokesman", "Spokeswoman", "Spokesperson", "Commander", "Commander-in-Chief",
    "General", "Gen", "Major", "Maj", "Major-General", "Maj-Gen", "Lieutenant", "Lt", "Lieutenant-General", "Lt-Gen",
    "Colonel", "Col", "Lieutenant-Colonel", "Captain", "Capt", "Admiral", "Adm", "Vice-Admiral", "Rear", "Brigadier",
    "Brig", "Brigadier-General", "Sergeant", "Sgt", "Corporal", "Cpl", "Private", "Pvt", "Marshal", "Field", "Air",
    "Chief", "Staff", "Senator", "Sen", "Representative", "Rep", "Congressman", "Congresswoman", "Governor", "Gov",
    "Lieutenant-Governor", "Mayor", "Judge", "Justice", "Attorney", "Ambassador", "Envoy", "Consul", "Chancellor",
    "King", "Queen", "Prince", "Princess", "Emir", "Sheikh", "Sheik", "Sultan", "Ayatollah", "Grand", "Cleric",
    "Imam", "Mullah", "Pope", "Cardinal", "Bishop", "Archbishop", "Rabbi", "Reverend", "Rev", "Father", "Sister",
    "Brother", "Pastor", "Foreign", "Defence", "Defense", "Interior", "State", "Treasury", "Homeland", "Security",
    "Health", "Finance", "Trade", "Energy", "Economy", "Education", "Labor", "Labour", "Commerce", "Agriculture",
    "Justice", "Information", "Intelligence", "Oil", "Transport", "Transportation", "Environment", "Culture",
    "Housing", "Veterans", "Affairs", "Public", "Home", "Federal", "National", "Regional", "Provincial", "Provincial",
    "District", "County", "City", "State", "Top", "Senior", "Junior", "Majority", "Minority", "Whip", "Democratic",
    "Republican", "GOP", "Independent", "Conservative", "Labour", "Liberal", "House", "Senate", "Assembly",
    "Parliament", "Parliamentary", "Council", "Councilman", "Councilwoman", "Councillor", "Councilor", "Assemblyman",
    "Assemblywoman", "Officer", "Agent", "Inspector", "Superintendent", "Commissioner", "Sheriff", "Prosecutor",
    "Solicitor", "Advocate", "Dr", "Mr", "Mrs", "Ms", "Miss", "Sir", "Lord", "Lady", "Dame", "Madam", "Mme", "Prof",
    "Professor", "Presidential", "Candidate", "Nominee", "Hopeful", "Frontrunner", "Front-runner", "Businessman",
    "Businesswoman", "Billionaire", "Mogul", "Strongman", "Dictator", "Premier", "Vizier", "Monarch", "Regent",
    "Crown", "Army", "Navy", "Marine", "Marines", "Corps", "Coast", "Guard", "Special", "Forces", "Military",
    "Police", "Police", "Court", "Supreme", "Appeals", "Campaign", "Manager", "Adviser", "Advisor", "Aide", "Press",
    "Communications", "Political", "Policy", "Executive", "Founder", "Co-founder", "CEO", "President-elect",
    "Representative-elect", "Senator-elect", "Elect", "Ret",
])
# Military and police ranks and honorifics: a title of their own only when nothing else is
# printed ("General Lloyd Austin, commander of US military forces in Iraq" -> the appositive).
RANKS = frozenset(key(w) for w in [
    "General", "Gen", "Major", "Maj", "Major-General", "Maj-Gen", "Lieutenant", "Lt", "Lieutenant-General", "Lt-Gen",
    "Colonel", "Col", "Lieutenant-Colonel", "Lt-Col", "Captain", "Capt", "Admiral", "Adm", "Vice-Admiral", "Rear",
    "Brigadier", "Brig", "Brigadier-General", "Sergeant", "Sgt", "Corporal", "Cpl", "Private", "Pvt", "Marshal",
    "Field", "Air", "Chief", "Staff", "Ret", "Dr", "Mr", "Mrs", "Ms", "Miss", "Sir", "Madam", "Mme", "Prof",
])
HONORIFICS: dict[str, str | None] = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "madam": "f", "mme": "f", "sir": "m",
    "lord": "m", "lady": "f", "dame": "f", "dr": None, "prof": None, "professor": None,
}
NAME_PARTICLES = frozenset({
    "al", "el", "bin", "ibn", "abu", "abd", "de", "del", "della", "der", "di", "da", "dos",
    "du", "la", "le", "van", "von", "ter", "ten", "y", "ul", "ud", "bint", "st",
})

# Head nouns of an anonymous speaker ("a US official", "witnesses", "security sources").
PERSON_NOUNS = frozenset([
    "official", "officials", "source", "sources", "spokesman", "spokeswoman", "spokesperson", "spokesmen",
    "spokespeople", "aide", "aides", "adviser", "advisers", "advisor", "advisors", "diplomat", "diplomats", "analyst",
    "analysts", "expert", "experts", "witness", "witnesses", "resident", "residents", "observer", "observers",
    "commander", "commanders", "officer", "officers", "soldier", "soldiers", "troops", "trooper", "policeman",
    "policemen", "investigator", "investigators", "lawmaker", "lawmakers", "legislator", "legislators", "member",
    "members", "staffer", "staffers", "insider", "insiders", "person", "people", "critic", "critics", "supporter",
    "supporters", "activist", "activists", "voter", "voters", "leader", "leaders", "minister", "ministers", "lawyer",
    "lawyers", "attorney", "attorneys", "doctor", "doctors", "medic", "medics", "prosecutor", "prosecutors", "judge",
    "judges", "agent", "agents", "operative", "operatives", "employee", "employees", "worker", "workers", "executive",
    "executives", "representative", "representatives", "delegate", "delegates", "negotiator", "negotiators",
    "mediator", "mediators", "organizer", "organizers", "organisers", "strategist", "strategists", "consultant",
    "consultants", "pollster", "pollsters", "economist", "economists", "scholar", "scholars", "researcher",
    "researchers", "scientist", "scientists", "academic", "academics", "historian", "historians", "survivor",
    "survivors", "victim", "victims", "relative", "relatives", "neighbor", "neighbors", "neighbour", "neighbours",
    "friend", "friends", "colleague", "colleagues", "journalist", "journalists", "reporter", "reporters",
    "correspondent", "correspondents", "fighter", "fighters", "militant", "militants", "rebel", "rebels", "insurgent",
    "insurgents", "guerrilla", "guerrillas", "militiaman", "militiamen", "gunman", "gunmen", "cleric", "clerics",
    "clergyman", "protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators", "student",
    "students", "parent", "parents", "citizen", "citizens", "villager", "villagers", "farmer", "farmers",
    "businessman", "businessmen", "merchant", "merchants", "authorities", "authority", "man", "woman", "men", "women",
    "someone", "anyone", "nobody", "everyone", "individual", "individuals", "figure", "figures", "participant",
    "participants", "attendee", "attendees", "donor", "donors", "delegate", "candidate", "candidates", "nominee",
    "nominees", "senator", "senators", "congressman", "congressmen", "governor", "governors", "mayor", "mayors",
    "ambassador", "ambassadors", "envoy", "envoys", "general", "generals", "chief", "chiefs", "head", "heads",
    "director", "directors", "chairman", "manager", "managers", "secretary", "spokesperson", "staff", "team",
    "police", "actress", "actor", "singer", "star", "host", "anchor", "author", "writer", "columnist", "commentator",
    "comedian", "athlete", "player", "coach", "owner", "founder", "chef", "artist", "musician", "rapper", "model",
    "designer", "billionaire", "businesswoman", "entrepreneur", "investor", "banker", "trader", "physician", "nurse",
    "surgeon", "professor", "teacher", "pastor", "priest", "rabbi", "imam", "monk", "nun", "filmmaker", "director",
    "producer", "novelist", "poet", "blogger", "editor", "publisher", "photographer", "veteran", "marine", "sailor",
    "pilot", "trooper",
])
# Collective nouns that are not one person: "they" may refer to them.
GROUP_NOUNS = frozenset([
    "officials", "sources", "aides", "advisers", "advisors", "diplomats", "analysts", "experts", "witnesses",
    "residents", "observers", "commanders", "officers", "soldiers", "troops", "investigators", "lawmakers",
    "legislators", "members", "staffers", "insiders", "people", "critics", "supporters", "activists", "voters",
    "leaders", "ministers", "lawyers", "prosecutors", "agents", "employees", "workers", "executives",
    "representatives", "delegates", "negotiators", "economists", "researchers", "scientists", "survivors", "victims",
    "relatives", "neighbors", "neighbours", "friends", "colleagues", "journalists", "reporters", "fighters",
    "militants", "rebels", "insurgents", "gunmen", "clerics", "protesters", "protestors", "demonstrators", "students",
    "parents", "citizens", "villagers", "farmers", "authorities", "men", "women", "individuals", "figures",
    "participants", "donors", "candidates", "nominees", "senators", "governors", "mayors", "ambassadors", "envoys",
    "generals", "chiefs", "directors", "managers", "staff", "team", "police", "democrats", "republicans",
    "conservatives", "liberals", "progressives", "militias", "groups", "parties",
])
# Head nouns of a body that speaks as one: with a proper modifier the phrase names an
# entity ("the US military", "Iran's state television"); alone it refers back ("the campaign").
INSTITUTION_NOUNS = frozenset([
    "military", "army", "navy", "government", "administration", "ministry", "department", "office", "agency",
    "police", "forces", "force", "embassy", "consulate", "parliament", "congress", "senate", "house", "cabinet",
    "presidency", "regime", "coalition", "committee", "commission", "council", "court", "party", "campaign",
    "movement", "group", "organization", "organisation", "company", "firm", "corporation", "bank", "union",
    "association", "federation", "alliance", "league", "television", "tv", "radio", "broadcaster", "channel",
    "network", "newspaper", "paper", "daily", "weekly", "magazine", "website", "site", "media", "outlet", "press",
    "service", "services", "bureau", "authority", "command", "headquarters", "leadership", "junta", "mission",
    "delegation", "team", "foundation", "institute", "university", "school",
])
# What a document, not a person, says ("a report", "the poll", "FEC records").
DOCUMENT_NOUNS = frozenset([
    "report", "reports", "statement", "statements", "poll", "polls", "survey", "surveys", "study", "studies",
    "analysis", "analyses", "document", "documents", "records", "record", "data", "figures", "memo", "memos",
    "letter", "letters", "email", "emails", "cable", "cables", "filing", "filings", "complaint", "lawsuit",
    "indictment", "ruling", "order", "decision", "assessment", "assessments", "estimate", "estimates", "review",
    "audit", "investigation", "probe", "transcript", "release", "communique", "communiqué", "announcement", "footage",
    "video", "videos", "photo", "photos", "recording", "recordings", "tweet", "tweets", "post", "posts", "book",
    "article", "articles", "editorial", "column", "op-ed", "ad", "ads", "advertisement", "page", "website",
    "broadcast", "message", "messages", "note", "notes", "testimony", "affidavit",
])

# News outlets named as speakers or intermediaries; checked on the normalised whole name.
MEDIA_NAMES = frozenset(key(w) for w in [
    "AFP", "Agence France-Presse", "Reuters", "AP", "Associated Press", "The Associated Press",
    "Bloomberg", "CNN", "BBC", "NBC", "NBC News", "ABC", "ABC News", "CBS", "CBS News", "Fox",
    "Fox News", "MSNBC", "NPR", "PBS", "Al Jazeera", "Al-Jazeera", "Al Arabiya", "Al-Arabiya",
    "IRNA", "ISNA", "Fars", "Tasnim", "Mehr", "Press TV", "PressTV", "SANA", "TASS", "RIA",
    "RIA Novosti", "Xinhua", "Interfax", "Kyodo", "Yonhap", "Anadolu", "DPA", "EFE", "ANSA",
    "Politico", "Axios", "Breitbart", "Huffington Post", "HuffPost", "The Hill", "Vox",
    "BuzzFeed", "BuzzFeed News", "Slate", "Salon", "Daily Beast", "The Daily Beast",
    "New York Times", "The New York Times", "Washington Post", "The Washington Post",
    "Wall Street Journal", "The Wall Street Journal", "USA Today", "Los Angeles Times",
    "Financial Times", "The Guardian", "Guardian", "The Times", "The Telegraph", "Telegraph",
    "The Independent", "Daily Mail", "Der Spiegel", "Spiegel", "Le Monde", "Haaretz",
    "Times of Israel", "The Atlantic", "Newsweek", "Time", "The Economist", "Economist",
    "Sky News", "Euronews", "France 24", "Deutsche Welle", "DW", "Voice of America", "VOA",
    "Radio Free Europe", "RFE/RL", "Rudaw", "Kurdistan 24", "Al-Sumaria", "Alsumaria",
    "Asharq Al-Awsat", "Al-Hayat", "The National", "Gulf News", "Arab News", "Dawn",
    "Kayhan", "Tehran Times", "Iraqi News Agency", "INA", "state television", "state TV",
    "state media", "state radio", "Western Journalism", "Washington Times", "Daily Caller",
    "National Review", "Mother Jones", "ProPublica", "CNBC", "C-SPAN", "Univision",
    "Telemundo", "New York Post", "Chicago Tribune", "Boston Globe", "Miami Herald",
])
# Words that make a name a news outlet ("NBC News", "Iran's state television website").
MEDIA_WORDS = frozenset([
    "news", "times", "post", "journal", "tribune", "herald", "gazette", "telegraph", "chronicle", "observer",
    "guardian", "independent", "mail", "express", "daily", "weekly", "television", "tv", "radio", "broadcaster",
    "broadcasting", "channel", "network", "agency", "newspaper", "magazine", "website", "press", "wire", "dispatch",
    "monitor", "courier", "review",
])

# Words that suggest the kind of an organisation named in the text, by vocab.ENTITY_KINDS.
KIND_WORDS: dict[str, frozenset[str]] = {
    "armed-group": frozenset([
        "hezbollah", "hizballah", "hizbollah", "kataib", "katib", "asaib", "taliban", "qaeda", "qaida", "isis",
        "isil", "daesh", "militia", "militias", "brigade", "brigades", "resistance", "front", "jihad", "mujahideen",
        "mujahedeen", "insurgency", "insurgents", "rebels", "shabaab", "boko", "haram", "hamas", "hashd",
        "mobilisation", "mobilization", "nujaba", "shuhada",
    ]),
    "military-unit": frozenset([
        "army", "navy", "forces", "force", "corps", "command", "division", "regiment", "battalion", "marines",
        "military", "guard", "guards", "coalition", "troops", "airforce", "squadron", "fleet",
    ]),
    "government": frozenset([
        "ministry", "department", "government", "administration", "office", "embassy", "consulate", "parliament",
        "congress", "senate", "cabinet", "presidency", "kremlin", "pentagon", "regime", "council", "commission",
        "agency", "bureau", "authority", "police", "whitehouse", "state", "house", "judiciary", "court",
    ]),
    "organization": frozenset([
        "party", "committee", "foundation", "institute", "university", "association", "federation", "union", "league",
        "organization", "organisation", "company", "corporation", "corp", "inc", "ltd", "llc", "group", "bank",
        "fund", "society", "movement", "center", "centre", "campaign", "pac", "watch", "amnesty", "alliance",
        "network", "coalition", "club", "church", "trust", "council",
    ]),
}

# One-word names of institutions, printed capitalised even at a sentence start.
INSTITUTIONS = frozenset([
    "pentagon", "kremlin", "knesset", "majlis", "elysee", "congress", "parliament", "senate", "nato", "interpol",
    "europol", "hezbollah", "hamas", "taliban",
])

# Parties and political labels printed for people of that party ("Democrats said").
PARTY_AFFILIATIONS: dict[str, str] = {
    "democrat": "Democratic Party", "democrats": "Democratic Party", "democratic": "Democratic Party",
    "republican": "Republican Party", "republicans": "Republican Party", "gop": "Republican Party",
}

# Words that tell a person's gender where it is printed next to the name.
FEMALE_WORDS = frozenset([
    "mrs", "ms", "miss", "madam", "mme", "lady", "dame", "queen", "princess", "spokeswoman", "chairwoman",
    "congresswoman", "businesswoman", "councilwoman", "assemblywoman", "sister", "mother", "wife", "daughter",
    "grandmother", "widow", "actress", "first-lady", "woman", "women", "girl", "her", "she", "senator-elect",
])
MALE_WORDS = frozenset([
    "mr", "sir", "lord", "king", "prince", "spokesman", "chairman", "congressman", "businessman", "councilman",
    "assemblyman", "brother", "father", "husband", "son", "grandfather", "widower", "actor", "man", "boy", "his",
    "he",
])

# A small table of common first names, for "she" and "he" when nothing else tells.
FEMALE_NAMES = frozenset([
    "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy",
    "lisa", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle", "carol", "amanda",
    "dorothy", "melissa", "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy",
    "angela", "shirley", "anna", "brenda", "pamela", "emma", "nicole", "helen", "samantha", "katherine", "christine",
    "debra", "rachel", "carolyn", "janet", "catherine", "maria", "heather", "diane", "ruth", "julie", "olivia",
    "joyce", "virginia", "victoria", "kelly", "lauren", "christina", "joan", "evelyn", "judith", "megan", "andrea",
    "cheryl", "hannah", "jacqueline", "martha", "gloria", "teresa", "ann", "sara", "madison", "frances", "kathryn",
    "janice", "jean", "abigail", "alice", "judy", "sophia", "grace", "denise", "amber", "doris", "marilyn",
    "danielle", "beverly", "isabella", "theresa", "diana", "natalie", "brittany", "charlotte", "marie", "kayla",
    "alexis", "lori", "hillary", "hilary", "condoleezza", "madeleine", "nikki", "kellyanne", "huma", "ivanka",
    "melania", "chelsea", "michele", "kamala", "nancy", "elizabeth", "dianne", "tammy", "kirsten", "amy", "claire",
    "jeanne", "debbie", "donna", "hope", "sheryl", "carly", "sarah", "marsha", "barbara", "susana", "kellie", "mazie",
    "patty", "tulsi", "ilhan", "alexandria", "ayanna", "rashida", "angela", "theresa", "nicola", "margaret",
    "jacinda", "julia", "ursula", "christine", "federica", "catherine", "golda", "benazir", "indira", "sonia", "aung",
    "suu", "kyi", "yulia", "fatima", "aisha", "zainab", "maryam", "layla", "leila", "noor", "nour", "rania", "samira",
    "yasmin", "amira", "hana", "shirin",
])
MALE_NAMES = frozenset([
    "james", "robert", "john", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "christopher",
    "daniel", "matthew", "anthony", "mark", "donald", "steven", "paul", "andrew", "joshua", "kenneth", "kevin",
    "brian", "george", "timothy", "ronald", "edward", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric",
    "jonathan", "stephen", "larry", "scott", "brandon", "benjamin", "samuel", "gregory", "alexander", "frank",
    "patrick", "raymond", "jack", "dennis", "jerry", "tyler", "aaron", "jose", "adam", "nathan", "henry", "douglas",
    "zachary", "peter", "kyle", "walter", "ethan", "jeremy", "harold", "keith", "christian", "roger", "noah",
    "gerald", "carl", "terry", "sean", "austin", "arthur", "lawrence", "jesse", "dylan", "bryan", "joe", "jordan",
    "billy", "bruce", "albert", "willie", "gabriel", "logan", "alan", "juan", "wayne", "roy", "ralph", "randy",
    "eugene", "vincent", "russell", "elijah", "louis", "bobby", "philip", "johnny", "barack", "bernie", "bill",
    "mitt", "newt", "ted", "justin", "marco", "rand", "chris", "jeb", "mike", "lindsey", "rick", "ben", "lloyd",
    "leon", "colin", "jim", "doug", "kevin", "ramin", "jalal", "nuri", "nouri", "moqtada", "muqtada", "qassim",
    "qassem", "qasem", "abbas", "mahmoud", "mohammed", "muhammad", "mohammad", "ahmed", "ahmad", "ali", "hassan",
    "hussein", "hossein", "saddam", "haider", "hadi", "adel", "ayad", "iyad", "fuad", "hamid", "khalid", "omar",
    "osama", "abdullah", "abdul", "abu", "ibrahim", "ismail", "javad", "mahmoud", "hassan", "mohsen", "ebrahim",
    "recep", "bashar", "vladimir", "sergei", "dmitry", "xi", "benjamin", "binyamin", "emmanuel", "boris", "tony",
    "gordon", "david", "nicolas", "francois", "shinzo", "narendra", "imran", "kim", "antony", "lloyd", "kenneth",
    "mark", "joe", "antonio", "jens",
]) - FEMALE_NAMES
