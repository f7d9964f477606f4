from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db


class Greeting(db.Model):
    __tablename__ = "hello_greeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
