from indexer import whoosh_fixes  # noqa: F401  (a Whoosh bug every reader of an index needs fixed)
