from core.views import module_blueprint

bp = module_blueprint("hr_appraisal", __name__, "hr_appraisal.access")
