"""Block Kit builders: every message, modal and Home tab the bot shows is assembled here."""
