"""The ERP app for gunicorn: `gunicorn -w 2 bench.wsgi:app` (database from BENCH_DB_URL/BENCH_DB_SCHEMA),
started as core.wsgi starts it in production."""
from bench import env
from core import freeze_startup_objects

app = env.make_app(env.database_from_env())
freeze_startup_objects()
