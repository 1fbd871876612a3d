"""Parley's outside world: the FastAPI application, its routes, and the ``parley`` command line.

Everything here calls the library in ``graph``; nothing in ``graph`` imports from here.
"""
