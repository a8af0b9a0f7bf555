"""One approval engine for every request two teams decide on: a visit (an application) and more
time on a visit (an extension) run through the same steps, deciders, refusals, reminders and
undelivered notices.

- `deciders`: who decides for a team, and who stands in (nobody decides on their own visit).
- `steps`: the two decisions (the host team's, then the home team's), who may take each, and
  the refusals in words fit to show the person who tried.
- `requests`: where the messages asking for a decision went, and what could not be delivered.
- `reminders`: nudges for decisions left waiting.
- `views`: the Block Kit pieces every kind of request shares.
"""
