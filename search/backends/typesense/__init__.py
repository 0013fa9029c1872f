"""The Typesense backend's search side: ``engine.TypesenseEngine`` (registered as ``typesense``)."""
