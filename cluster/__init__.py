"""Typesense as a separate process: local nodes (``nodes``) and a client that survives a leader change (``client``)."""
