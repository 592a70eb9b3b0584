"""The gateway's use cases: plain commands in, plain results out, domain exceptions raised."""
