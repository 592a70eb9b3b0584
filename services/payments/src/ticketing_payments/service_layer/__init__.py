"""Use cases of the payments service: plain commands in, domain exceptions out."""
