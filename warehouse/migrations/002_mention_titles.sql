-- A person's title kept apart from the name ("President" in "President Vladimir Putin").
ALTER TABLE mentions ADD COLUMN title VARCHAR;
