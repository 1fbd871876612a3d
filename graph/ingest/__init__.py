"""Getting data in: documents read and checked (:mod:`.load`), validated against the shapes
(:mod:`.validate`), quotes checked against their sources' texts (:mod:`.texts`, over :mod:`.quotes`),
and positions and sources written as documents (:mod:`.documents`)."""
