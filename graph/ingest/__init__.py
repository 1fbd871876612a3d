"""Getting data in: documents read and checked (:mod:`.load`), validated against the shapes
(:mod:`.validate`), and positions written as documents (:mod:`.documents`)."""
