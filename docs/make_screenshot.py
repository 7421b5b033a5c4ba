"""Draw docs/tui.svg and docs/tui-reader.svg: the terminal UI on a small demo archive.

usage: python docs/make_screenshot.py [FOLDER]      (default: the folder of this script)

The demo articles below are short texts written for this picture. The script builds a
throwaway home, runs the app headless at 110x34 and saves what the screen shows.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
from pathlib import Path

from searchkit import Engine
from searchkit.tui import SearchApp

DEMO = [
    ("2016-05-12", "Час Київщини", "Мовні табори відкриються в кожному районі",
     "Цього літа мовні табори працюватимуть у кожному районі області. Діти вивчатимуть англійську "
     "мову з волонтерами з Канади та США. Записатися до табору можна у школі."),
    ("2016-06-03", "Вісті Полтавщини", "У таборі під Полтавою говорять лише англійською",
     "Понад сто дітей відпочивають у мовному таборі під Полтавою. У таборі діє просте правило: "
     "жодного слова українською до вечора. Мовні табори стали популярними після того, як рік "
     "оголосили Роком англійської мови."),
    ("2016-06-21", "Громада", "Батьки просять продовжити мовні табори на серпень",
     "Батьки учнів звернулися до міськради з проханням продовжити роботу мовних таборів. "
     "Черги на запис у таборах зібралися вже в перший день."),
    ("2016-07-08", "Час Київщини", "Волонтери з Канади навчають дітей у таборах",
     "Двадцять волонтерів приїхали викладати у літніх таборах. Вони кажуть, що українські діти "
     "швидко починають говорити, коли мова стає грою."),
    ("2016-08-30", "Вісті Полтавщини", "Підсумки літа: у мовних таборах навчалися дві тисячі дітей",
     "Управління освіти підбило підсумки: цього літа у мовних таборах області навчалися дві тисячі "
     "дітей. Наступного року таборів стане більше."),
    ("2017-06-14", "Громада", "Мовний табір удруге збирає дітей",
     "Другий рік поспіль у селі працює мовний табір. Цього разу діти вивчають не лише англійську, "
     "а й польську мову."),
    ("2017-07-02", "Час Київщини", "Табори без мобільних телефонів",
     "Організатори мовних таборів вирішили забирати телефони на час занять. Діти спершу "
     "обурювалися, а потім почали більше розмовляти."),
    ("2018-06-20", "Вісті Полтавщини", "Місто виділило кошти на мовні табори",
     "Депутати міської ради виділили кошти на мовні табори для дітей з малозабезпечених родин."),
    ("2019-07-11", "Громада", "Табір для вчителів: вчаться і дорослі",
     "Цього року мовний табір відкрили й для вчителів. Двадцять педагогів удосконалюють англійську "
     "мову разом з носіями мови."),
    ("2016-04-18", "Громада", "Весняна повінь підтопила городи",
     "Через сильні дощі річка вийшла з берегів і підтопила городи на околиці села."),
    ("2017-03-05", "Час Київщини", "Новий міст відкрили раніше строку",
     "Будівельники завершили ремонт мосту на місяць раніше, ніж обіцяли."),
]


def build_home(root: Path) -> Engine:
    feed = root / "demo.jsonl"
    with open(feed, "w", encoding="utf-8") as f:
        for i, (date, source, title, text) in enumerate(DEMO, 1):
            f.write(json.dumps({"id": f"demo-{i:02d}", "date": date, "source": source, "title": title,
                                "text": text}, ensure_ascii=False) + "\n")
    eng = Engine.init(root / "home")
    eng.import_paths([feed])
    return eng


def _stable(svg: str) -> str:
    """``svg`` with the class names Rich draws from a random number (``terminal-702953650``)
    given one fixed name: the same picture is the same file. (The status line's time is
    the search's own, measured as drawn, so a new drawing changes that figure alone.)"""
    return re.sub(r"\bterminal-\d+", "terminal-searchkit", svg)


async def shoot(eng: Engine, results_svg: Path, reader_svg: Path) -> None:
    from searchkit.tui import ReaderScreen

    app = SearchApp(eng, query="мовні табори")
    async with app.run_test(size=(110, 34)) as pilot:
        for _ in range(200):  # until the results are in
            await pilot.pause(0.05)
            if getattr(app.screen, "results", None) is not None:
                break
        await pilot.press("down", "down")
        await pilot.pause(0.2)
        results_svg.write_text(_stable(app.export_screenshot(title="searchkit tui")), encoding="utf-8")
        screen = app.screen
        screen.query_one("#results").highlighted = next(  # «У таборі під Полтавою…»: three matches
            i for i, hit in enumerate(screen.hits) if hit.id == "demo-02")
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause(0.05)
            if isinstance(app.screen, ReaderScreen):
                break
        await pilot.press("n")
        await pilot.pause(0.2)
        reader_svg.write_text(_stable(app.export_screenshot(title="searchkit tui: the reader")), encoding="utf-8")


def main() -> None:
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        print(__doc__.strip().splitlines()[2])
        sys.exit(0 if sys.argv[1:] in (["-h"], ["--help"]) else 2)
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    if not folder.is_dir():
        sys.exit(f"{folder}: no such folder")
    results_svg, reader_svg = folder / "tui.svg", folder / "tui-reader.svg"
    with tempfile.TemporaryDirectory() as tmp:
        eng = build_home(Path(tmp))
        try:
            asyncio.run(shoot(eng, results_svg, reader_svg))
        finally:
            eng.close()
    print(f"wrote {results_svg} and {reader_svg}")


if __name__ == "__main__":
    main()
