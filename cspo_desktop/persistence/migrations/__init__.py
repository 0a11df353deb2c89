"""Alembic migrations of the product file, shipped inside the package and run by ``migrate``."""
