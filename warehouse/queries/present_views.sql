-- Names of the views this warehouse holds (only a writer creates views, so an old file may lack new ones).
SELECT view_name FROM duckdb_views() WHERE NOT internal;
