"""Build hook: compile the gettext catalogues (`.po` -> `.mo`) with Babel at build/install.

Everything else about the package is in pyproject.toml. The `.po` files are the source
kept in git; `.mo` files are build output (ignored by git). A plain `pip install .` gets
them in the wheel; `pip install -e .` writes them next to the `.po` files. Where a `.mo`
is still missing or stale, dashboard.text.i18n compiles the `.po` in memory instead.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("dashboard") / "locale"


def compile_catalogues(target_root: Path) -> list[Path]:
    """Write `<target_root>/dashboard/locale/<lang>/LC_MESSAGES/messages.mo` for each `.po`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, domain="messages")
        mo = target_root / po.with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


class BuildWithCatalogues(build_py):
    """build_py that also compiles the message catalogues."""

    def run(self):
        super().run()
        # An editable install runs from the source tree: compile in place there.
        target = Path(".") if getattr(self, "editable_mode", False) else Path(self.build_lib)
        compile_catalogues(target)


setup(cmdclass={"build_py": BuildWithCatalogues})
