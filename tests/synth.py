"""Deterministic made-up Ukrainian news articles for the stress tests (crash loops, big
imports, concurrency): sentences assembled from a small hand-written vocabulary."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

SUBJECTS = ["Міська рада", "Уряд", "Обласна адміністрація", "Громада села", "Волонтери", "Лікарі",
            "Вчителі", "Студенти", "Фермери", "Рятувальники", "Науковці", "Митці", "Підприємці",
            "Депутати", "Мешканці району", "Бібліотекарі", "Спортсмени", "Залізничники"]
VERBS = ["ухвалила рішення про", "обговорили", "оголосили збір на", "відкрили", "відремонтували",
         "презентували", "підтримали", "розкритикували", "запланували", "завершили", "продовжили",
         "профінансували", "перевірили", "відновили", "зареєстрували"]
OBJECTS = ["новий міст через річку", "мовні табори для дітей", "ремонт школи", "будівництво лікарні",
           "програму підтримки фермерів", "фестиваль народної музики", "укриття в підвалах",
           "нові автобуси", "сонячну електростанцію", "читальну залу бібліотеки", "дитячий майданчик",
           "водогін у селі", "конкурс молодих науковців", "виставку сучасного мистецтва",
           "стипендії для студентів", "маршрут електрички", "реконструкцію парку", "пункт незламності"]
PLACES = ["у Києві", "у Львові", "в Одесі", "у Харкові", "у Вінниці", "в Ужгороді", "у Полтаві",
          "на Житомирщині", "на Буковині", "у Чернігові", "в Івано-Франківську", "у Дніпрі", "у Сумах"]
TAILS = ["Про це повідомила пресслужба.", "Роботи триватимуть до кінця року.",
         "Мешканці позитивно оцінили новину.", "Кошти виділили з місцевого бюджету.",
         "Наступне засідання відбудеться за тиждень.", "Організатори запрошують усіх охочих.",
         "Журналісти поспілкувалися з учасниками.", "Деталі обіцяють оприлюднити згодом."]
SOURCES = ["Тестова правда", "Вісті громади", "Обласний вісник", "Радіо Село"]

#: A word every generated article contains (its lemma), for "finds everything" checks.
COMMON_WORD = "новина"


def sentence(rnd: random.Random) -> str:
    return f"{rnd.choice(SUBJECTS)} {rnd.choice(PLACES)} {rnd.choice(VERBS)} {rnd.choice(OBJECTS)}."


def article(rnd: random.Random, art_id: str, *, paragraphs: int = 3, version: int = 0) -> dict[str, object]:
    """One article; ``version`` changes the text (an update of the same id)."""
    paras = []
    for _ in range(paragraphs):
        paras.append(" ".join([sentence(rnd) for _ in range(rnd.randint(2, 5))] + [rnd.choice(TAILS)]))
    paras.append(f"Це новина номер {art_id}, редакція {version}.")
    year = rnd.randint(2015, 2025)
    return {
        "id": art_id,
        "title": sentence(rnd).rstrip("."),
        "text": "\n\n".join(paras),
        "date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "source": rnd.choice(SOURCES),
        "url": f"https://example.org/{art_id}",
    }


def articles(n: int, *, seed: int = 1, prefix: str = "s", version: int = 0,
             paragraphs: int = 3) -> Iterator[dict[str, object]]:
    rnd = random.Random(f"{seed}-{version}")
    for i in range(n):
        yield article(rnd, f"{prefix}{i:06d}", paragraphs=paragraphs, version=version)


def write_jsonl(path: Path, records: Iterator[dict[str, object]]) -> list[str]:
    """Write ``records`` as JSONL; returns their ids in order."""
    ids = []
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
            ids.append(str(r["id"]))
    return ids
