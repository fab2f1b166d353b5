"""Stage 2b: a reference becomes a `Source`. Resolvers hold the site knowledge (web pages, X,
DocumentCloud, Wayback, local files); extraction turns a fetched page into a `Document`."""
