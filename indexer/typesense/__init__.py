"""The Typesense backend's indexing side: the collection schema and the sink a build writes to."""
