"""Nothing: the module is here to need sales."""
