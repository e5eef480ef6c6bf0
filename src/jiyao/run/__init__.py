"""Running and writing: the extractor core, folder runs, records out, resume, batch and distributed runs."""
