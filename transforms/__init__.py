"""Pure transforms: data in, data out. No network, no database, no Prefect."""
