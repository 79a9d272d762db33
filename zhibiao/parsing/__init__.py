"""Bytes of one untrusted file -> an Extraction, in a confined child process with limits."""
