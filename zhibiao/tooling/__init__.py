"""The `zhibiao` command: offline extraction and explanation, and the local stack (`zhibiao up`)."""
