"""Sign-in, users, roles and permissions."""


def acting_user():
    """Who is acting: the signed-in user in a request, else the user a script acts as.

    Scripts (demo data, imports from the CLI) set ``flask.g.audit_user``; the audit log uses the
    same user.
    """
    from flask import g, has_app_context, has_request_context
    if has_request_context():
        from flask_login import current_user
        if current_user.is_authenticated:
            return current_user._get_current_object()
    return g.get("audit_user") if has_app_context() else None


def deactivation_blockers(user) -> list[str]:
    """Why `user`'s account cannot be deactivated yet: the sentences of every module's
    ``erp_user_deactivation_blockers`` hook (R-S-035: hand over what he is responsible for
    first). Empty when nothing stands in the way."""
    from flask import current_app
    results = current_app.extensions["erp"].pm.hook.erp_user_deactivation_blockers(user=user)
    return [str(sentence) for sentences in results for sentence in sentences or []]
