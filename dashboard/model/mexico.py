"""Mexico's 32 states: codes, current names and local time zones.

States are joined on codes, never on names; the aliases exist only to read
sources (research tables, Natural Earth) that spell names their own way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MEXICO_CITY = ZoneInfo("America/Mexico_City")


@dataclass(frozen=True)
class State:
    cve_ent: str  # INEGI two-digit code
    iso_3166_2: str
    name: str  # current short official name
    zone: str  # IANA zone of the state capital
    aliases: tuple[str, ...] = ()

    @property
    def abbrev(self) -> str:
        """The ISO suffix ("JAL"): short enough for URLs and the CLI."""
        return self.iso_3166_2.removeprefix("MX-")


STATES: tuple[State, ...] = (
    State("01", "MX-AGU", "Aguascalientes", "America/Mexico_City"),
    State("02", "MX-BCN", "Baja California", "America/Tijuana"),
    State("03", "MX-BCS", "Baja California Sur", "America/Mazatlan"),
    State("04", "MX-CAM", "Campeche", "America/Merida"),
    State("05", "MX-COA", "Coahuila", "America/Monterrey", ("Coahuila de Zaragoza",)),
    State("06", "MX-COL", "Colima", "America/Mexico_City"),
    State("07", "MX-CHP", "Chiapas", "America/Mexico_City"),
    State("08", "MX-CHH", "Chihuahua", "America/Chihuahua"),
    State(
        "09",
        "MX-CMX",
        "Ciudad de México",
        "America/Mexico_City",
        ("Distrito Federal", "CDMX", "Mexico City", "D.F.", "DF", "Federal District"),
    ),
    State("10", "MX-DUR", "Durango", "America/Monterrey"),
    State("11", "MX-GUA", "Guanajuato", "America/Mexico_City"),
    State("12", "MX-GRO", "Guerrero", "America/Mexico_City"),
    State("13", "MX-HID", "Hidalgo", "America/Mexico_City"),
    State("14", "MX-JAL", "Jalisco", "America/Mexico_City"),
    State(
        "15",
        "MX-MEX",
        "México",
        "America/Mexico_City",
        ("Estado de México", "Edomex", "Edo. Méx.", "State of Mexico", "Mexico State"),
    ),
    State("16", "MX-MIC", "Michoacán", "America/Mexico_City", ("Michoacán de Ocampo", "Michoacan")),
    State("17", "MX-MOR", "Morelos", "America/Mexico_City"),
    State("18", "MX-NAY", "Nayarit", "America/Mazatlan"),
    State("19", "MX-NLE", "Nuevo León", "America/Monterrey"),
    State("20", "MX-OAX", "Oaxaca", "America/Mexico_City"),
    State("21", "MX-PUE", "Puebla", "America/Mexico_City"),
    State("22", "MX-QUE", "Querétaro", "America/Mexico_City", ("Querétaro de Arteaga",)),
    State("23", "MX-ROO", "Quintana Roo", "America/Cancun"),
    State("24", "MX-SLP", "San Luis Potosí", "America/Mexico_City"),
    State("25", "MX-SIN", "Sinaloa", "America/Mazatlan"),
    State("26", "MX-SON", "Sonora", "America/Hermosillo"),
    State("27", "MX-TAB", "Tabasco", "America/Mexico_City"),
    State("28", "MX-TAM", "Tamaulipas", "America/Matamoros"),
    State("29", "MX-TLA", "Tlaxcala", "America/Mexico_City"),
    State(
        "30",
        "MX-VER",
        "Veracruz",
        "America/Mexico_City",
        ("Veracruz de Ignacio de la Llave", "Veracruz-Llave", "Veracruz Llave"),
    ),
    State("31", "MX-YUC", "Yucatán", "America/Merida"),
    State("32", "MX-ZAC", "Zacatecas", "America/Mexico_City"),
)

BY_CODE: dict[str, State] = {s.cve_ent: s for s in STATES}
BY_ISO: dict[str, State] = {s.iso_3166_2: s for s in STATES}
BY_ABBREV: dict[str, State] = {s.abbrev: s for s in STATES}
# ISO 3166-2 codes withdrawn since: Distrito Federal became Ciudad de México in 2016.
FORMER_ISO: dict[str, str] = {"MX-DIF": "09"}

# Municipalities whose clock differs from their state's capital (Feb 2026, no DST in Mexico).
MUNICIPAL_ZONES: dict[tuple[str, str], str] = {
    ("18", "bahia de banderas"): "America/Bahia_Banderas",
    ("08", "juarez"): "America/Ciudad_Juarez",
    ("08", "ciudad juarez"): "America/Ciudad_Juarez",
}


def fold(text: str) -> str:
    """Case- and accent-insensitive key for matching names from other sources."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


_BY_FOLDED_NAME: dict[str, State] = {}
for _s in STATES:
    for _n in (_s.name, *_s.aliases):
        _BY_FOLDED_NAME[fold(_n)] = _s


def state_by_name(name: str) -> State | None:
    return _BY_FOLDED_NAME.get(fold(name))


def state_lookup(value: str) -> State | None:
    """Resolve a code, ISO code, abbreviation or name, as users type them."""
    return resolve_state(value)[0]


def resolve_state(value: str) -> tuple[State | None, bool]:
    """(state, is_alias) for an INEGI code, ISO 3166-2 code or a name as people write it.

    Canonical forms, read silently: the INEGI code ("09", or "9"), the current ISO code
    ("MX-CMX") or its suffix ("CMX"), and the current short name ("Ciudad de México").
    Everything else that still names one state unambiguously is an alias (is_alias=True,
    for a warning naming the canonical form): other case or missing accents, long official
    names ("Michoacán de Ocampo"), English names ("Mexico City", "State of Mexico"),
    former names and codes ("Distrito Federal", "MX-DIF"). (None, False) when unknown.
    """
    value = value.strip()
    if value in BY_CODE:
        return BY_CODE[value], False
    if value.isdigit() and len(value) == 1:
        return BY_CODE.get(value.zfill(2)), False
    upper = value.upper()
    state = BY_ISO.get(upper) or BY_ABBREV.get(upper)
    if state is not None:
        return state, upper != value
    if upper in FORMER_ISO:
        return BY_CODE[FORMER_ISO[upper]], True
    state = state_by_name(value)
    if state is None:
        return None, False
    return state, value != state.name


# States with a municipality on another clock: only there does the municipality matter.
STATES_WITH_MUNICIPAL_ZONES = frozenset(code for code, _ in MUNICIPAL_ZONES)


def local_zone(cve_ent: str, municipality: str = "") -> ZoneInfo:
    """The clock a local report's times are on."""
    special = (
        MUNICIPAL_ZONES.get((cve_ent, fold(municipality)))
        if cve_ent in STATES_WITH_MUNICIPAL_ZONES
        else None
    )
    return ZoneInfo(special or BY_CODE[cve_ent].zone)
