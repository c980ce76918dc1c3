-- Every column of every base table (views left out), with its DuckDB type, in column order.
SELECT c.table_name, c.column_name, c.data_type
FROM information_schema.columns AS c
JOIN information_schema.tables AS t USING (table_catalog, table_schema, table_name)
WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND c.table_name <> 'schema_migrations'
ORDER BY c.table_name, c.ordinal_position;
