"""Format numbers for prose the same way everywhere ("69,460", "16%", "£1.2 billion")."""

from __future__ import annotations

import math


def number(value, digits: int = 0) -> str:
    """Thousands separators; `digits` decimal places."""
    return f"{value:,.{digits}f}"


def percent(value, digits: int = 0, signed: bool = False) -> str:
    """A percentage given in percent units (16.2 -> "16%")."""
    text = f"{abs(value) if not signed else value:{'+' if signed else ''}.{digits}f}%"
    return text.replace("-", "−") if signed else text


def change(old, new) -> float:
    """Percentage change from old to new."""
    return (new - old) / old * 100


def rose_or_fell(value) -> str:
    return "rose" if value > 0 else "fell" if value < 0 else "did not change"


def money(value) -> str:
    """Pounds with a scale word: £950 million, £1.2 billion."""
    if abs(value) >= 1e9:
        return f"£{value / 1e9:,.1f} billion"
    if abs(value) >= 1e6:
        return f"£{value / 1e6:,.0f} million"
    return f"£{value:,.0f}"


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


def count_words(value: int) -> str:
    """Small whole numbers in words, as prose writes them ("four"); larger ones as digits."""
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    value = int(round(value))
    return words[value] if 0 <= value < len(words) else number(value)
