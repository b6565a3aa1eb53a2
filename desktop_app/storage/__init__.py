"""Storage: the library database (SQLAlchemy 2 over SQLite), its migrations and its services.

Importing SQLAlchemy costs ~0.2 s, so nothing on the start-up path imports this package before
the window is painted.
"""
