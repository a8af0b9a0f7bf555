"""The scheduler's domain: planning outbox rows (planning), deciding what a delivery attempt's
result means (delivery), and the use cases that keep the outbox in step with tours (service)."""
