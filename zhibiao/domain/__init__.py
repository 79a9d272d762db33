"""Pure domain logic: no broker, database, HTTP or environment access in here."""
