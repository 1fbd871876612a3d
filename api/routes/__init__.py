"""One router per resource, gathered by :func:`api.app.create_app`."""
