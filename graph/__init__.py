"""Parley's library: the RDF store, the model of positions, their analysis and export.

Nothing here imports the web layer; ``api`` calls into this package, never the reverse.
"""
