"""Benchmarks of the document toolkit (issue 3): ``python -m bench [--quick] [--db both]``.

They print figures; they are not tests and assert nothing.
"""
