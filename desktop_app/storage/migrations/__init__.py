"""Alembic migrations of the library database, shipped inside the package."""
