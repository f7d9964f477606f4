import click

from core.auth.permissions import Permission, RoleTemplate
from core.dashboard import Widget
from core.documents import DocType, Document
from core.documents.fields import Field, declared_columns
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.settings import Setting

FIELDS = [Field("site", "Site", required=True, max_length=80), Field("amount", "Amount", "money")]


class Memo(Document, declared_columns(FIELDS), db.Model):
    __tablename__ = "extra_memo"


MEMO = DocType(code="extra.memo", model=Memo, label="Memo", label_plural="Memos", fields=FIELDS,
               number_prefix="XM")


@hookimpl
def erp_models():
    return [Memo]


@hookimpl
def erp_document_types():
    return [MEMO]


@hookimpl
def erp_permissions():
    return [Permission("extra.audit", "Audit memos")]


@hookimpl
def erp_roles():
    every = [p.code for p in MEMO.permissions()] + ["extra.audit"]
    return [RoleTemplate("ROLE-ADMIN", permissions=every), RoleTemplate("ROLE-GM", permissions=every),
            RoleTemplate("ROLE-FIN", permissions=["extra.memo.read"])]


@hookimpl
def erp_menu_items():
    return [MenuItem("extra", "Audit", "extra.memo_list", "extra.audit", order=1)]


@hookimpl
def erp_dashboard_widgets(user):
    return [Widget("Extra", value=1, order=1)]


@hookimpl
def erp_settings():
    return [Setting("extra.limit", "int", 3, "Limit")]


@hookimpl
def erp_cli_commands():
    @click.command("ping")
    def ping():
        """Answer pong."""
        click.echo("pong")
    return [ping]
