from functools import wraps

from flask import abort
from flask_login import current_user


def require(check: bool):
    """In a view: anonymous users are sent to sign in; signed-in users for whom `check` is false
    get 403."""
    from ..extensions import login_manager
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not check:
        abort(403)


def permission_required(code: str):
    """Anonymous users are sent to sign in; signed-in users without `code` get 403."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from ..extensions import login_manager
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(code):
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_permission = code
        return wrapped
    return decorator
