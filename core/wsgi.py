"""The production entry point: ``gunicorn -w 4 core.wsgi:app`` (configuration from ERP_* variables)."""
from . import create_app, freeze_startup_objects, maintenance

app = create_app()
maintenance.read(app)  # says at start-up, in the log, which migrations `erp db upgrade` must apply
freeze_startup_objects()
