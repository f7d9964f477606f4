"""The supervision forms (监理表格, F-T01..F-T22, SPEC 4.0 and 4.3): one family on shared machinery.

Every form is a declaration; this part builds from it the model (table ``eng_ft05``, lines in
``eng_ft05_line``), the document type (``engineering.ft05``, numbered ``GC05-2026-0001``, printed
as the paper form) and the workflow of its lifecycle (L2 notice, L3 report, L4 record, L5
submission for review)::

    FT05 = SupervisionForm(
        code="ft05", title="工程变更通知", label=_l("Engineering change notice"),
        label_plural=_l("Engineering change notices"), lifecycle="notice", group="change",
        issuer="owner", blocks=("owner", "supervisor", "contractor"),
        fields=[Field("content", _l("Change content"), "textarea", required=True), ...],
        lines=[Field("item", _l("Item"), required=True), ...],
        conditions={"issue": [internal_approval_given]}, effects={"close": change_done})
    register(FT05)

Every form starts with the common header: the project (one the user sees), its name and contract
number, the relation (OUTWARD 对外: the company is the contractor; INWARD 对内: the company
supervises a construction team, ``team_name``), the addressee 致 (the receiving party) and the
names of the contractor, supervisor and owner, all filled from the project.

Signature blocks (SPEC 4.0 table): each block a form uses (``blocks``) is signed at a step of its
lifecycle (L5: the contractor submits, the supervisor reviews, the owner approves; L2: the issuer
issues, the other party acknowledges; L3: the issuer submits; L4: every block at the
confirmation). Whether the company signs a block depends on the relation: OUTWARD it signs the
contractor's block, INWARD the supervisor's and the owner's. A block the company signs is an
internal signature (``<block>_sig``: who took the step, when, the decision and comment), taken
by the role the block asks for (the project's engineer; the 工程部经理 as 总监理工程师 where the form
says ``chief=("supervisor",)`` and as the employer for the owner's block). A block the other
party signs is recorded from the signed paper (``<block>_xsig``: signatory, organisation, title,
date, opinion; the scan as an attachment), given with the step (its API body takes
``<block>_xsig_name`` ...) and required for it. ``tech_approval=True`` adds the 工程部经理's
sign-off as 技术负责人 (``tech_sig``) that an OUTWARD form needs before it is submitted.

``conditions`` and ``inputs`` add a form's own checks and asked-for fields to a transition,
``effects`` its consequences (``(doc, user, comment)``, in the transition's transaction);
``states`` and ``transitions`` add the form's own states and steps to its lifecycle (a payment
application's ``paid``). A form's own check of its values runs in ``before_save`` (``(doc,
project)``, raise ValidationFailed). ``built(code)`` gives a registered form's model, line model
and document type; ``Model.eng_project`` its project.

The project's page lists its forms in one section (``project_forms``); the page 监理表格
(``/engineering/forms``) lists the family by SPEC 5.2's groups.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, Integer, select
from sqlalchemy.orm import mapped_column, relationship

from core.auth.decorators import permission_required
from core.auth.permissions import RoleTemplate
from core.documents import Deadline, DocType, Document, Lines, Panel
from core.documents.fields import Field, declared_columns, sign
from core.documents.service import ValidationFailed
from core.extensions import db
from core.hookspecs import hookimpl
from core.menu import MenuItem
from core.workflow import ApprovalStep, ByRole, Issue, Transition, Workflow, lifecycles

from .projects import PROJECT, EngProject, of_project, on_my_projects
from .views import bp

OUTWARD, INWARD = "outward", "inward"
RELATIONS = [(OUTWARD, _l("Outward (the company is the contractor)")),
             (INWARD, _l("Inward (the company supervises a construction team)"))]
PARTIES = ("contractor", "supervisor", "owner")
# The column holding each party's name (a document's ``owner_name`` is the person who owns it).
PARTY_NAME = {"contractor": "contractor_name", "supervisor": "supervisor_name", "owner": "owner_unit"}
# The block's title on the paper form.
BLOCK_LABELS = {"contractor": _l("Contractor (project manager)"),
                "supervisor": _l("Supervisor (supervising engineer)"),
                "owner": _l("Owner (owner's representative)")}
CHIEF_LABEL = _l("Supervisor (chief supervising engineer)")
DECISIONS = {"review": "agree", "revise": "revise", "read": "agree"}
MANAGER = "ROLE-ENG-MGR"

# SPEC 5.2: the forms page's groups, in order.
GROUPS = [("start", _l("Commencement")), ("change", _l("Changes and extra works")),
          ("suspension", _l("Suspension and resumption")), ("time", _l("Construction period")),
          ("payment", _l("Payment and settlement")), ("inspection", _l("Inspection requests")),
          ("quality", _l("Quality")), ("reports", _l("Reports and meetings")), ("acceptance", _l("Acceptance"))]


def company_signs(block: str, relation: str) -> bool:
    """OUTWARD the company is the contractor; INWARD it supervises and employs the team."""
    return (block == "contractor") == (relation == OUTWARD)


@dataclass
class SupervisionForm:
    code: str                       # "ft05": the document type engineering.ft05, table eng_ft05
    title: str                      # the paper form's Chinese title, printed
    label: object
    label_plural: object
    lifecycle: str                  # "review" (L5) | "notice" (L2) | "report" (L3) | "record" (L4)
    group: str                      # one of GROUPS
    issuer: str = "contractor"      # the party that drafts and signs first
    blocks: tuple = ("contractor", "supervisor")
    fields: list = field(default_factory=list)
    lines: list | None = None       # the line fields (the form's table), if any
    conditions: dict = field(default_factory=dict)   # transition name -> [(doc, user) -> issues]
    effects: dict = field(default_factory=dict)      # transition name -> (doc, user, comment) -> None
    inputs: dict = field(default_factory=dict)       # transition name -> [Field] asked with it
    before_save: Callable | None = None              # (doc, project): check and compute the form's values
    prefill: Callable | None = None                  # (doc): fill values from a linked record before the checks
    project_states: tuple = ()      # the project's states a new form is made in (default: any)
    chief: tuple = ()               # blocks the 工程部经理 signs INWARD (总监理工程师)
    tech_approval: bool = False     # OUTWARD: the 工程部经理 signs as 技术负责人 before submission
    replies: bool = False           # L2: the recipient replies before the notice closes
    owner_approval: bool = False    # L5: the owner approves after the supervisor's review
    deadline: Deadline | None = None
    editable_states: tuple = ("draft",)
    transitions: list = field(default_factory=list)  # the form's own steps besides its lifecycle's
    states: dict = field(default_factory=dict)       # the form's own states besides its lifecycle's ("paid")

    @property
    def number(self) -> str:
        return "GC" + self.code[2:]

    @property
    def doctype_code(self) -> str:
        return f"engineering.{self.code}"

    @property
    def receiver(self) -> str:
        return "supervisor" if self.issuer == "contractor" else "contractor"

    def signing(self) -> dict[str, tuple]:
        """transition name -> the blocks signed by taking it."""
        steps = {"review": {"submit": ("contractor",), "review": ("supervisor",), "revise": ("supervisor",),
                            "owner_approve": ("owner",)},
                 "notice": {"issue": (self.issuer,), "acknowledge": (self.receiver,)},
                 "report": {"submit": (self.issuer,)},
                 "record": {"confirm": PARTIES}}[self.lifecycle]
        return {name: tuple(b for b in blocks if b in self.blocks) for name, blocks in steps.items()}

    def block_label(self, block: str):
        return CHIEF_LABEL if block == "supervisor" and "supervisor" in self.chief else BLOCK_LABELS[block]


class SupervisionDocument(Document):
    """What every supervision form's model has besides its declared fields."""
    __form__: SupervisionForm

    @property
    def eng_project(self) -> EngProject | None:
        return db.session.get(EngProject, self.project_id) if self.project_id else None

    def signature_blocks(self) -> list[dict]:
        """The form's signature blocks as printed: the title, who signed (internal: the person who
        took the step; external: the signatory typed from the paper), organisation, date and opinion."""
        from core.documents.derived import local
        from core.documents.fields import SIG_DECISIONS
        out = []
        form = self.__form__
        for block in form.blocks:
            box = {"label": form.block_label(block), "org": getattr(self, PARTY_NAME[block], ""), "name": "",
                   "title": "", "date": None, "opinion": ""}
            if getattr(self, f"{block}_sig_at", None) is not None:
                by = getattr(self, f"{block}_sig_by", None)
                decision = dict(SIG_DECISIONS).get(getattr(self, f"{block}_sig_decision", ""), "")
                box.update(name=by.display_name if by else "", date=local(getattr(self, f"{block}_sig_at")).date(),
                           opinion=" ".join(str(x) for x in (decision, getattr(self, f"{block}_sig_opinion", "")) if x))
            elif getattr(self, f"{block}_xsig_name", ""):
                box.update(name=getattr(self, f"{block}_xsig_name"), title=getattr(self, f"{block}_xsig_title", ""),
                           org=getattr(self, f"{block}_xsig_org", "") or box["org"],
                           date=getattr(self, f"{block}_xsig_date", None),
                           opinion=getattr(self, f"{block}_xsig_opinion", ""))
            out.append(box)
        if form.tech_approval and self.tech_sig_at is not None:
            out.insert(1, {"label": _l("Contractor's technical lead"), "org": self.contractor_name,
                           "name": self.tech_sig_by.display_name if self.tech_sig_by else "", "title": "",
                           "date": local(self.tech_sig_at).date(), "opinion": self.tech_sig_opinion or ""})
        # A form's own internal signatures (a change notice's approval inside the company), once given.
        company = company_name()
        for f in form.fields:
            if f.kind == "sig" and getattr(self, f"{f.name}_at", None) is not None:
                by = getattr(self, f"{f.name}_by", None)
                out.append({"label": f.label, "org": company, "name": by.display_name if by else "", "title": "",
                            "date": local(getattr(self, f"{f.name}_at")).date(),
                            "opinion": getattr(self, f"{f.name}_opinion", "") or ""})
        return out


# ---- the common header ------------------------------------------------------------------------
def header_fields(form: SupervisionForm) -> list[Field]:
    project = of_project(states=form.project_states)
    return [
        Field("title", _l("Subject"), readonly=True, listed=False),
        project,
        Field("project_name", _l("Project name"), readonly=True),
        Field("contract_no", _l("Contract no."), readonly=True, max_length=60, listed=False),
        Field("relation", _l("Relation"), "choice", choices=RELATIONS, required=True, default=OUTWARD),
        Field("team_name", _l("Construction team"), max_length=120, listed=False,
              help=_l("Inward: the construction team the company supervises.")),
        Field("addressee", _l("To (addressee)"), readonly=True, max_length=120, listed=False),
        Field("contractor_name", _l("Contractor"), readonly=True, max_length=120, listed=False),
        Field("supervisor_name", _l("Supervisor"), readonly=True, max_length=120, listed=False),
        Field("owner_unit", _l("Owner (employer)"), readonly=True, max_length=120, listed=False),
    ]


def block_fields(form: SupervisionForm) -> list[Field]:
    """Per block: the company's signature (set by its step) and the other party's, typed from the
    signed paper (in the draft, or with the step)."""
    out = []
    for block in form.blocks:
        label = form.block_label(block)
        out.append(Field(f"{block}_sig", label, "sig", readonly=True, section=_l("Signatures")))
        out.append(Field(f"{block}_xsig", _l("%(block)s: signed paper", block=label), "xsig",
                         editable_in=("draft",), section=_l("Signatures")))
    if form.tech_approval:
        out.append(Field("tech_sig", _l("Contractor's technical lead"), "sig", readonly=True,
                         section=_l("Signatures")))
    return out


def company_name() -> str:
    from core.org.models import Company
    return db.session.scalar(select(Company.name).order_by(Company.id).limit(1)) or ""


def fill_header(doc, project: EngProject) -> None:
    """The names the form prints, from the project and the relation."""
    company = company_name()
    team = (doc.team_name or "").strip()
    doc.project_name = (project.title or "")[:200]
    doc.contract_no = (project.contract_ref or "")[:60]
    if doc.relation == INWARD:
        names = {"contractor": team, "supervisor": company, "owner": company}
    else:
        supervisor = project.supervisor_firm if project.supervision_mode == "firm" else project.customer_name
        names = {"contractor": company, "supervisor": supervisor or project.customer_name,
                 "owner": project.customer_name}
    for block, name in names.items():
        setattr(doc, PARTY_NAME[block], (name or "")[:120])
    form = type(doc).__form__
    doc.addressee = names[form.receiver][:120]
    if not any(f.name == "title" for f in form.fields):  # a meeting's minutes have a title of their own
        doc.title = (project.title or "")[:200]


def saver(form: SupervisionForm) -> Callable:
    def save(doc):
        project = db.session.get(EngProject, doc.project_id) if doc.project_id else None
        if project is None:
            raise ValidationFailed({"project_id": [_("Choose the project.")]})
        if form.prefill is not None:
            form.prefill(doc)
        if doc.relation == INWARD and not (doc.team_name or "").strip():
            raise ValidationFailed({"team_name": [_("Name the construction team (inward forms are with a team).")]})
        fill_header(doc, project)
        if form.before_save is not None:
            form.before_save(doc, project)
    return save


# ---- the workflow -----------------------------------------------------------------------------
def signer_issues(form: SupervisionForm, block: str, doc, user) -> list[Issue]:
    """Why `user` may not sign `block` for the company (empty: he may)."""
    project = doc.eng_project
    is_manager = user is not None and user.has_role(MANAGER)
    if block == "owner" or block in form.chief:
        if not is_manager:
            return [Issue(_("The engineering manager signs the %(block)s block.", block=form.block_label(block)))]
        return []
    if user is None or is_manager or (project is not None and user.id in project.engineer_ids()):
        return []
    return [Issue(_("The project's engineer signs the %(block)s block.", block=form.block_label(block)))]


def block_condition(form: SupervisionForm, blocks: tuple) -> Callable:
    def signed(doc, user):
        issues = []
        for block in blocks:
            if company_signs(block, doc.relation):
                issues.extend(signer_issues(form, block, doc, user))
            elif not (getattr(doc, f"{block}_xsig_name", "") or "").strip() \
                    or getattr(doc, f"{block}_xsig_date", None) is None:
                issues.append(Issue(_("Record the %(block)s block from the signed paper: signatory and date.",
                                      block=form.block_label(block)), field=f"{block}_xsig_name"))
        return issues
    return signed


def tech_approved(doc, user) -> list[Issue]:
    if doc.relation == OUTWARD and doc.tech_sig_at is None:
        return [Issue(_("The engineering manager signs as the contractor's technical lead first."),
                      field="tech_sig_at")]
    return []


RATINGS = [(n, str(n)) for n in range(1, 6)]
RATING = Field("rating", _l("Rating (1-5)"), "choice", choices=RATINGS, readonly=True, listed=False,
               help=_l("The reader's rating of the report (KPI-REPORT-QUALITY)."))


def lifecycle_workflow(form: SupervisionForm) -> Workflow:
    """The lifecycle's workflow with the form's signatures, checks and inputs on its steps. A
    review or a reading is a step (not an approval task): the company records what the other
    party decided as often as it decides itself."""
    base = {"review": lambda: lifecycles.review(owner_approval=form.owner_approval),
            "notice": lambda: lifecycles.notice(replies=form.replies),
            "report": lambda: lifecycles.report(readers=[ApprovalStep("reader", _l("Engineering manager"),
                                                                      ByRole(MANAGER))]),
            "record": lambda: lifecycles.record()}[form.lifecycle]()
    signing = form.signing()
    transitions = []
    for t in base.transitions:
        if t.kind == "recall":
            continue
        # A report's reading stays the 工程部经理's approval task; a review is the company's record.
        kind = t.kind if form.lifecycle == "report" or t.kind not in ("approve", "reject") else "normal"
        conditions = list(t.conditions)
        fields = []
        blocks = signing.get(t.name, ())
        if blocks:
            conditions.append(block_condition(form, blocks))
            # Only the blocks the other party signs are typed from the paper (the relation says which).
            fields += [Field(f"{b}_xsig", _l("%(block)s: signed paper", block=form.block_label(b)), "xsig",
                             asked_when=lambda doc, b=b: not company_signs(b, doc.relation))
                       for b in blocks]
        if t.name == "submit" and form.tech_approval:
            conditions.append(tech_approved)
        if form.lifecycle == "report" and t.name == "read":
            fields.append(Field("rating", _l("Rating (1-5)"), "choice", choices=RATINGS, required=True))
        conditions += form.conditions.get(t.name, [])
        fields += form.inputs.get(t.name, [])
        transitions.append(replace(t, kind=kind, conditions=tuple(conditions), fields=tuple(fields)))
    if form.tech_approval:
        transitions.append(Transition(
            "tech_approve", _l("Sign as the contractor's technical lead"), ["draft"], None,
            conditions=[lambda doc, user: [] if user.has_role(MANAGER) else [
                Issue(_("The engineering manager signs as the contractor's technical lead."))]],
            when=lambda doc: doc.relation == OUTWARD and doc.tech_sig_at is None, style="outline-primary"))
    transitions += form.transitions
    return Workflow(states={**base.states, **form.states}, initial=base.initial, transitions=transitions,
                    steps=base.steps, editable_states=form.editable_states)


def on_transition(form: SupervisionForm, doc, transition, user, comment: str) -> None:
    """The company's signatures of the step, then the form's own consequences."""
    if transition.name == "tech_approve":
        sign(doc, "tech_sig", user, "agree", comment)
    for block in form.signing().get(transition.name, ()):
        if company_signs(block, doc.relation) and user is not None:
            sign(doc, f"{block}_sig", user, DECISIONS.get(transition.name, ""), comment)
    effect = form.effects.get(transition.name)
    if effect is not None:
        effect(doc, user, comment)


# ---- building ---------------------------------------------------------------------------------
@dataclass
class Built:
    form: SupervisionForm
    model: type
    line_model: type | None
    doctype: DocType


REGISTRY: dict[str, Built] = {}


def build(form: SupervisionForm) -> Built:
    own = {f.name for f in form.fields}  # a form may declare a header field its own way (a meeting's title)
    fields = [f for f in header_fields(form) if f.name not in own] + list(form.fields) + block_fields(form)
    if form.lifecycle == "report":
        fields.append(RATING)
    stored = [f for f in fields if f.name != "title"]
    name = form.code.upper()
    line_model = None
    attributes = {"__tablename__": f"eng_{form.code}", "__module__": __name__, "__form__": form,
                  "__doc__": f"{form.title} ({name})"}
    if form.lines:
        line_model = type(f"{name}Line", (declared_columns(form.lines), db.Model), {
            "__tablename__": f"eng_{form.code}_line", "__module__": __name__,
            "id": mapped_column(Integer, primary_key=True),
            "doc_id": mapped_column(Integer, ForeignKey(f"eng_{form.code}.id", ondelete="CASCADE"), index=True)})
        attributes["lines"] = relationship(line_model, cascade="all, delete-orphan",
                                           order_by=line_model.id, lazy="selectin")
    model = type(name, (SupervisionDocument, declared_columns(stored), db.Model), attributes)
    doctype = DocType(
        code=form.doctype_code, model=model, label=form.label, label_plural=form.label_plural,
        fields=fields, workflow=lifecycle_workflow(form), number_prefix=form.number, print_title=form.title,
        print_template="engineering/ft_print.html", menu=False, visibility=on_my_projects(model),
        edited_by=lambda doc, user: doc.eng_project is not None and user.id in doc.eng_project.engineer_ids(),
        before_save=saver(form), deadline=form.deadline,
        lines=Lines("lines", line_model, fields=form.lines, blank_rows=1) if form.lines else None,
        search=("project_name", "contract_no", "team_name"))
    return Built(form, model, line_model, doctype)


def register(*forms: SupervisionForm) -> list[Built]:
    """Build and register the forms (idempotent: a module imported again adds nothing)."""
    out = []
    for form in forms:
        if form.code not in REGISTRY:
            REGISTRY[form.code] = build(form)
        out.append(REGISTRY[form.code])
    return out


def project_forms(project, user, limit: int = 50) -> dict | None:
    """The project page's section: the project's supervision forms the user may read, newest
    first, in one query over the family's tables."""
    from sqlalchemy import literal, union_all
    doctypes = current_app.extensions["erp"].doctypes
    readable = [b for b in REGISTRY.values() if b.form.doctype_code in doctypes
                and user.can(doctypes[b.form.doctype_code].permission("read"))]
    if not readable:
        return None
    forms = union_all(*(select(literal(b.form.code).label("code"), b.model.id, b.model.number, b.model.state,
                               b.model.created_at).where(b.model.project_id == project.id) for b in readable)).subquery()
    rows = db.session.execute(select(forms).order_by(forms.c.created_at.desc()).limit(limit)).all()
    out = []
    for row in rows:
        doctype = doctypes[REGISTRY[row.code].form.doctype_code]
        out.append({"form": f"F-T{row.code[2:]}", "label": doctype.label, "number": row.number,
                    "url": f"/engineering/{doctype.slug}/{row.id}", "state": doctype.workflow.state_label(row.state),
                    "created_at": row.created_at})
    return {"rows": out, "project": project}


PROJECT.add_panel(Panel("engineering/project_forms.html", project_forms, label=_l("Supervision forms")))


def built(code: str) -> Built:
    return REGISTRY[code]


def doctype_of(code: str) -> DocType:
    """The form's document type in the running app (extended by other modules, if they do)."""
    found = REGISTRY[code]
    return current_app.extensions["erp"].doctypes.get(found.form.doctype_code, found.doctype)


# ---- the forms page ---------------------------------------------------------------------------
@bp.get("/forms")
@permission_required("engineering.access")
def forms_index():
    """监理表格: the 22 forms grouped as SPEC 5.2, each with its list and "new"."""
    doctypes = current_app.extensions["erp"].doctypes
    groups = []
    for key, label in GROUPS:
        rows = []
        for code in sorted(c for c, b in REGISTRY.items() if b.form.group == key):
            form, doctype = REGISTRY[code].form, doctypes.get(REGISTRY[code].form.doctype_code)
            if doctype is None or not current_user.can(doctype.permission("read")):
                continue
            rows.append({"number": f"F-T{code[2:]}", "title": form.title, "label": doctype.label,
                         "list": f"/engineering/{doctype.slug}/",
                         "new": f"/engineering/{doctype.slug}/new" if current_user.can(doctype.permission("create"))
                         else None})
        if rows:
            groups.append((label, rows))
    return render_template("engineering/forms.html", groups=groups)


# ---- declarations -----------------------------------------------------------------------------
@hookimpl
def erp_models():
    return [m for b in REGISTRY.values() for m in (b.model, b.line_model) if m is not None]


@hookimpl
def erp_document_types():
    return [b.doctype for b in REGISTRY.values()]


@hookimpl
def erp_transition_done(document, transition, user, comment):
    form = getattr(type(document), "__form__", None)
    if form is not None and form.code in REGISTRY:
        on_transition(form, document, transition, user, comment)


@hookimpl
def erp_roles():
    engineer, manager, reader = [], [], []
    for b in REGISTRY.values():
        code = b.form.doctype_code
        read = [f"{code}.read", f"{code}.export"]
        # A step with its own permission (a form's approval by the 总经理) is granted by its form.
        steps = [f"{code}.{t.name}" for t in b.doctype.workflow.transitions
                 if t.kind not in ("recall", "approve", "reject") and not t.automatic and t.permission is None]
        engineer += read + [f"{code}.create", f"{code}.edit"] + steps
        manager += read + [f"{code}.read_all", f"{code}.create", f"{code}.edit"] + steps
        reader += read + [f"{code}.read_all"]
    return [RoleTemplate("ROLE-ENG-PE", permissions=engineer), RoleTemplate("ROLE-ENG-MGR", permissions=manager),
            RoleTemplate("ROLE-GM", permissions=reader), RoleTemplate("ROLE-MKT-DIR", permissions=reader)]


@hookimpl
def erp_menu_items():
    return [MenuItem("engineering", _l("Supervision forms"), "engineering.forms_index", "engineering.access",
                     order=40)]
