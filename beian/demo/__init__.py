"""The demo data `make run` loads: users of every role, the seed's story and an
application at every stage. The top layer: it drives every app's services."""
