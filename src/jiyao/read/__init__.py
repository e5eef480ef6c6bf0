"""Reading: bytes → Document (encodings, HTML, page furniture), folders and article tables."""
