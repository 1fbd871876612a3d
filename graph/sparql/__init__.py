"""The SPARQL wall: the grammar every query passes (:mod:`.grammar`), the sandbox that runs it
(:mod:`.sandbox`) and the cut of the network around it (:mod:`.netwall`)."""
