"""What every service shares: the settings object, the message schemas, the one pika wrapper,
the error tree, logging and metrics."""
