"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

import gc

from app import create_app

app = create_app()

# What the app loaded (modules, URL rules, translations: some 190,000 objects) lives as long as
# the process. Frozen out of the collector's sight, a full collection walks only what requests
# made: at 10,000 IKMs one recommendation in six otherwise paid ~150 ms for walking them all.
gc.collect()
gc.freeze()
