"""The one place where the matcher's scoring weights live.

A pair's score is a sum of points, each part explained to the user:

    topic       x (sum of rarity of the visitor's learn topics the opening offers
                   + related_credit x sum of rarity of learn topics for which it only
                                      offers a related topic)
  + two_way     x sum of rarity of the visitor's teach topics the host hopes to learn
  + duration    x (1 - min(|opening weeks - preferred weeks|, duration_tolerance_weeks)
                       / duration_tolerance_weeks)
  + novelty     x 1 if nobody from the visitor's home team has toured the host team yet
  + small_host  x 1 / (1 + visitors the host team has hosted so far)

Rarity is IDF-like: rarity(t) = (1 + ln((1 + N) / (1 + n_t))) / (1 + ln(1 + N)), where N is the
number of openings and n_t the number offering topic t, so it lies in (0, 1] and a topic few
openings offer counts more than one every opening offers. A stray topic, one that at most one
person and at most one opening name (a typo such as "kafak", or a private word), counts only
stray_topic_share of a topic every opening offers: fewer than 1 / stray_topic_share stray topics
in common never outweigh one real shared topic. Scores are rounded to milli-points (integers) so
every solver optimises exactly the same numbers.

In the fair/stable round a host ranks visitors by its own preference:

    host_two_way x two-way rarity sum + host_topic x topic sum + host_duration x duration fit

so what a visitor can teach matters most to the host, what they want to learn most to the visitor.
"""

from __future__ import annotations

from dataclasses import dataclass

MILLI = 1000


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Weights of the score parts (see the module docstring for the formula)."""

    topic: float = 10.0
    related_credit: float = 0.4
    stray_topic_share: float = 0.25
    two_way: float = 4.0
    duration: float = 3.0
    duration_tolerance_weeks: int = 4
    novelty: float = 2.0
    small_host: float = 1.0
    host_topic: float = 4.0
    host_two_way: float = 10.0
    host_duration: float = 2.0


DEFAULT_WEIGHTS = ScoreWeights()
