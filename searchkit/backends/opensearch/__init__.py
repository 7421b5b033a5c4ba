"""The index on an OpenSearch cluster: the index (documents, requests, retries) in
:mod:`.index`, the translation of a resolved query into the query DSL in :mod:`.query`."""
