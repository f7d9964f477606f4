"""The ERP app for gunicorn: `gunicorn -w 2 bench.wsgi:app` (database from BENCH_DB_URL/BENCH_DB_SCHEMA)."""
from bench import env

app = env.make_app(env.database_from_env())
