"""Finding the article file a record came from, to show or cut its original text: the eval's
finder (by origin path, then doc_id, checked against the record's content hash), shared."""
from ..eval.articles import Articles  # noqa: F401 - the viewer's and the tables' import
