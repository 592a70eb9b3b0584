"""Use cases of the documents service: plain commands in, domain exceptions out."""
