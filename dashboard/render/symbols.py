"""How the map draws things: event categories (colour and shape), the choropleth classes.

One table for the live map, the standalone HTML and the PNG, so their legends agree.

Rules, checked in tests/test_mapview.py with a colour-vision-deficiency simulation
(colour-science, Machado et al. 2009) rather than by eye:
- at most eight categories, each with its own shape and colour;
- every marker colour keeps a WCAG contrast of at least 3:1 against every state fill
  (composited at STATE_FILL_OPACITY over white and over OpenStreetMap's land colour),
  for normal vision and the three simulated deficiencies;
- "0 incidents" and neighbouring classes stay apart (CIEDE2000) under the same simulations.
Markers also get a white halo (their outline), which separates them from each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from dashboard.model.schema import ACLED_EVENT_TYPES, EVENT_TYPES
from dashboard.text.i18n import DEFAULT_LANGUAGE, N_, format_number, gettext_for


@dataclass(frozen=True)
class Category:
    key: str
    label: str  # English message id; legends show gettext_for(lang, label)
    colour: str  # marker fill, sRGB hex
    shape: str  # circle, triangle, diamond, square, triangle-down, plus, hexagon
    types: tuple[str, ...]  # the schema's event types it groups


# Twelve event types grouped into what a reader needs to tell apart. Colours are dark
# enough to stand out on the light state ramp; shapes keep them apart where colours
# converge for readers with a colour-vision deficiency (red and brown for deuteranopes).
CATEGORIES: tuple[Category, ...] = (
    Category("blockade", N_("Road blockade"), "#972007", "circle", ("blockade",)),
    Category(
        "arson", N_("Burning (vehicles, businesses)"), "#7E3C00", "triangle",
        ("vehicle_arson", "business_arson"),
    ),
    Category(
        "violence", N_("Armed clash or killing"), "#000000", "diamond", ("armed_clash", "killing"),
    ),
    Category(
        "security", N_("Security forces (raid, arrest, deployment)"), "#00508A", "square",
        ("raid", "arrest", "security_deployment"),
    ),
    Category(
        "disruption", N_("Transport or public-order disruption"), "#075A40", "triangle-down",
        ("transport_disruption", "public_order_measure"),
    ),
    Category("statement", N_("Official statement"), "#642779", "plus", ("official_statement",)),
    Category("other", N_("Other"), "#4C4C4C", "hexagon", ("other",)),
)  # fmt: skip
# An ACLED file's records are ACLED's six event types (schema.ACLED_EVENT_TYPES): its map
# and legends use this palette instead, each type its own category. The colour and shape
# pairs are the checked ones above (contrast and colour-vision rules), so both palettes
# keep them; a file is drawn in one palette (palette_of), never both.
ACLED_CATEGORIES: tuple[Category, ...] = (
    Category("battles", N_("Battles"), "#000000", "diamond", ("battles",)),
    Category(
        "violence_against_civilians", N_("Violence against civilians"), "#972007", "circle",
        ("violence_against_civilians",),
    ),
    Category(
        "explosions_remote_violence", N_("Explosions/Remote violence"), "#7E3C00", "triangle",
        ("explosions_remote_violence",),
    ),
    Category("riots", N_("Riots"), "#075A40", "triangle-down", ("riots",)),
    Category("protests", N_("Protests"), "#642779", "plus", ("protests",)),
    Category(
        "strategic_developments", N_("Strategic developments"), "#00508A", "square",
        ("strategic_developments",),
    ),
    Category("other", N_("Other"), "#4C4C4C", "hexagon", ("other",)),
)  # fmt: skip
PALETTES: dict[str, tuple[Category, ...]] = {"ours": CATEGORIES, "acled": ACLED_CATEGORIES}
# A category's short name, for the live map's compact legend (narrow maps: phones and
# article-width embeds), where two columns of names must fit beside the map's data; the
# full name (Category.label) stays the legend's accessible text.
SHORT_LABELS: dict[str, str] = {
    "blockade": N_("Blockade"),
    "arson": N_("Burning"),
    "violence": N_("Clash or killing"),
    "security": N_("Security forces"),
    "disruption": N_("Transport, order"),
    "statement": N_("Statement"),
    "other": N_("Other"),
    "battles": N_("Battles"),
    "violence_against_civilians": N_("Against civilians"),
    "explosions_remote_violence": N_("Explosions"),
    "riots": N_("Riots"),
    "protests": N_("Protests"),
    "strategic_developments": N_("Strategic"),
}
SITE_COLOUR = "#b2182b"  # the operation site's star, on every map and image
CATEGORY_OF: dict[str, int] = {t: i for i, c in enumerate(CATEGORIES) for t in c.types}
OTHER = next(i for i, c in enumerate(CATEGORIES) if c.key == "other")
# Each event type's marker colour (its category's), for charts and tables that colour by type.
EVENT_COLOURS: dict[str, str] = {
    **{t: c.colour for c in ACLED_CATEGORIES for t in c.types},
    **{t: CATEGORIES[CATEGORY_OF[t]].colour for t in CATEGORY_OF},
}
HALO = "#ffffff"

# Choropleth: (lowest count, label) per class at scale 1; "0" has its own class (white).
# Light blues from CIELAB L* 92 to 68 (hue 270°, chroma 10 to 30), so dark markers keep 3:1.
# The classes scale with the counts in view (StateClasses, state_classes): these are the
# classes of a view whose largest state count is at most 50 (the bundled data's windows).
BINS = ((1, "1–2"), (3, "3–5"), (6, "6–10"), (11, "11–25"), (26, N_("26 or more")))
OPEN_CLASS = N_("{n} or more")  # the last class's label: "26 or more"
# Each class's upper bound at scale 1 (the last class is open); a scale multiplies them.
CLASS_TOPS = (2, 5, 10, 25)
# Scales: 1, 2, 5, 10, 20, 50, ... (the "nice" 1-2-5 series), so every bound is round.
_SCALE_STEPS = (1, 2, 5)
ZERO_COLOUR = "#ffffff"
STATE_PALETTE = ("#dee9fb", "#c8d8f3", "#b1c8eb", "#9ab8e3", "#82a8db")
STATE_FILL_OPACITY = 0.9
STATE_EDGE = "#5b5b5b"
OSM_LAND = "#f2efe9"  # the basemap's land colour, under the translucent state fills

# matplotlib marker codes for the PNG, drawn like the live map's canvas shapes.
MPL_MARKERS = {
    "circle": "o",
    "triangle": "^",
    "diamond": "D",
    "square": "s",
    "triangle-down": "v",
    "plus": "P",
    "hexagon": "h",
}

assert set(CATEGORY_OF) == set(EVENT_TYPES) - set(ACLED_EVENT_TYPES), "every type a category"
assert {t for c in ACLED_CATEGORIES for t in c.types} == set(ACLED_EVENT_TYPES) | {"other"}
assert all(len(p) <= 8 for p in PALETTES.values())
assert {(c.colour, c.shape) for c in ACLED_CATEGORIES} <= {(c.colour, c.shape) for c in CATEGORIES}


def palette_of(event_types) -> str:
    """The palette (PALETTES key) records of these event types are drawn in: "acled" when
    some are ACLED's types and the rest at most "other" (an ACLED file), else "ours"
    (where an ACLED type among ours is drawn as Other)."""
    types = set(event_types)
    acled = types & set(ACLED_EVENT_TYPES)
    return "acled" if acled and types <= set(ACLED_EVENT_TYPES) | {"other"} else "ours"


def category_index(palette: str) -> dict[str, int]:
    """Event type -> the index of its category in PALETTES[palette]; a type the palette
    lacks is its Other (last) category: use .get(t, len(palette) - 1)."""
    return {t: i for i, c in enumerate(PALETTES[palette]) for t in c.types}


def category(event_type: str, palette: str = "ours") -> Category:
    """The category an event type is drawn as in a palette (unknown types: Other)."""
    categories = PALETTES[palette]
    return categories[category_index(palette).get(event_type, len(categories) - 1)]


@dataclass(frozen=True)
class StateClasses:
    """The choropleth's five classes of incidents per state: 1 to 2s, 2s+1 to 5s, 5s+1 to
    10s, 10s+1 to 25s and more than 25s, for a `scale` s of the 1-2-5 series (1, 2, 5,
    10, 20, ...); 0 is its own (white) class. Scale 1 is BINS: 1–2, 3–5, 6–10, 11–25, 26+.
    One object serves the live map, its legend, the PNG, the standalone HTML and the
    sentence under the map (`state_classes` picks it from the counts in view)."""

    scale: int = 1
    largest: int = 0  # the largest state count in view the scale was chosen for

    @property
    def lows(self) -> tuple[int, ...]:
        """The lowest count of each class (ints, ascending): (1, 3, 6, 11, 26) at scale 1."""
        return (1, *(top * self.scale + 1 for top in CLASS_TOPS))

    def index(self, count: int) -> int:
        """0 for no incidents, else 1 + the index of `count`'s class in `lows`."""
        if count <= 0:
            return 0
        return 1 + max(i for i, low in enumerate(self.lows) if count >= low)

    def colour(self, count: int) -> str:
        """Fill colour (sRGB hex) for a state with `count` incidents in the window."""
        index = self.index(count)
        return ZERO_COLOUR if index == 0 else STATE_PALETTE[index - 1]

    def labels(self, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> list[str]:
        """Each class as text in `lang`: "1–2", ..., "26 or more" ("26+" when `short`);
        numbers grouped as the language writes them ("1,001–2,500")."""
        lows = self.lows
        number = partial(format_number, lang=lang)
        ranges = [f"{number(low)}–{number(lows[i + 1] - 1)}" for i, low in enumerate(lows[:-1])]
        top = lows[-1]
        if short:
            return [*ranges, f"{number(top)}+"]
        return [*ranges, gettext_for(lang, OPEN_CLASS).format(n=number(top))]

    def bins(self) -> list[list]:
        """[[lowest count, colour], ...] per class, as the live map's JavaScript reads them
        (TapalpaMap.colourFor)."""
        return [[low, colour] for low, colour in zip(self.lows, STATE_PALETTE, strict=True)]

    def ramp(self, lang: str = DEFAULT_LANGUAGE, short: bool = False) -> list[tuple[str, str]]:
        """(colour, label) for a legend: "0" first, then each class, in `lang`."""
        labels = self.labels(lang, short)
        return [(ZERO_COLOUR, "0")] + list(zip(STATE_PALETTE, labels, strict=True))


DEFAULT_CLASSES = StateClasses()


def state_classes(counts: Iterable[int]) -> StateClasses:
    """The classes for the state counts in view (incidents per state, ints): scale 1
    (BINS) while the largest count is at most 50; above, the largest scale s of the
    1-2-5 series whose open class (more than 25s) still holds the largest count, so the
    classes spread over the view's own range (a year of ACLED rows, thousands per state,
    is not one class "26+"). Rule of this module, chosen so every bound is a round
    number and the bundled data's windows keep their classes."""
    largest = max((int(n) for n in counts), default=0)
    scale = 1
    for candidate in _scales():
        if CLASS_TOPS[-1] * candidate >= largest:
            break
        scale = candidate
    return StateClasses(scale, largest)


def _scales():
    power = 1
    while True:
        for step in _SCALE_STEPS:
            yield step * power
        power *= 10


def state_class(count: int, classes: StateClasses = DEFAULT_CLASSES) -> int:
    """0 for no incidents, else 1 + the index of the class in `classes` (BINS by default)."""
    return classes.index(count)


def state_colour(count: int, classes: StateClasses = DEFAULT_CLASSES) -> str:
    """Fill colour (sRGB hex) for a state with `count` incidents in the window."""
    return classes.colour(count)


def ramp(
    lang: str = DEFAULT_LANGUAGE, short: bool = False, classes: StateClasses = DEFAULT_CLASSES
) -> list[tuple[str, str]]:
    """(colour, label) for the legend: "0" first, then each class, in `lang`; `short`
    writes the open class as "26+" (the live map's narrow legend)."""
    return classes.ramp(lang, short)
