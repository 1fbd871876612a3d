"""The graph for other tools: Gephi's GEXF and GraphML (:mod:`.gephi`), RDF dumps (:mod:`.rdf`)."""
