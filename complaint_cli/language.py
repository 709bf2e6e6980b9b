"""Russian grammar for documents: names, positions, legal forms and dates (law.md §7.2).

The sender follows «от» and takes the genitive; the addressee's position and person take the
dative. Organisation names in quotes and abbreviations (ООО, АО, ИП) never change.

Guessing is worse than not declining: a nominative in an address block reads as a list entry,
a wrong ending reads as a mistake about the person. So every function here returns its input
unchanged when it cannot decline it confidently, and callers let the user override the form.

Spaces inside dates and between initials and a surname are NO-BREAK SPACES (U+00A0), as in
:mod:`complaint_cli.money`; compare texts with :func:`complaint_cli.money.normalize_spaces`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache, lru_cache
from typing import Any, Literal

from complaint_cli import yamlio

from complaint_cli.money import NBSP

GrammarCase = Literal["genitive", "dative"]
Gender = Literal["male", "female"]

_GENDER_ALIASES: dict[str, Gender] = {
    "male": "male",
    "m": "male",
    "м": "male",
    "муж": "male",
    "мужской": "male",
    "female": "female",
    "f": "female",
    "ж": "female",
    "жен": "female",
    "женский": "female",
}
# Turkic patronymic particles written as a separate word («Гейдар оглы»); they never decline.
_MALE_PARTICLES = {"оглы", "улы", "уулу"}
_FEMALE_PARTICLES = {"кызы", "гызы"}

_CYRILLIC_WORD = r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*"
_NAME_TOKEN_RE = re.compile(rf"^{_CYRILLIC_WORD}$")
_INITIAL_RE = re.compile(r"^[А-ЯЁA-Z]\.$", re.IGNORECASE)
_DOUBLE_INITIAL_RE = re.compile(r"^([А-ЯЁA-Z]\.)([А-ЯЁA-Z]\.)$", re.IGNORECASE)
_LATIN_RE = re.compile(r"[A-Za-z]")


# ---------------------------------------------------------------------------------------------
# Lazy pytrovich (importing it and loading its rules costs start-up time the CLI rarely needs)


@cache
def _petrovich() -> tuple[Any, Any]:
    from pytrovich import PetrovichDeclinationMaker, PetrovichGenderDetector

    return PetrovichDeclinationMaker(), PetrovichGenderDetector()


# ---------------------------------------------------------------------------------------------
# Full names


@lru_cache(maxsize=1024)  # a letter asks for the forms of one name several times (decline_name, initials)
def _normalise_name(full_name: str) -> str:
    text = " ".join(full_name.split())
    return re.sub(r"\s*-\s*", "-", text)  # «Римский - Корсаков» -> «Римский-Корсаков»


@lru_cache(maxsize=1024)
def split_full_name(full_name: str) -> tuple[str, str, str | None]:
    """Split «Фамилия Имя Отчество» into ``(last, first, middle)``; ``middle`` is None if absent.

    Tolerates extra spaces, spaces around a hyphen and initials written together («И.И.»).
    A Turkic patronymic with a particle («Гейдар оглы») is kept as one middle name.
    Raises ValueError with a Russian message when the text is not two or three name parts.
    """
    tokens = _normalise_name(full_name).split(" ") if full_name.strip() else []
    if len(tokens) == 2 and (m := _DOUBLE_INITIAL_RE.match(tokens[1])):
        tokens = [tokens[0], m.group(1), m.group(2)]
    if len(tokens) == 4 and tokens[3].lower() in _MALE_PARTICLES | _FEMALE_PARTICLES:
        tokens = [tokens[0], tokens[1], f"{tokens[2]} {tokens[3]}"]
    if len(tokens) not in (2, 3):
        raise ValueError(
            f"Не удалось разобрать ФИО «{full_name.strip()[:60]}»: укажите фамилию, имя и отчество "
            "(если есть) через пробел, например «Иванов Иван Иванович»."
        )
    return tokens[0], tokens[1], tokens[2] if len(tokens) == 3 else None


def normalize_gender(value: str) -> Gender:
    """Map «male»/«female» and Russian spellings («м», «ж», «мужской», …) to ``male``/``female``."""
    gender = _GENDER_ALIASES.get(value.strip().lower().rstrip("."))
    if gender is None:
        raise ValueError(f"Пол указан как «{value}»; допустимо «male» или «female» (м/ж).")
    return gender


def _gender_from_patronymic(middle: str) -> Gender | None:
    words = middle.lower().replace("ё", "е").split()
    if words[-1] in _MALE_PARTICLES:
        return "male"
    if words[-1] in _FEMALE_PARTICLES:
        return "female"
    if _INITIAL_RE.match(middle):
        return None
    if middle.lower().endswith("ич"):
        return "male"
    if middle.lower().endswith(("вна", "чна", "на")):
        return "female"
    return None


@lru_cache(maxsize=1024)
def detect_gender(full_name: str, explicit: str | None = None) -> Gender | None:
    """``male``/``female`` for a full name, or None when it cannot be told.

    Order: the explicit value wins; then the patronymic (-ич; -вна/-чна/-на; «оглы»/«кызы»);
    then pytrovich's detector on the first name and surname together (a definite answer from
    one beats an undecided one; a conflict gives None). Raises ValueError for an unparseable
    name or an unknown explicit value.
    """
    if explicit is not None and explicit.strip():
        return normalize_gender(explicit)
    last, first, middle = split_full_name(full_name)
    if middle is not None and (by_patronymic := _gender_from_patronymic(middle)):
        return by_patronymic
    from pytrovich import Gender as PGender

    _, detector = _petrovich()
    detected = detector.detect(
        firstname=None if _INITIAL_RE.match(first) else first,
        lastname=last,
    )
    return {PGender.MALE: "male", PGender.FEMALE: "female"}.get(detected)


def _same_style(original: str, declined: str) -> str:
    """Carry the capitalisation style of ``original`` over to ``declined``."""
    if len(original) > 1 and original.isupper():
        return declined.upper()
    if original.islower():
        return declined.lower()
    return declined


@lru_cache(maxsize=4096)  # pure; a batch meets the same names, positions and companies again
def _decline_part(part: str, kind: str, gender: Gender, case: GrammarCase) -> str:
    if _INITIAL_RE.match(part) or part.split()[-1].lower() in _MALE_PARTICLES | _FEMALE_PARTICLES:
        return part  # initials and «Гейдар оглы» stay as written
    from pytrovich import Case, Gender as PGender, NamePart

    maker, _ = _petrovich()
    declined = maker.make(
        NamePart[kind],
        PGender.MALE if gender == "male" else PGender.FEMALE,
        Case.GENITIVE if case == "genitive" else Case.DATIVE,
        part,
    )
    return _same_style(part, declined)


def decline_name(full_name: str, case: GrammarCase, gender: str | None = None) -> str:
    """Full name «Фамилия Имя Отчество» in the genitive («от кого») or dative («кому»).

    Follows pytrovich (petrovich rules): «Иванов Иван Иванович» → «Иванову Ивану Ивановичу»;
    surnames in -ых/-их, -ко and women's consonant-final surnames stay unchanged («Гросс Марии
    Ивановны»); a surname equal to a noun keeps its vowel («Лев» → «Лева», as in official style).

    When the gender is neither given nor detectable (typically a foreign name), or the name is
    written in Latin letters, the name is returned in the nominative (spaces tidied) instead of
    guessing. Initials are kept («Иванову И. И.»). Raises ValueError for an unknown ``case``,
    an unknown explicit ``gender`` or a text that is not two or three name parts.
    """
    if case not in ("genitive", "dative"):
        raise ValueError(f"unsupported case {case!r}: expected 'genitive' or 'dative'")
    last, first, middle = split_full_name(full_name)
    resolved = detect_gender(full_name, gender)
    normalised = _normalise_name(full_name)
    if resolved is None or _LATIN_RE.search(normalised):
        return normalised
    parts = [
        _decline_part(last, "LASTNAME", resolved, case),
        _decline_part(first, "FIRSTNAME", resolved, case),
    ]
    if middle is not None:
        parts.append(_decline_part(middle, "MIDDLENAME", resolved, case))
    return " ".join(parts)


def _initial(word: str) -> str:
    if _INITIAL_RE.match(word):
        return word.upper()
    return "-".join(f"{piece[0].upper()}." for piece in word.split("-") if piece)


def initials(full_name: str) -> str:
    """Signature form: «Кузнецов Иван Андреевич» → «И. А. Кузнецов»; without patronymic «И. Кузнецов».

    The surname stays in the nominative; spaces are NBSP so the line never breaks inside.
    """
    last, first, middle = split_full_name(full_name)
    letters = [_initial(first)] + ([_initial(middle)] if middle else [])
    return NBSP.join([*letters, last])


# ---------------------------------------------------------------------------------------------
# Positions and legal forms


@cache
def _tables() -> dict[str, Any]:
    data = yamlio.bundled("positions.yaml")
    for form in data["legal_forms"]:
        counts = {len(form[key].split()) for key in ("nominative", "genitive", "dative")}
        if len(counts) != 1:  # the word-by-word capitalisation transfer relies on it
            raise RuntimeError(f"positions.yaml: forms of {form['nominative']!r} differ in length")
    data["legal_forms"].sort(key=lambda form: -len(form["nominative"].split()))
    return data


# Endings that make the dative of a masculine noun certain: nominative suffix -> (cut, add).
_NOUN_SUFFIX_RULES: tuple[tuple[str, int, str], ...] = (
    ("тель", 1, "ю"),
    ("арь", 1, "ю"),
    ("ор", 0, "у"),
    ("ер", 0, "у"),
    ("ёр", 0, "у"),
    ("ист", 0, "у"),
    ("ант", 0, "у"),
    ("ент", 0, "у"),
    ("лог", 0, "у"),
    ("ач", 0, "у"),
    ("ик", 0, "у"),
    ("ир", 0, "у"),
    ("ат", 0, "у"),
)
_WORD_RE = re.compile(r"^[А-Яа-яЁё]+$")


def _adjective_dative(word: str) -> str | None:
    """Dative of a nominative singular adjective or participle, or None if it is not one."""
    low = word.lower()
    if len(low) < 4 or not _WORD_RE.match(low):
        return None
    stem, ending = low[:-2], low[-2:]
    if ending in ("ый", "ой"):
        return stem + "ому"
    if ending == "ий":
        return stem + ("ому" if stem[-1] in "кгх" else "ему")
    if ending == "ая":
        return stem + ("ей" if stem[-1] in "жшчщ" else "ой")
    if ending == "яя":
        return stem + "ей"
    return None


def _noun_dative(word: str) -> str | None:
    """Dative of a head noun from the table or a certain suffix rule, or None."""
    low = word.lower()
    table: dict[str, str] = _tables()["nouns"]
    if low in table:
        return table[low]
    if "-" in low:  # «Директор-распорядитель»: every piece must be a known head noun
        pieces = [_noun_dative(piece) for piece in low.split("-")]
        return None if None in pieces else "-".join(pieces)  # type: ignore[arg-type]
    if not _WORD_RE.match(low):
        return None
    for suffix, cut, add in _NOUN_SUFFIX_RULES:
        if low.endswith(suffix) and len(low) > len(suffix) + 1:
            return (low[:-cut] if cut else low) + add
    return None


def _restyle(original: str, lowered: str) -> str:
    """Give a lower-case form the capitalisation of ``original`` (Upper, UPPER or lower)."""
    if len(original) > 1 and original.isupper():
        return lowered.upper()
    if original[:1].isupper():
        return lowered[:1].upper() + lowered[1:]
    return lowered


@lru_cache(maxsize=4096)
def position_dative(position: str) -> str:
    """Addressee's position in the dative: «Генеральный директор ООО «Ромашка»» → «Генеральному директору ООО «Ромашка»».

    Only the head declines — leading adjectives/participles and the head noun; the tail
    («по качеству», «правления», «ООО «…»») stays. Head nouns come from data/positions.yaml or
    a suffix rule that leaves no doubt (-ор, -ер, -тель, …). A phrase that does not fit
    «[временно] <прилагательные> <существительное> <хвост>» (an abbreviation such as «И.о.»,
    an unknown noun, an already declined form) is returned unchanged rather than guessed.
    """
    tables = _tables()
    pieces = re.split(r"(\s+)", position.strip())
    words, gaps = pieces[0::2], pieces[1::2]
    if not words or not words[0]:
        return position
    out: list[str] = []
    index = 0
    while index < len(words) and words[index].lower() in tables["invariable_prefixes"]:
        out.append(words[index])
        index += 1
    adjectives = 0
    while index < len(words):
        word = words[index]
        noun = _noun_dative(word)
        if noun is not None:
            out.append(_restyle(word, noun))
            index += 1
            break
        if adjectives and words[index - 1].lower() in tables["substantivized"]:
            break  # «Заведующая аптекой»: the participle was the head, the rest is its tail
        adjective = _adjective_dative(word)
        if adjective is None:
            return position
        out.append(_restyle(word, adjective))
        adjectives += 1
        index += 1
    else:
        if not (adjectives and words[-1].lower() in tables["substantivized"]):
            return position
    tail = words[index:]
    result = out + tail
    return "".join(word + gap for word, gap in zip(result, [*gaps, ""]))


@lru_cache(maxsize=4096)
def _decline_org(org_name: str, case: GrammarCase) -> str:
    text = org_name.strip()
    for form in _tables()["legal_forms"]:
        words = form["nominative"].split()
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.match(rf"(?i){pattern}(?=$|\s|[«\"“„])", text)
        if match is None:
            continue
        original_words = match.group().split()
        target = " ".join(
            _restyle(orig, new.lower()) for orig, new in zip(original_words, form[case].split())
        )
        rest = text[match.end() :]
        if form.get("person"):
            declined = _decline_person_tail(rest, case)
            return org_name if declined is None else target + declined
        return target + rest
    if text.startswith("ИП "):
        declined = _decline_person_tail(text[2:], case)
        return org_name if declined is None else "ИП" + declined
    return org_name


def _decline_person_tail(rest: str, case: GrammarCase) -> str | None:
    """The full name after «ИП» declined, keeping its leading spaces; None if it cannot be."""
    name = rest.strip()
    tokens = name.split()
    if not name:
        return rest
    if not 2 <= len(tokens) <= 4 or not all(_NAME_TOKEN_RE.match(t) for t in tokens):
        return None  # «ИП Иванов И.И.», an address or a note: not a full name
    try:
        declined = decline_name(name, case)
    except ValueError:
        return None
    if declined == _normalise_name(name):
        return None  # gender unknown: keep the whole phrase in the nominative
    return rest[: len(rest) - len(rest.lstrip())] + declined


# Abbreviations of the legal forms above, as a receipt prints them («ООО «Ромашка»», «ИП Иванов И. И.»).
_FORM_ABBREVIATIONS = re.compile(r"(?i)^(ООО|ОДО|ПАО|НАО|ЗАО|ОАО|АО|ФГУП|ГУП|МУП|АНО|ТСЖ|ИП|НКО|ГБУ|МБУ|ФГБУ|ГАУ|ПК|СПК|"
                                 r"LLC|LTD)(?=$|[\s«\"“„])")


def has_legal_form(org_name: str) -> bool:
    """Does an organisation's name start with its legal form, in full or abbreviated («ООО …», «Акционерное общество …»)?"""
    text = (org_name or "").strip()
    if _FORM_ABBREVIATIONS.match(text):
        return True
    return any(re.match(r"(?i)" + r"\s+".join(map(re.escape, form["nominative"].split())) + r"(?=$|\s|[«\"“„])", text)
               for form in _tables()["legal_forms"])


def legal_form_dative(org_name: str) -> str:
    """«Общество с ограниченной ответственностью «Ромашка»» → «Обществу с ограниченной ответственностью «Ромашка»».

    The spelled-out legal form declines; the quoted name and abbreviations (ООО, АО, ПАО) do not.
    «Индивидуальный предприниматель Иванов Иван Иванович» / «ИП Иванов Иван Иванович» decline the
    name too; when the name is not a full name («ИП Иванов И.И.») or its gender is unknown the
    whole text stays as written. Anything unrecognised is returned unchanged.
    """
    return _decline_org(org_name, "dative")


def legal_form_genitive(org_name: str) -> str:
    """Genitive counterpart of :func:`legal_form_dative` («от Общества с ограниченной ответственностью «…»»)."""
    return _decline_org(org_name, "genitive")


# ---------------------------------------------------------------------------------------------
# Dates and small helpers

_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def format_date(d: date) -> str:
    """``25.11.2026``."""
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def format_date_long(d: date) -> str:
    """``25 ноября 2026 г.`` (day without a leading zero; NBSP between the parts)."""
    return NBSP.join([str(d.day), _MONTHS_GENITIVE[d.month - 1], f"{d.year}", "г."])


def capitalize_first(s: str) -> str:
    """Upper-case the first letter, leaving everything else (and any opening quote) as it is."""
    for index, char in enumerate(s):
        if char.isalpha():
            return s[:index] + char.upper() + s[index + 1 :]
    return s


def _each(words: list[str], not_after: list[str], then: str = "") -> str:
    """``(?:w1(?<!Xw1)…then|w2(?<!Xw2)…then|…)``: the same as ``(?<!X)…(?:w1|w2|…)then``, the words tried in the
    same order, but with what may not come before a word checked after it matched. A pattern that starts with its
    words' first letters lets the regular expression engine skip to them instead of trying every position: the
    typography below runs over every sentence of every letter (issue 17)."""
    return "(?:" + "|".join(re.escape(word) + "".join(f"(?<!{x}{re.escape(word)})" for x in not_after) + then
                            for word in words) + ")"


# «ст. 23», «п. 1», «№ 17», «руб. 50»: (?<![\w.])(ст\.|п\.|пп\.|подп\.|ч\.|№|г\.|д\.|руб\.) (?=\S)
_NBSP_AFTER = re.compile("(" + _each(["ст.", "п.", "пп.", "подп.", "ч.", "№", "г.", "д.", "руб."], [r"[\w.]"])
                         + r") (?=\S)")
# «50 %», «10 дней»: (?<=\d) (?=%|руб\.|коп\.|дн\.|дней|дня|день), starting with the space
_NBSP_BEFORE = re.compile(r" (?<=\d )(?=%|руб\.|коп\.|дн\.|дней|дня|день)")


class Verbatim(str):
    """A text made of the tool's words and the user's own, which are printed exactly as typed.

    ``str`` of it is the plain text (what the review, JSON and the console print); the typography functions
    (:func:`bind_legal`, :func:`bind_typography`, :func:`bind_hyphens`) and the renderer read :attr:`segments` and
    change only the tool's parts — no no-break space is ever put into «д. 5», «10 дней» or «50 %» the user wrote.
    Any other string operation gives a plain ``str`` (typography then applies to all of it, as before).
    """

    segments: tuple[tuple[str, bool], ...]  # (text, written by the user)

    def __new__(cls, *segments: tuple[str, bool]) -> Verbatim:
        kept = tuple((str(text), bool(user)) for text, user in segments if text)
        obj = super().__new__(cls, "".join(text for text, _ in kept))
        obj.segments = kept
        return obj

    def __getnewargs__(self) -> tuple[tuple[str, bool], ...]:  # pickled to a batch worker and back
        return self.segments

    def map_tool(self, change) -> Verbatim:
        """The same text with ``change`` applied to the tool's parts only."""
        return Verbatim(*((text if user else change(text), user) for text, user in self.segments))


def user_words(text: str | None) -> Verbatim:
    """The user's own text, to be printed verbatim (no typography)."""
    return Verbatim((text or "", True))


def bind_legal(text: str) -> str:
    """No-break spaces where a line must not wrap in a legal text: «ст. 23», «№ 17», «50 %», «10 дней».

    Applied to the sentences the tool writes, never to the user's own text (a :class:`Verbatim`'s user parts
    appear as typed). Parentheses nested in such a sentence are flattened (:func:`tidy_parentheses`).
    """
    if isinstance(text, Verbatim):
        return text.map_tool(_bind_legal)
    return _bind_legal(text)


@lru_cache(maxsize=1024)  # the same grounds and norms recur in every letter of a batch
def _bind_legal(text: str) -> str:
    text = _NBSP_AFTER.sub(lambda m: m.group(1) + "\u00a0", text)
    return tidy_parentheses(_NBSP_BEFORE.sub("\u00a0", text))


# ---------------------------------------------------------------------------------------------
# Typography of every printed value (the user's text included: it changes spaces and hyphens only)

NB_HYPHEN = "\u2011"  # NON-BREAKING HYPHEN; the renderer writes Word's <w:noBreakHyphen/> instead

# «№ 5», «ИНН 7707083893», «ОГРН: 1027700132195»: (№|(?<![\w-])(?:ИНН|КПП|ОГРНИП|ОГРН|ШПИ|БИК)(?::)?) (?=[\w«\"]),
# as two patterns that each start with a letter (two passes find the same places: the matches cannot overlap, and
# what the first changes, a space to a no-break space, is neither a word character nor a hyphen for the second).
_NBSP_NUMBER_SIGN = re.compile(r"№ (?=[\w«\"])")
_NUMBER_WORDS = ("ИНН", "КПП", "ОГРН", "ШПИ", "БИК")  # ОГРНИП contains ОГРН
_NBSP_NUMBER_WORD = re.compile("(" + _each(["ИНН", "КПП", "ОГРНИП", "ОГРН", "ШПИ", "БИК"], [r"[\w-]"], "(?::)?")
                               + r") (?=[\w«\"])")
# Short address abbreviations bound to what follows («г. Казань», «д. 9А», «ул. Баумана», «пом. I»): only before
# a capital letter, a digit or a quote, so «и т. д. и т. п.» is left alone; «г.» after a number is a year
# («2026 г. Заказ …»), not a city. (?<![\w.\-])(?<!\d )(?<!\d\u00a0)((?:г|д|…)\.) (?=[0-9A-ZА-ЯЁ«\"]), words first.
_ADDRESS_ABBREVIATIONS = "г|д|кв|корп|стр|эт|пом|ком|оф|пр|просп|ул|пер|пл|наб|мкр|ш"
_NBSP_ADDRESS = re.compile(
    "(" + _each(_ADDRESS_ABBREVIATIONS.split("|"), [r"[\w.\-]", r"\d ", "\\d\u00a0"]) + r"\.) (?=[0-9A-ZА-ЯЁ«\"])"
)
_ADDRESS_HINT = re.compile(r"\. [0-9A-ZА-ЯЁ«\"]")  # in every text _NBSP_ADDRESS changes; found fast (a literal first)
# A hyphenated code with a digit in it: an order number («R-84512376», «SM-2026-000777»), «59-ФЗ», «123-45-67»,
# «1-я». Not inside an e-mail address, a web address or a file name. (Possessive: giving a word back cannot lead
# to a match — the next character would be a letter — and trying to costs a long sentence thousands of steps.)
_NUMBER_TOKEN = re.compile(r"(?<![\w@/.\-])[^\W_]++(?:-[^\W_]++)++(?![\w@/\-]|\.[^\W_])")
_DIGIT = re.compile(r"\d")


def bind_typography(text: str) -> str:
    """No-break spaces any printed text needs: after «№» and ИНН/ОГРН/ШПИ, inside «г. Казань», «д. 9А», «ул. …».

    Applied to every printed value — names, addresses and numbers the tool arranges — except the user's own words
    in a :class:`Verbatim` (demands in their words, the description of the problem), which stay as typed.
    """
    if isinstance(text, Verbatim):
        return text.map_tool(_bind_typography)
    return _bind_typography(text)


@lru_cache(maxsize=4096)
def _bind_typography(text: str) -> str:
    if "№ " in text:
        text = _NBSP_NUMBER_SIGN.sub("№" + NBSP, text)
    if any(word in text for word in _NUMBER_WORDS):
        text = _NBSP_NUMBER_WORD.sub(lambda m: m.group(1) + NBSP, text)
    if ". " in text and _ADDRESS_HINT.search(text):
        text = _NBSP_ADDRESS.sub(lambda m: m.group(1) + NBSP, text)
    return text


def bind_hyphens(text: str, hyphen: str = NB_HYPHEN) -> str:
    """Hyphens inside a code with a digit («R-84512376», «59-ФЗ», «123-45-67») replaced by ``hyphen``.

    The default is U+2011 (NON-BREAKING HYPHEN); the renderer passes Word's own ``<w:noBreakHyphen/>`` markup. Also
    correct on XML-escaped text (an entity such as ``&#34;`` never touches a hyphen).
    """
    if "-" not in text:
        return text
    if isinstance(text, Verbatim):
        return text.map_tool(lambda part: bind_hyphens(part, hyphen))
    if not _DIGIT.search(text):  # no code with a digit in it anywhere
        return text
    return _NUMBER_TOKEN.sub(
        lambda m: m.group().replace("-", hyphen) if _DIGIT.search(m.group()) else m.group(), text
    )


def _wrapped(text: str) -> bool:
    """``(…)`` as a whole, its parentheses matching each other (not «(a) и (b)»)."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index < len(text) - 1:
            return False
    return depth == 0


_PLAIN_ASIDE = re.compile(r"[\w\s.,:;№«»\"'*/+\-–—]+")


def with_aside(text: str, aside: str | None) -> str:
    """``text (aside)`` without doubled parentheses: never «((…))», «(… (…) …)» or «…) (…».

    Where parentheses would nest or follow each other, the aside follows a dash instead («… копеек) — картой
    ****1234»). The user's own text is printed as typed, parentheses included (tests/test_hostile_input.py).
    """
    aside = (aside or "").strip()
    if not aside:
        return text
    if _wrapped(aside) and not text.rstrip().endswith(")") and aside.count("(") == 1:
        return f"{text} {aside}"  # already in its own parentheses: printed as typed
    if "(" in aside or ")" in aside or text.rstrip().endswith(")"):
        return f"{text} — {aside}"
    return f"{text} ({aside})"


_NUMBER_SIGN = re.compile(r"^(?:№+|N[o°º]?\.?(?=\s*\d)|#)\s*", re.IGNORECASE)


def numbered(label: str, reference: str) -> str:
    """«обращение № 88112» (or «№ 88112» without a label): a reference typed with its own «№»/«N»/«#» gets one
    sign; a phrase («Претензия по заказу № H12345678») follows a colon (or stands alone) instead of «№»."""
    ref = _NUMBER_SIGN.sub("", reference.strip())
    if ref and not _DIGIT.search(ref.split()[0]):
        return f"{label}: {ref}" if label else ref
    return f"{label} № {ref}" if label else f"№ {ref}"


def tidy_parentheses(text: str) -> str:
    """No parentheses inside parentheses: «(0,5 % суммы (4 571,00 руб.) за день)» → «(0,5 % суммы, 4 571,00 руб., за
    день)»; a doubled pair «((…))» → «(…)».

    An inner pair becomes commas (none where a comma, colon or the outer bracket is already there). Unmatched
    parentheses and the grouping of a formula («× (a + b)») are left as they are. For sentences the tool composes;
    see also :func:`with_aside`.
    """
    if text.count("(") < 2:
        return text
    stack: list[int] = []
    parent: dict[int, int] = {}  # inner opening index -> its outer opening index
    close: dict[int, int] = {}  # opening index -> closing index
    for match in _PARENTHESIS.finditer(text):  # the parentheses only, not every character
        index = match.start()
        if match.group() == "(":
            if stack:
                parent[index] = stack[-1]
            stack.append(index)
        elif stack:
            close[stack.pop()] = index
    inner = {o: close[o] for o in parent if o in close and parent[o] in close}
    if not inner:
        return text
    drop: set[int] = set()
    comma: set[int] = set()
    for o, c in inner.items():
        if any(sign in text[o:c] for sign in "+×=−"):
            continue  # grouping in a formula: «(0,5 % × (4 870,00 руб. + 299,00 руб.))»
        outer_o, outer_c = parent[o], close[parent[o]]
        if not text[outer_o + 1:o].strip() and not text[c + 1:outer_c].strip():
            drop.update((o, c))  # «((…))»
            continue
        before = text[:o].rstrip()
        if before.endswith(("(", ",", ";", ":", "—", "–")) or o - 1 in drop:
            drop.add(o)
        else:
            comma.add(o)
        after = text[c + 1:].lstrip()
        if not after or after[0] in ",.;:!?)":
            drop.add(c)
        else:
            comma.add(c)
    if not drop and not comma:
        return text
    out: list[str] = []  # pieces of the text between the changed parentheses, and the commas put in
    commas: set[int] = set()  # positions in ``out`` of the commas put in
    pos = 0
    for index in sorted(drop | comma):
        out.append(text[pos:index])
        pos = index + 1
        if index in drop:
            continue
        if text[index] == "(":
            while out and len(out) - 1 not in commas:  # no space before the comma (a comma put in stays)
                kept = out[-1].rstrip(" \u00a0")
                if kept:
                    out[-1] = kept
                    break
                out.pop()
            commas.add(len(out))
            out.append(", ")
            if text.startswith(" ", pos):
                pos += 1  # «товара ( 4 571» -> «товара, 4 571»
        else:
            commas.add(len(out))
            out.append(",")
    out.append(text[pos:])
    return "".join(out)


_PARENTHESIS = re.compile(r"[()]")
