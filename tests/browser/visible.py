"""What a person sees on a page, checked the way they would notice it: English words on a
French page, and content cut off by the box it sits in."""

import csv
import json
import re
from collections.abc import Iterable
from functools import lru_cache

from babel.messages.pofile import read_po
from playwright.sync_api import Page

from api.web.i18n import FOLDER
from config import REPOSITORY

DATA = REPOSITORY / "data"
FRAMEWORKS = DATA / "frameworks"
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# Names of things, formats and standards: the same in both languages.
PROPER = {
    "open", "badges", "badge", "wordpress", "json", "png", "svg", "jwt", "jws", "jwk", "ecf",
    "esco", "digcomp", "rna", "siren", "siret", "probono", "ob", "vc", "eddsa", "rs", "es",
    "csv", "xlsx", "email", "e-mail", "ok", "web", "newsletter", "ics", "pro", "bono",
}  # fmt: skip


# Addresses are names, not words: a URL or an email says nothing of the page's language.
ADDRESS = re.compile(r"\S+://\S+|\S+@\S+")


def words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(ADDRESS.sub(" ", text)) if len(word) > 2}


def _catalogue_texts(path: str) -> tuple[list[str], list[str]]:
    with (FOLDER / path).open("rb") as file:
        catalog = read_po(file, locale="fr")
    english: list[str] = []
    french: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        english.extend(str(i) for i in ids)
        french.extend(str(s) for s in strings)
    return english, french


def _column(name: str, *columns: str) -> list[str]:
    with (FRAMEWORKS / name).open(encoding="utf-8") as file:
        return [row[column] for row in csv.DictReader(file) for column in columns if row[column]]


def _french_of(name: str) -> list[str]:
    """The French texts of one of the team's catalogues (the values of its `_fr` keys)."""
    found: list[str] = []

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key.endswith("_fr"):
            found.append(value)

    walk(json.loads((DATA / name).read_text("utf-8")))
    return found


@lru_cache(maxsize=1)
def english_only() -> frozenset[str]:
    """Words of the English catalogue and of the frameworks' English titles that the
    team's French texts never use (many words are both: "application", "support"): one of
    them on a French page is English showing through."""
    english, french = _catalogue_texts("fr/LC_MESSAGES/messages.po")
    english += _column("ecf_4_0_competences.csv", "title", "area")
    english += _column("ecf_areas.csv", "title_en")
    english += _column("digcomp_2_2_areas.csv", "title_en")
    french += _column("ecf_areas.csv", "title_fr")
    french += _column("digcomp_2_2_areas.csv", "title_fr")
    french += _column("ecf_levels_fr.csv", "title_fr")
    for texts in ("ecf_4_0_texts.csv", "digcomp_2_2_texts.csv"):
        french += _column(texts, "title_fr", "description_fr")
    french += _french_of("scoping/templates.json") + _french_of("demo/need_templates.json")
    french_words = set().union(*(words(text) for text in french))
    english_words = set().union(*(words(text) for text in english))
    return frozenset(english_words - french_words - PROPER)


# Words marked as another language than the page's (`lang`, WCAG 3.1.2) are left out: a
# badge's own words, a library's English error, the name of the other language.
VISIBLE_TEXT = """() => {
  const page = document.documentElement.lang;
  const foreign = [...document.body.querySelectorAll('[lang]')].filter(e => e.lang !== page);
  const shown = foreign.map(e => e.style.display);
  foreign.forEach(e => { e.style.display = 'none'; });
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const said = [];
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) said.push(el.getAttribute(name));
    }
  }
  const text = document.body.innerText + '\\n' + document.title + '\\n' + said.join('\\n');
  document.querySelectorAll('details').forEach(d => { d.open = false; });
  foreign.forEach((e, i) => { e.style.display = shown[i]; });
  return text;
}"""


def english_on_page(page: Page, typed: Iterable[str]) -> list[str]:
    """The English words a French page shows, leaving out what the test itself typed."""
    own = set().union(*(words(text) for text in typed))
    seen = words(page.evaluate(VISIBLE_TEXT))
    return sorted(seen & english_only() - own)


CUT_OFF = """() => {
  const cut = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;  // visually hidden on purpose
    // A text field scrolls what is typed in it: not cut off.
    const field = ['INPUT', 'TEXTAREA'].includes(el.tagName);
    const clips = !field && ['hidden', 'clip'].includes(style.overflowX);
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      cut.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ': '
               + (el.innerText || '').slice(0, 60));
    }
    if (el.tagName === 'SELECT' && el.selectedIndex >= 0) {
      // A closed menu shows its chosen option: it must fit the box.
      const probe = document.createElement('span');
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:'
                            + style.font;
      probe.textContent = el.options[el.selectedIndex].text;
      document.body.appendChild(probe);
      const room = el.clientWidth - parseFloat(style.paddingLeft)
                   - parseFloat(style.paddingRight);
      if (probe.offsetWidth > room + 1) cut.push('select[name=' + el.name + ']: '
                                                  + probe.textContent);
      probe.remove();
    }
  }
  const right = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > right + 1 && getComputedStyle(el).position !== 'fixed') {
      let scroller = el.parentElement;
      while (scroller && !['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX)) {
        scroller = scroller.parentElement;
      }
      if (!scroller || scroller === document.documentElement) {
        cut.push(el.tagName.toLowerCase() + ' sticks out: ' + (el.innerText || '').slice(0, 60));
      }
    }
  }
  return cut.slice(0, 10);
}"""


def cut_off(page: Page) -> list[str]:
    """Content that its box cuts off or that leaves the window without a scroll bar of its
    own to reach it: tables must reflow or scroll inside their box."""
    return list(page.evaluate(CUT_OFF))
