"""Great Expectations suites, one per warehouse table, and the validate step."""
