"""Demo data for `erp demo`: areas, customers, a week of visits, opportunities in every state."""


def load():
    from .demo_data import load as load_data
    load_data()
