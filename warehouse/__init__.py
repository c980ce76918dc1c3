"""DuckDB warehouse: numbered migrations, SQL views and queries loaded by name, the loader."""
