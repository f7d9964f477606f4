"""Permission and role declarations that modules return from hooks."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    code: str   # "<module>.<object>.<action>"
    label: object  # str or lazy string


@dataclass(frozen=True)
class RoleTemplate:
    code: str                      # "ROLE-MKT-AM"
    name: object = ""              # Chinese label; only needed when the role is new
    permissions: tuple = ()
    description: object = ""
    department: str = ""           # department code of the role's usual holders

    def __post_init__(self):
        object.__setattr__(self, "permissions", tuple(self.permissions))
