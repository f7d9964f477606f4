from core.views import module_blueprint

bp = module_blueprint("sales", __name__, "sales.access")
