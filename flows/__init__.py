"""Prefect flows, network and database I/O, configuration and the newsetl CLI."""
