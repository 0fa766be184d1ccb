"""Format numbers for prose the same way everywhere ("69,460", "16%", "£1.2 billion")."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def rounded(value, digits: int = 0) -> Decimal:
    """Round half away from zero, as official tables do (92.5 -> 93): Decimal on the value's shortest repr,
    so a float's binary error (2.675) and Python's round-half-even never decide a half."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(value, digits: int = 0) -> str:
    """Thousands separators; `digits` decimal places."""
    return f"{rounded(value, digits):,.{digits}f}"


def percent(value, digits: int = 0, signed: bool = False) -> str:
    """A percentage given in percent units (16.2 -> "16%")."""
    shown = rounded(abs(value) if not signed else value, digits)
    text = f"{shown:{'+' if signed else ''}.{digits}f}%"
    return text.replace("-", "−") if signed else text


def change(old, new) -> float:
    """Percentage change from old to new."""
    return (new - old) / old * 100


def rose_or_fell(value) -> str:
    return "rose" if value > 0 else "fell" if value < 0 else "did not change"


def money(value) -> str:
    """Pounds with a scale word: £950 million, £1.2 billion."""
    if abs(value) >= 1e9:
        return f"£{number(value / 1e9, 1)} billion"
    if abs(value) >= 1e6:
        return f"£{number(value / 1e6)} million"
    return f"£{number(value)}"


def share(part, whole, digits: int = 0) -> str:
    return percent(part / whole * 100, digits)


def fraction_words(value: float) -> str:
    """0.74 -> "about three quarters": the plain-words reading of a share."""
    words = {1 / 4: "a quarter", 1 / 3: "a third", 1 / 2: "half", 2 / 3: "two thirds",
             3 / 4: "three quarters", 4 / 5: "four in five", 9 / 10: "nine in ten"}
    nearest = min(words, key=lambda f: abs(f - value))
    return ("about " if not math.isclose(nearest, value, abs_tol=0.005) else "") + words[nearest]


def financial_year(year: int) -> str:
    """The financial year ending in March of `year`: 2015 -> "2014-15"."""
    year = int(year)
    return f"{year - 1}-{year % 100:02d}"


def day_month_year(date) -> str:
    """A date in words: "31 March 2016"."""
    return f"{date.day} {date:%B %Y}"


def month_year(date) -> str:
    """A month in words: "May 2025"."""
    return f"{date:%B %Y}"


def times_words(ratio: float) -> str:
    """How many times larger, in words: 2.8 -> "nearly trebled", 2.1 -> "more than doubled"."""
    steps = [(4, "more than quadrupled"), (3.75, "nearly quadrupled"), (3, "more than trebled"),
             (2.75, "nearly trebled"), (2, "more than doubled"), (1.8, "nearly doubled")]
    for floor, words in steps:
        if ratio >= floor:
            return words
    return f"risen by {percent((ratio - 1) * 100)}" if ratio >= 1 else f"fallen by {percent((1 - ratio) * 100)}"


def count_words(value: int, zero: str = "zero") -> str:
    """Small whole numbers in words, as prose writes them ("four"); larger ones as digits. `zero` names
    nought where the sentence wants "none" or "no"."""
    words = [zero, "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    value = int(rounded(value))
    return words[value] if 0 <= value < len(words) else number(value)


def all_or_some(part: int, whole: int) -> str:
    """ "all seven" when the part is the whole, else "five of the seven"."""
    part, whole = int(part), int(whole)
    return f"all {count_words(whole)}" if part == whole else f"{count_words(part)} of the {count_words(whole)}"


def and_list(items) -> str:
    """["a", "b", "c"] -> "a, b and c" (for naming years or places in prose)."""
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
