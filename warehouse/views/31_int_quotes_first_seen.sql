-- Intermediate: one row per attribution that counts once in its story (the quotes mart reads it): an
-- original's attributions all count, a near-copy's only when its story had not printed them before.
-- Which ones repeat is decided at load (warehouse/queries/repeated_attributions.sql, the rule and its
-- figures) and stored in repeated_attributions (migration 017).
CREATE OR REPLACE VIEW int_quotes_first_seen AS
WITH final AS (
    SELECT t.*
    FROM stg_attributions AS t
    ANTI JOIN repeated_attributions AS r USING (article_id, seq)
)

SELECT * FROM final;
