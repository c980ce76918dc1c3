-- Every stored article's id, canonical URL and the page URL it was fetched from.
SELECT article_id, url, page_url FROM articles;
