-- Warehouse v1: raw layer (discovered_urls, pages), articles and what was derived from them.

CREATE TABLE sources (
    name        VARCHAR PRIMARY KEY,
    title       VARCHAR,
    config      JSON,
    updated_at  TIMESTAMP
);

-- Every URL any discovery step found, normalised; the start of every URL's story.
CREATE TABLE discovered_urls (
    url           VARCHAR PRIMARY KEY,
    source        VARCHAR NOT NULL,
    via           VARCHAR NOT NULL,       -- feed, sitemap, seed, folder, warc
    robots_allowed BOOLEAN NOT NULL,
    first_seen    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL
);

-- One row per distinct response of a URL: an identical refetch bumps fetch_count instead
-- of adding a row, so reruns are idempotent while changes in a page are kept.
CREATE TABLE pages (
    page_id        VARCHAR PRIMARY KEY,   -- hash of url, status, error and body
    url            VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    final_url      VARCHAR,
    status         INTEGER,
    content_type   VARCHAR,
    error          VARCHAR,
    attempts       INTEGER,
    elapsed_ms     INTEGER,
    etag           VARCHAR,
    last_modified  VARCHAR,
    body_bytes     INTEGER,
    body_gzip      BLOB,                  -- raw response body, gzip-compressed
    first_fetched_at TIMESTAMP NOT NULL,
    fetched_at     TIMESTAMP NOT NULL,    -- latest fetch with this outcome
    fetch_count    INTEGER NOT NULL
);

CREATE TABLE articles (
    article_id    VARCHAR PRIMARY KEY,    -- hash of the canonical URL
    url           VARCHAR NOT NULL,        -- canonical URL (article_id is its hash)
    page_url      VARCHAR NOT NULL,        -- the discovered URL it was fetched from
    page_id       VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    title         VARCHAR,
    authors       VARCHAR[],
    published     DATE,
    modified      DATE,
    sitename      VARCHAR,
    language      VARCHAR,
    description   VARCHAR,
    section       VARCHAR,
    tags          VARCHAR[],
    image         VARCHAR,
    text          VARCHAR NOT NULL,
    text_hash     VARCHAR NOT NULL,
    word_count    INTEGER NOT NULL,
    cluster_id    VARCHAR NOT NULL,        -- article_id of the story's canonical member
    is_canonical  BOOLEAN NOT NULL,        -- false: a copy, stored but not enriched
    enriched      BOOLEAN NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    run_id        VARCHAR
);

-- Fingerprints that let later runs match new articles against everything loaded before.
CREATE TABLE article_fingerprints (
    article_id  VARCHAR PRIMARY KEY,
    text_hash   VARCHAR NOT NULL,
    title_key   VARCHAR,
    minhash     BLOB
);

-- Every copy: the URL that was a copy, the article it duplicates and how we know.
CREATE TABLE duplicates (
    url            VARCHAR PRIMARY KEY,    -- the copy's discovered URL
    article_id     VARCHAR,                -- the copy's own article row (null for a same-URL copy)
    duplicate_of   VARCHAR NOT NULL,       -- article_id it duplicates
    cluster_id     VARCHAR NOT NULL,
    layer          VARCHAR NOT NULL,       -- url, text_hash, minhash, title
    similarity     DOUBLE NOT NULL,
    detected_at    TIMESTAMP NOT NULL
);

CREATE TABLE quarantine (
    url           VARCHAR NOT NULL,
    rule          VARCHAR NOT NULL,
    page_id       VARCHAR,
    source        VARCHAR NOT NULL,
    stage         VARCHAR NOT NULL,        -- extract, validate
    severity      VARCHAR NOT NULL,        -- error
    detail        VARCHAR,
    value         VARCHAR,
    quarantined_at TIMESTAMP NOT NULL,
    run_id        VARCHAR,
    PRIMARY KEY (url, rule)
);

CREATE TABLE entities (
    entity_id      VARCHAR PRIMARY KEY,    -- hash of canonical name and label
    canonical      VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    aliases        VARCHAR[],
    mention_count  INTEGER NOT NULL,
    article_count  INTEGER NOT NULL
);

CREATE TABLE mentions (
    article_id  VARCHAR NOT NULL,
    start_char  INTEGER NOT NULL,
    end_char    INTEGER NOT NULL,
    text        VARCHAR NOT NULL,
    label       VARCHAR NOT NULL,
    canonical   VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    sentence    INTEGER,
    in_lead     BOOLEAN,
    PRIMARY KEY (article_id, start_char, end_char)
);

CREATE TABLE attributions (
    article_id     VARCHAR NOT NULL,
    seq            INTEGER NOT NULL,       -- order in the article
    kind           VARCHAR NOT NULL,       -- direct, indirect, according_to, no_comment
    speaker        VARCHAR,
    speaker_start  INTEGER,
    speaker_end    INTEGER,
    speaker_entity VARCHAR,                -- canonical name of the speaker entity
    entity_id      VARCHAR,
    cue            VARCHAR,
    cue_start      INTEGER,
    cue_end        INTEGER,
    content        VARCHAR,
    content_start  INTEGER,
    content_end    INTEGER,
    anonymous      BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, seq)
);

CREATE TABLE validations (
    run_id       VARCHAR NOT NULL,
    batch        INTEGER NOT NULL,
    suite        VARCHAR NOT NULL,
    evaluated    INTEGER NOT NULL,
    failed_rows  INTEGER NOT NULL,
    success      BOOLEAN NOT NULL,
    failures     JSON,                     -- {rule: count}
    validated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, batch, suite)
);

CREATE TABLE runs (
    run_id       VARCHAR PRIMARY KEY,
    flow         VARCHAR NOT NULL,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    status       VARCHAR NOT NULL,
    counts       JSON
);
