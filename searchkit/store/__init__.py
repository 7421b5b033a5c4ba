"""The canonical store: ``corpus/`` (one file per article, written atomically), the input
and stored formats, the home's lock, saved searches, and the garbage-collection mode of
big jobs. The index is derived from it and may always be rebuilt."""
