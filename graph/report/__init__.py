"""Answers to the analysts' questions as the JSON of the HTTP API, docs/http.md (:mod:`.answers`)."""
