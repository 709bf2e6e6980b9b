"""Option values in Russian beside the English contract values: ``--channel почта`` is ``--channel post``.

The words are data (one table per option); :class:`Choice` turns a table into a typer ``parser``, the help text and
shell completion. Imported at start-up (help texts list the words), so it imports nothing heavy. The case file and
JSON keep the English values: they are the contract; the Russian words are what people type.
"""

from __future__ import annotations

import re

# The first word of each row is the one shown in help and errors; the rest are accepted too. Derived from the
# wizard's labels (model.CHANNEL_LABELS: «Через приложение (чат поддержки)», «Заказным письмом по почте», …).
CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "app": ("приложение", "чат", "чат поддержки"),
    "website": ("сайт", "форма на сайте"),
    "phone": ("телефон", "горячая линия", "звонок"),
    "email": ("e-mail", "электронная почта", "эл. почта", "имейл", "емейл", "мейл"),
    "office": ("офис", "лично"),
    "post": ("почта", "заказное письмо", "письмо", "почта россии"),
}

# tracking.OUTCOMES: satisfied — требования удовлетворены, partial — частично, refused — отказано.
OUTCOME_WORDS: dict[str, tuple[str, ...]] = {
    "satisfied": ("удовлетворено", "удовлетворены", "удовлетворена", "удовлетворили"),
    "partial": ("частично", "удовлетворено частично", "удовлетворены частично", "частичное удовлетворение"),
    "refused": ("отказ", "отказано", "отказали"),
}

DOCUMENT_WORDS: dict[str, tuple[str, ...]] = {
    "claim": ("претензия",),
    "rospotrebnadzor": ("роспотребнадзор", "жалоба", "жалоба в роспотребнадзор"),
}


# The letters (escalate --only, batch --letters, templates check --kind); «review» is escalate's draft review and
# «bank» its request to dispute a card payment (escalate only).
LETTER_WORDS: dict[str, tuple[str, ...]] = {
    "claim": ("претензия",),
    "inaction": ("повторная", "повторная претензия", "бездействие", "на бездействие"),
    "rospotrebnadzor": ("роспотребнадзор", "жалоба", "жалоба в роспотребнадзор"),
    "court": ("иск", "суд", "исковое заявление"),
    "review": ("отзыв",),
    "bank": ("банк", "заявление в банк", "оспаривание операции", "диспут"),
}
ESCALATE_ONLY = ("review", "bank")


def _key(text: str) -> str:
    """What is compared: case, «ё», spaces and a Latin/Cyrillic «е» in «e-mail» do not matter."""
    return re.sub(r"\s+", "", text.strip().lower().replace("ё", "е")).replace("e", "е")


class Choice:
    """One option's accepted values: the English contract value or any of its Russian words."""

    def __init__(self, what: str, words: dict[str, tuple[str, ...]]) -> None:
        self.what = what  # «способ отправки» — for the error message
        self.words = words

    def __call__(self, value: str) -> str:
        """typer ``parser``: the contract value for ``value``; a typer.BadParameter (exit 2) names the words."""
        found = self.lookup(value)
        if found is None:
            import typer

            raise typer.BadParameter(f"неизвестный {self.what} «{value.strip()[:40]}»; допустимо: {self.listing()}.")
        return found

    def lookup(self, value: str) -> str | None:
        key = _key(value)
        for contract, words in self.words.items():
            if key == _key(contract) or any(key == _key(w) for w in words):
                return contract
        return None

    def listing(self) -> str:
        """«приложение, сайт, … (или app, website, …)» — for help and errors."""
        return f"{', '.join(w[0] for w in self.words.values())} (или {', '.join(self.words)})"

    def many(self, value: str | None) -> str | None:
        """A comma-separated list («повторная,иск») as the contract values («inaction,court»); an unknown item is an
        error naming it (exit 2)."""
        if value is None:
            return None
        return ",".join(self(item) for item in value.split(",") if item.strip())

    def complete(self, incomplete: str) -> list[str]:
        """Shell completion: the Russian words first, then the contract values."""
        candidates = [w[0] for w in self.words.values()] + list(self.words)
        return [c for c in candidates if c.lower().startswith(incomplete.lower())]


CHANNEL = Choice("способ отправки", CHANNEL_WORDS)
OUTCOME = Choice("результат", OUTCOME_WORDS)
DOCUMENT = Choice("документ", DOCUMENT_WORDS)
LETTER = Choice("документ", {k: v for k, v in LETTER_WORDS.items() if k not in ESCALATE_ONLY})
ESCALATION_LETTER = Choice("документ", {k: v for k, v in LETTER_WORDS.items() if k != "claim"})
# batch --letters: the letters, the penalty appendix and the post-office kit of the claim (issue 18).
BATCH_WORDS: dict[str, tuple[str, ...]] = {
    **{k: v for k, v in LETTER_WORDS.items() if k not in ESCALATE_ONLY},
    "penalty": ("расчёт", "расчёт неустойки", "неустойка"),
    "post": ("опись", "опись и ярлык", "опись вложения"),
}
BATCH_LETTER = Choice("документ", BATCH_WORDS)
