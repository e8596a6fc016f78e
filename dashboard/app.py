"""The Streamlit entry point: `streamlit run dashboard/app.py`.

Streamlit executes this file afresh on every rerun. The page lives in dashboard/web/page.py,
imported once per process, so a rerun runs the page and not its definitions: executing
those again (the cache decorators reading their functions' source, the dataclasses
being built, two thousand lines of definitions) was about a sixth of the server's CPU per
rerun (README, "Under load").
"""

from dashboard.web.page import main

main()
