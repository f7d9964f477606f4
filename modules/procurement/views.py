from core.views import module_blueprint

bp = module_blueprint("procurement", __name__, "procurement.access")
