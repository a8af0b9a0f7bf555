"""The approval workflow: an application's states, who decides each step, and visit dates."""
