-- Staging: one row per expectation suite run on one batch.
CREATE OR REPLACE VIEW stg_validations AS
WITH source AS (
    SELECT * FROM validations
),

final AS (
    SELECT
        run_id,
        batch,
        suite,
        evaluated,
        failed_rows,
        success,
        validated_at
    FROM source
)

SELECT * FROM final;
