-- The report's default range: the first and last publication day with articles.
SELECT min(day), max(day) FROM articles_per_outlet_day;
