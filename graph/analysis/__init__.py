"""The meaning of the data: the plain model (:mod:`.model`), read from the store (:mod:`.read`),
the rules of docs/meaning.md over it (:mod:`.rules`), and the derived graph (:mod:`.derived`)."""
