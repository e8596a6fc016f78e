"""The Streamlit entry point: `streamlit run dashboard/app.py`.

Streamlit executes this file afresh on every rerun, so it only calls the page, which lives
in dashboard/web/page.py and is imported once per process: a rerun runs the page, not its
definitions (cache decorators reading their functions' source, dataclasses being built).
"""

from dashboard.web.page import main

main()
