"""Answers to the analysts' questions as the JSON of the HTTP contract (:mod:`.answers`)."""
