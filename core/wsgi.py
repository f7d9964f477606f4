"""The production entry point: ``gunicorn -w 4 core.wsgi:app`` (configuration from ERP_* variables)."""
from . import create_app, freeze_startup_objects

app = create_app()
freeze_startup_objects()
