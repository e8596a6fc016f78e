"""The page's sections, one module each, in the order dashboard/web/page.py shows them.

Each section takes the data and the view on screen (view_cache.Shown) it needs, reads and
writes session state through dashboard/web/state.py, keeps its results through
dashboard/web/view_cache.py, and gets its words and tables from dashboard/render/.
"""
