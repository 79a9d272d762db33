"""The gateway's routes, one module per resource; create_app includes them in this order."""
