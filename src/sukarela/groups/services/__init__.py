"""Every write of the groups app: one module per use case, each in a transaction, permission-checked
(groups.permissions) and audited (core.audit)."""
