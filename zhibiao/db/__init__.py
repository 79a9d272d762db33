"""Persistence: SQLAlchemy models, the engine, Alembic migrations and repository functions."""
