"""Built-in modules; each is registered through the erp.modules entry point like a partner's."""
