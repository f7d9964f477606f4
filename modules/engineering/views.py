from core.views import module_blueprint

bp = module_blueprint("engineering", __name__, "engineering.access")
