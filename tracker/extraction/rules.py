"""Shared cues and lexicons: negation, plans and background, reporting verbs, money, topics.

Every pattern here is compiled once at import. The triggers of each event type live in its
module (``kinds/``); the cues here are looked for in a window of the trigger's clause before
(and for some, after) it. The rules are written for English wire copy and official readouts in
general, not for one source.
"""

from __future__ import annotations

import re

MONEY_HINTS = (
    "$", "usd", "eur", "€", "£", "gbp", "¥", "rmb", "cny", "yuan", "rs", "pkr", "inr", "rupee",
    "dollar", "aud", "cad", "₦", "ngn", "naira", "tk", "bdt", "৳", "taka", "rub", "₹", "rm",
    "myr", "ringgit", "rp", "idr", "₽", "jpy", "yen", "krw", "₩", "won",
)  # fmt: skip
CAPTION_HINTS = ("photo", "picture", "image", "caption", "footage", "seen in this")
DESCRIPTOR_HINTS = ("partner", "relationship", "friendship", "alliance")


# Words for the statement's speech act; participles ("hailing") take the sentence's subject.
REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|adding|stressed|stresses|stressing|noted|notes|"
    r"noting|underlined|underlines|emphasi[sz]ed|emphasi[sz]es|reiterated|reiterates|reiterating|"
    r"affirmed|affirms|reaffirmed|reaffirms|reaffirming|expressed|expresses|expressing|urged|urges|"
    r"urging|called for|calls for|called on|vowed|vows|pledged|pledges|hailed|hails|hailing|"
    r"praised|praises|praising|condemned|condemns|critici[sz]ed|critici[sz]es|denounced|warned|"
    r"warns|welcomed|welcomes|welcoming|expounded|highlighted|highlights|declared|insisted|"
    r"accused|wrote|tweeted|stated|states|remarked|pointed out|asserted|voiced|lauded|lauds|"
    r"thanked|thanks|assured|assures|proposed|announced|conveyed|conveys|described|"
    # no "underscoring": ", underscoring the momentum" is the writer's comment, not a remark
    r"underscored|underscores|echoed|replied|commended|commends|appreciated|"
    r"appreciates|congratulated|congratulates|acknowledged|acknowledges|recalled)\b"
)
PARTICIPLE = re.compile(r"ing$")

# Before the trigger, in its clause: the event did not (or not yet) happen.
NEGATION_BEFORE = re.compile(
    r"\b(?:not|no|never|neither|nor|without|failed to|fail to|fails to|refused to|refuses to|"
    r"declined to|declines to|unable to|ruled out|rules out|rule out|denied|denies|deny|"
    r"cancell?ed|called off|postponed|scrapped|shelved|skipped|snubbed|"
    r"pull(?:ed|s|ing)? out of|withdr[ea]w from|withdrawn from|back(?:ed|s|ing)? out of|"
    r"to arrange|arranging|"
    r"(?:efforts?|bids?|attempts?|requests?|push|plea|hopes?) (?:to \w+|for)|sought|seeking|"
    r"possible|potential|prospective|hoped|hoping|whether|if|unless|avoid(?:ed|ing|s)?|"
    # an invitation alone is no plan ("invited Premier Li to visit"); accepted, it is one
    r"invited (?:\S+ ){1,5}to|invitation (?:to|for) (?:\S+ ){0,3}to|speculation|"
    r"(?:ready|willing|offered|offers|offer|proposed|proposes|propose|prepared) to|"
    r"did not|didn't|won't|will not|has not|have not|had not|n't)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
NEGATION_AFTER = re.compile(
    r"^[^.;]{0,160}?\b(?:came to nothing|fell through|(?:was|has been|had been) (?:cancell?ed|"
    r"postponed|called off|scrapped|put off)|were (?:cancell?ed|postponed|called off|put off)|"
    r"did not (?:take place|happen|materiali[sz]e)|would have been|(?:when|if) conditions allow|"
    r"never (?:took place|happened))\b",
    re.IGNORECASE,
)
PLANNED = re.compile(
    r"\b(?:will|shall|'ll|is to|are to|(?:is|are) due (?:in|at|for)|"
    r"(?:is|are|was|were) (?:scheduled|expected|set|due|slated|"
    r"poised|likely|going) to|plans? to|planning to|planned|agreed to|agree to|intends? to|"
    r"to be held|upcoming|forthcoming|next|accepted (?:\w+'s |an |the )?invitation|"
    r"expect(?:s|ed)? (?:\S+ ){1,3}to|expectations? of|(?:is|are|was|were) to have|"
    r"(?:making|made) arrangements|arrangements (?:are|were) being made|(?:being )?finali[sz]ed|"
    r"scheduled (?:for|from|on|to)|set for|slated for|due to|ahead of|in the run-up to|"
    r"(?:is|are) planned|preparing (?:to|for)|look(?:s|ing)? forward to|"
    r"would (?:visit|travel|meet|hold|sign)|would)\b[^.;]{0,60}$",
    re.IGNORECASE,
)
# After the trigger, in its clause: "the meeting will be held in December", "the visit is
# scheduled for", "the talks are expected to".
PLANNED_AFTER = re.compile(
    r"^\s*(?:[\w'-]+\s+){0,6}?(?:will|would|shall|is to|are to|(?:is|are) (?:set|scheduled|"
    r"expected|slated|due|planned|likely|going) (?:to|for)|to be (?:held|signed|hosted))\b",
    re.IGNORECASE,
)
# An event named in an opening "Following the talks, ..." whose sentence goes on in the future
# ("... a joint statement is planned to be signed"): a step of a plan, not a report.
LEADING_PHRASE = re.compile(r"^\W*(?:following|after|before|ahead of)\b", re.I)
FUTURE_MAIN = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:planned|expected|scheduled|set|due|slated) to)\b", re.I
)
# Just before the trigger: the event is what the news came after ("the visit came after talks
# with ...", "follows a meeting of"), so it is context.
CAME_AFTER = re.compile(
    r"\b(?:came|comes|coming|follows|followed)\s+(?:\w+\s+)?(?:after|on the heels of)?"
    r"\s*(?:an?|the|his|her|their)?\s*$",
    re.I,
)
FUTURE_TIME = re.compile(
    r"\b(?:next (?:week|month|year|spring|summer|autumn|fall|winter)|"
    r"later this (?:week|month|year)|tomorrow|soon|in the coming (?:days|weeks|months))\b",
    re.IGNORECASE,
)
BACKGROUND = re.compile(
    r"\b(?:had (?:\w+ )?(?:met|held|visited|spoken|spoke|signed|travell?ed|been)|"
    r"(?:a |the |his |her |their )?recent(?:ly)? (?:\w+ )?(?:signed|held|visit|call|phone|meeting|"
    r"talks|trip|agreements?|memorand)|"
    r"last (?:met|spoke|visited|held|travell?ed|signed|paid)|earlier met|"
    r"previous(?:ly (?:met|visited|held|signed|spoke))?|"
    r"ha(?:ve|s) held (?:\w+ ){0,4}(?:calls|meetings|rounds)|"
    r"(?:the )?last such|then[- ](?:President|Prime Minister|Premier|Foreign Minister)|"
    r"when they (?:met|spoke)|(?<!the )former|"
    # relative past times beyond the news week ("earlier this week" is still news)
    r"earlier this (?:month|year)|last (?:week|month|year|spring|summer|autumn|fall|winter|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)|"
    r"(?:a|one|two|three|four|several|a few) (?:weeks|months|years) (?:ago|after|earlier)|"
    r"(?:weeks|months|years) (?:after|before))\b",
    re.IGNORECASE,
)
# Any past perfect ("had proposed during his first visit"), unless it is reported speech ("said
# the prime minister had dialled"), where it is only the past of the report.
PAST_PERFECT = re.compile(r"\bhad (?:\w+ly )?[a-z]{3,}ed\b")
# A sentence describing a picture: nothing in it is an event.
CAPTION = re.compile(
    r"^(?:photo|file photo|picture|image|caption)\b|\b(?:photo(?:graph)?s?|pictures?|images?|"
    r"footage)\b[^.]{0,80}\b(?:shows?|showed|showing|pictured|depicts?|taken)\b|"
    r"\((?:photo|file|xinhua|afp|reuters|ap)/[^)]*\)|\bpictured\b|\bseen in this\b",
    re.IGNORECASE,
)
# A paragraph that credits a photograph ("... in Brasilia, November 20, 2024. REUTERS/Adriano
# Machado", "(Photo: PID)", "FILE PHOTO: ..."): a caption, with all its sentences.
PHOTO_CREDIT = re.compile(
    r"\b(?:REUTERS|AFP|AP(?: Photo)?|Xinhua|EPA(?:-EFE)?|Getty Images|Anadolu(?: Agency)?|"
    r"Bloomberg|APP|PID|PPI|IANS|ANI|PTI|Yonhap|Kyodo|TASS|Sputnik)\s?/\s?(?-i:[A-Z])|"
    r"^\s*(?:FILE PHOTO|Photo|Picture|Image)\s*[:|-]|\((?:Photo|Image|Picture)(?: credit)?:",
    re.IGNORECASE | re.MULTILINE,
)
# Meeting objects that are not officials of a state.
NON_OFFICIAL = re.compile(
    r"^\s*(?:[\w,.'-]+\s+){0,5}?(?:business|executives|ceos?|investors|students|diaspora|community|"
    r"journalists|reporters|industry|companies|firms|entrepreneurs|press|media|fans|"
    r"religious|scholars|academics|think[- ]tanks?|youth|"
    r"refugees|migrants|asylum[- ]seekers|displaced|troops|soldiers|bases?|forces|games|"
    r"tournaments?|olympics|world cup|exhibitions?|fairs?|festivals?)\b",
    re.IGNORECASE,
)
# Clause breaks: subordinate and coordinate clauses with their own subject.
CLAUSE_BREAK = re.compile(
    r"(?:,\s*|\s+)(?:while|whereas|even as|although|though|but|when|where)\s+|;\s*"
    r"|\s+as\s+(?=the |they |it |he |she )|,\s+and\s+"
    r"(?=(?-i:[A-Z])|the |they |he |she |it )"
    r"|,\s+(?=(?:hailing|saying|adding|noting|calling|urging|according to|with)\b)"
    r"|^According to [^,]{1,80},\s*",
    re.IGNORECASE,
)
GROUP = re.compile(
    r"\b(?:the two (?:sides|countries|leaders|nations|states|governments|presidents|ministers|"
    r"premiers|prime ministers|foreign ministers|delegations|parties|neighbou?rs|allies|"
    r"democracies)|both (?:sides|countries|leaders|nations|governments|parties|ministers|"
    r"presidents|premiers|prime ministers|foreign ministers)|bilateral|"
    r"two-way|the two|they|their)\b",
    re.IGNORECASE,
)
MULTILATERAL = re.compile(
    r"\b(?:trilateral|tripartite|three-way|four-way|three sides|three countries|four countries|"
    r"quadrilateral|the three (?:nations|states|"
    r"governments|leaders|ministers)|br(?:ought|ings|inging) together|"
    # "the leaders of A, B and C will meet": the participants listed with commas
    r"(?:leaders|heads of (?:state|government)|(?:foreign )?ministers|delegations|"
    r"representatives|officials) (?:of|from) [^.;,]{2,40},[^.;]{2,60}\band\b)",
    re.I,
)
# "was met at the airport by the prime minister": a welcome on arrival, part of the visit
AIRPORT_WELCOME = re.compile(
    r"\s*(?:at the (?:\w+\s+){0,2}airport|on (?:his|her|their) arrival|upon arrival|on arrival)\b",
    re.I,
)
PRONOUN = re.compile(r"\b(?:he|she|He|She)\b")
ALSO = re.compile(r"\balso\s+(?:\w+\s+){0,1}$", re.IGNORECASE)

SUPPORTIVE = re.compile(
    r"\b(?:prais|hail|welcom|laud|thank|appreciat|support|friendship|iron-?clad|"
    r"all-weather|cooperat|partner|commend|congratulat|brother|unbreakable)\w*",
    re.IGNORECASE,
)
CRITICAL = re.compile(
    r"\b(?:condemn|critici[sz]|denounc|accus|warn|protest|threat|oppos|illegal|stern|"
    r"blame|reject|deplor|interfer|provocat|concern)\w*",
    re.IGNORECASE,
)

TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(p, re.IGNORECASE))
    for name, p in (
        ("cpec", r"\bCPEC\b|China-Pakistan Economic Corridor"),
        ("belt and road", r"Belt and Road|\bBRI\b"),
        ("global development initiative", r"Global Development Initiative|\bGDI\b"),
        ("global security initiative", r"Global Security Initiative|\bGSI\b"),
        ("global governance", r"global (?:economic )?governance"),
        ("neighborhood diplomacy", r"neighbou?rhood diplomacy"),
        ("opening-up", r"opening-up|opening up"),
        ("one-china", r"one-China"),
        ("taiwan", r"Taiwan"),
        ("xinjiang", r"Xinjiang"),
        ("hong kong", r"Hong Kong"),
        ("tibet", r"Tibet"),
        ("kashmir", r"Kashmir"),
        ("ukraine", r"Ukrain"),
        ("terrorism", r"terroris"),
        ("security", r"\bsecurity\b|\bsafety\b"),
        ("sovereignty", r"sovereignty|territorial integrity"),
        ("peace", r"\bpeace"),
        ("dialogue", r"\bdialogue\b"),
        ("friendship", r"friendship|iron brothers|ironclad friends|iron-clad"),
        ("strategic partnership", r"strategic (?:cooperative )?partnership|partnership"),
        ("relations", r"\brelations\b|\bties\b"),
        ("trade", r"\btrade\b"),
        ("investment", r"\binvestment"),
        ("energy", r"\benergy\b|\bgas\b|\boil\b|pipeline"),
        ("nuclear energy", r"nuclear (?:power|energy)"),
        ("grain deal", r"grain (?:deal|corridor|initiative)"),
        ("sanctions", r"sanction|restrictions"),
        ("missile", r"missile"),
        ("human rights", r"human rights"),
        ("women's rights", r"rights of women|women's rights"),
        ("climate", r"climate"),
        ("floods", r"flood"),
        ("history", r"\bhistory\b"),
        ("export controls", r"export controls"),
        ("wartime labor", r"wartime labou?r|former laborers"),
        ("defence", r"\bdefen[cs]e\b|\bmilitary\b"),
        ("border", r"\bborder\b|Line of Actual Control"),
        ("development", r"\bdevelopment\b"),
    )
)


def _literal_hints(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literal starts of a pattern's alternatives (None: some have none)."""
    hints = []
    for alternative in pattern.split("|"):
        literal = re.match(r"[a-z' -]{3,}", re.sub(r"^(?:\\b|\(\?:)+", "", alternative).lower())
        if literal is None:
            return None
        hints.append(literal.group().strip())
    return tuple(hints)


TOPIC_HINTS = tuple(_literal_hints(p.pattern) for _, p in TOPICS)

# Partnership names: "all-weather strategic cooperative partnership".
DESCRIPTOR = re.compile(
    r"\b((?:(?:all-weather|all-round|comprehensive|strategic|cooperative|global|special|"
    r"privileged|enhanced|extended|time-tested|iron-clad|ironclad|close|traditional|good-neighbou?rly|"
    r"friendly|new|high-level|long-standing|mutually beneficial|and|of|coordination|"
    r"interaction|innovative|"
    r"future-oriented)[\s-]+){1,6}(?:partnership|partners|relationship|friendship|alliance)"
    r"(?: of coordination| for a new era| entering a new era)?)\b",
    re.IGNORECASE,
)
DESCRIPTOR_WORDS = re.compile(
    r"strategic|all-weather|comprehensive|all-round|special|privileged", re.I
)

# Agreement areas: the list after "on", "in areas of", "covering", "including".
# A list whose items each open with a preposition ("on X, on Y, and in the field of Z") splits
# only there, so that commas and "and" inside an item stay in it.
AREA_PREP_SPLIT = re.compile(
    r",\s*(?:and\s+|as well as\s+)?(?=(?:on|in (?:the )?(?:fields?|areas?|spheres?) of)\s)"
    r"|\s+(?:and|as well as)\s+(?=on\s|in (?:the )?(?:fields?|areas?|spheres?) of\s)",
    re.I,
)
AREA_SPLIT = re.compile(
    r"\s*,\s*(?:and\s+|as well as\s+)?|\s+and\s+(?=on\s|in\s|the\s|a\s)|\s+as well as\s+",
    re.I,
)
AREA_PREFIX = re.compile(
    r"^(?:(?:a|an|the|bilateral|several|various|\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"number of|a number of|new|other)\s+)*"
    r"(?:(?:(?:framework|loan|cooperation|bilateral)\s+)?(?:agreements?|accords?|memorand(?:um|a)|"
    r"mous?|deals?|documents?|protocols?|exchange of notes|notes)\s+"
    r"(?:of (?:understanding|cooperation)\s+)?(?:on|in|for|of|covering|concerning)\s+)?"
    r"(?:(?:bilateral\s+)?cooperation\s+(?:in|on)\s+(?:the\s+)?(?:areas?\s+of\s+|fields?\s+of\s+)?)?"
    r"(?:(?:on|in|for|of|the|a)\s+)*(?:(?:fields?|areas?|spheres?)\s+of\s+)?",
    re.IGNORECASE,
)
AREA_END = re.compile(
    r"\s*(?:,?\s*among others|,?\s*etc\.?|,?\s*and others|\band so on|"
    r",?\s*(?:and\s+)?(?:other|many other|several other) (?:areas|fields|sectors|spheres)|"
    r"\s+besides\b)\b.*$",
    re.I,
)
AREA_STOP = re.compile(
    r"\b(?:last|this|next|yesterday|today|on (?-i:[A-Z])\w+day|in (?:19|20)\d\d|"
    r"were|was|have|had|in the presence|during|at the|at a|after|before|between|with|which|"
    r"that)\b.*$",
    re.IGNORECASE,
)

# Trade: an amount of money and what it measures.
MONEY = re.compile(
    r"(?:(?P<sym>US\$|A\$|AU\$|C\$|CA\$|HK\$|S\$|NZ\$|\$|USD|AUD|CAD|€|EUR|£|GBP|¥|RMB|CNY|₦|NGN|"
    r"yuan|Rs\.?|PKR|INR|rupees|Tk\.?|BDT|৳|₹|RM|MYR|Rp|IDR|₽|RUB|JPY|KRW|₩)\s?)"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>trillion|billion|bln|bn|million|mln|mn|thousand|"
    r"crore|crores|lakh|lakhs|cr)?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<unit2>trillion|billion|bln|bn|million|mln|mn|crore|"
    r"crores|lakh|lakhs)\s+"
    r"(?P<cur2>(?:U\.?S\.? )?dollars|yuan|euros|rupees|naira|taka|roubles|rubles|yen|won|ringgit|"
    r"USD|EUR|GBP|CNY|AUD|CAD|NGN|BDT|INR|PKR|RUB|JPY|KRW|MYR|IDR)\b",
    re.IGNORECASE,
)
TRADE_WORD = re.compile(r"\b(?:trade|exports?|imports?|exported|imported|shipments)\b", re.I)
EXPORTS = re.compile(r"\bexports?\b|\bexported\b|\bshipments\b", re.I)
IMPORTS = re.compile(r"\bimports?\b|\bimported\b", re.I)
TARGET = re.compile(
    r"\b(?:target|goal|aim|aims|hope|plan|projected|projection|forecast|estimated|expect|"
    r"expects|expected|would|will|could|potential|"
    # a verb of growth counts only as an intent ("agreed to boost trade to $X"), not a fact
    r"to (?:boost|raise|double|expand|increase|push|lift)|increase to)\b",
    re.I,
)
CHANGE = re.compile(
    r"(?P<dir>increase|rise|growth|up|grew|jump(?:ed)?|surge(?:d)?|rose|climb(?:ed)?|"
    r"decrease|decline|drop(?:ped)?|fell|down|fall|contraction|shr[aui]nk)\w*"
    r"[^.;%]{0,30}?(?P<pct>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)"
    r"|(?P<pct2>\d+(?:\.\d+)?)\s?(?:%|percent|per cent)\s+(?P<dir2>increase|rise|growth|jump|"
    r"decrease|decline|drop|fall)",
    re.IGNORECASE,
)
# Product-level figures: "<product> exports alone", "exports of <product>", "<product> imports".
PRODUCT = re.compile(
    r"\b(?-i:[A-Z][a-z]+|[a-z]+)\s+exports\s+alone\b|"
    r"\b(?:exports?|imports?) of (?!goods\b|services\b|merchandise\b|all\b|the\b)(?-i:[a-z])[\w-]+|"
    r"\bworth of (?-i:[a-z])[\w-]+|"
    r"\b(?:seafood|sesame|fish|cotton|rice|textile|textiles|garments?|apparel|oil|crude|gas|wheat|"
    r"copper|soybeans?|grain|beef|coal|durians?|fruits?|steel|arms|weapons|ready-made)\s+"
    r"(?:exports?|imports?|shipments)\b",
    re.IGNORECASE,
)
# Not a flow between two states: a state's trade with the whole world.
NOT_BILATERAL = re.compile(
    r"\b(?:to other countries|to the world|worldwide|global (?:exports|"
    r"imports|trade)|overall (?:exports|imports)|total (?:exports|imports) of the country|"
    r"into the country)\b",
    re.IGNORECASE,
)
# The balance is no flow: "a trade deficit of $295.4 billion", "surplus rose to $X".
BALANCE = re.compile(r"\b(?:deficit|surplus|imbalance)\b[^.;$]{0,40}$", re.IGNORECASE)
FALLING = re.compile(r"^(?:decrease|decline|drop|fell|down|fall|contraction|shr)", re.I)
FISCAL = re.compile(
    r"\b(?:FY|fiscal year|financial year)\s*(?P<a>(?:19|20)\d\d)(?:\s*[-/–]\s*(?P<b>\d{2,4}))?"
    # a year range written "2023-24" is a fiscal year (South Asian budgets and statistics)
    r"|\b(?P<ra>(?:19|20)\d\d)\s*[-/–]\s*(?P<rb>\d{2})\b(?!\d)",
    re.I,
)

UNITS = {
    "trillion": "trillion",
    "billion": "billion",
    "bln": "billion",
    "bn": "billion",
    "million": "million",
    "mln": "million",
    "mn": "million",
    "thousand": "thousand",
    # South Asian units are kept as written (1 crore = 10 million, 1 lakh = 100,000)
    "crore": "crore",
    "crores": "crore",
    "cr": "crore",
    "lakh": "lakh",
    "lakhs": "lakh",
}
CURRENCIES = {
    "us$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "hk$": "HKD",
    "s$": "SGD",
    "nz$": "NZD",
    "$": "USD",
    "usd": "USD",
    "dollars": "USD",
    "u.s. dollars": "USD",
    "us dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "rs": "rupee",  # which rupee: the reporting state's (see kinds/trade_figure.py)
    "rs.": "rupee",
    "rupees": "rupee",
    "pkr": "PKR",
    "inr": "INR",
    "tk": "BDT",
    "tk.": "BDT",
    "bdt": "BDT",
    "৳": "BDT",
    "taka": "BDT",
    "₹": "INR",
    "rm": "MYR",
    "myr": "MYR",
    "ringgit": "MYR",
    "rp": "IDR",
    "idr": "IDR",
    "₽": "RUB",
    "jpy": "JPY",
    "yen": "JPY",
    "krw": "KRW",
    "₩": "KRW",
    "won": "KRW",
    "roubles": "RUB",
    "rubles": "RUB",
    "rub": "RUB",
    "₦": "NGN",
    "ngn": "NGN",
    "naira": "NGN",
}

# A state used as the name of an issue, not as an actor: "the <State> issue", "<State> question".
ATTRIBUTIVE_STATE = re.compile(
    r"^(?:'s)?\s+(?:issue|question|crisis|conflict|war|situation|file|dispute|problem)\b", re.I
)
# Groups that stand for the two leaders or ministers last named.
GROUP_PEOPLE = re.compile(
    r"leaders|presidents|ministers|premiers|heads of state|they|their", re.IGNORECASE
)
# A date that belongs to what precedes it: "the treaty signed on Jan. 22, 1963".
ATTRIBUTIVE_DATE = re.compile(
    r"\b(?:signed|founded|established|launched|adopted|ratified|created|set up|dating|dated|"
    r"which|that|built|opened|concluded)\b[^,;]{0,20}$|\b(?:said|told \w+|announced|reported|"
    r"stated|added|confirmed)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# Remarks that only rule an event out.
DENIAL = re.compile(
    r"\b(?:no plans? (?:to|for)|no such (?:conversation|meeting|call|talks)|has not taken place|"
    r"did not take place|never took place)\b",
    re.IGNORECASE,
)
DURING_EVENT = re.compile(
    r"\b(?:during|in|after|at) (?:the|their|that) (?:phone |telephone |video )?(?:call|talks|"
    r"meeting|conversation|summit)\b",
    re.IGNORECASE,
)
