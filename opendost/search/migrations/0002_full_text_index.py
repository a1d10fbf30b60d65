"""The full-text index, which each database builds its own way (docs/adr/0014-search.md).

SQLite: an FTS5 table over `folded` with search_searchdocument as external content (the text is
stored once), kept in step by three triggers. The folded text is plain ASCII, so FTS5's own
diacritic handling (which does not fold đ) never matters; `unicode61 remove_diacritics 2` is kept
as a safety net. `prefix='2 3'` adds prefix indexes so typing "ba", "bac" stays fast.

PostgreSQL: a stored generated tsvector column with the `simple` configuration (no stemming, no
stop words: Vietnamese has neither here) and a GIN index on it; ranking reads the stored vector
instead of recomputing it for every matching row.

Note for future migrations of SearchDocument: on SQLite, Django rebuilds a table to alter it, which
drops the triggers (re-run this migration's SQL, then `search_reindex`); on PostgreSQL, the
`folded` column cannot change type while `folded_tsv` depends on it.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_searchdocument', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_searchdocument BEGIN"
    " INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_searchdocument BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_fts_after_update AFTER UPDATE OF folded ON search_searchdocument BEGIN"
    " INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);"
    " INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_after_update",
    "DROP TRIGGER IF EXISTS search_fts_after_delete",
    "DROP TRIGGER IF EXISTS search_fts_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN folded_tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED",
    "CREATE INDEX search_searchdocument_folded_tsv ON search_searchdocument USING gin (folded_tsv)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchdocument_folded_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS folded_tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
            elidable=False,
        ),
    ]
