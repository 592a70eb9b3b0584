"""Use cases of the notifications service: plain commands in, domain exceptions out."""
