"""Writes of the partnership network, one module per use case (partners, contacts, agreements,
imports; centres and linkages by their owners). Each runs in a transaction, checks the actor's
permission and records an audit event."""
