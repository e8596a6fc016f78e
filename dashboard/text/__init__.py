"""Words: gettext catalogues and CLDR formats (i18n), messages kept as ids until shown
(message), escaping for HTML, Markdown, JavaScript and spreadsheets (escape).
"""
