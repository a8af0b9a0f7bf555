"""Use cases of the matcher: my suggestions, a lead's candidates (and inviting one), and the
organisation-wide round with its proposals (accepting one applies: the host lead decides)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from bot.applications.model import NewApplication
from bot.applications.service import Context, Notice, Outcome, refused, snapshot
from bot.core.blocks import user_mention
from bot.core.calendar import Period
from bot.core.pause import paused_on
from bot.matching import (
    Diagnosis,
    MatchIndex,
    RoundMode,
    RoundResult,
    Suggestion,
    diagnose,
    explain,
    run_round,
    suggest_openings,
    suggest_visitors,
    toured_hosts,
)
from bot.matching.model import NewProposal, Proposal, ProposalStatus
from bot.matching.ports import (
    AnsweringProposals,
    ForgettingInvitations,
    Inviting,
    MatchingReader,
    SendingProposals,
)
from bot.openings.model import PostedOpening

SUGGESTIONS = 5


@dataclass(frozen=True)
class Match:
    """A suggestion with the opening it is about, as the views show it."""

    opening: PostedOpening
    suggestion: Suggestion


@dataclass(frozen=True)
class MyMatches:
    matches: tuple[Match, ...] = ()
    diagnosis: Diagnosis | None = None
    has_profile: bool = True
    toured: tuple[str, ...] = ()  # names of teams left out because the person visited them


@dataclass(frozen=True)
class OpeningCandidates:
    opening: PostedOpening
    candidates: tuple[Suggestion, ...]


@dataclass(frozen=True)
class WaitingProposal:
    """Someone a round leaves out: a proposal still waits for their answer."""

    visitor_id: str
    opening: PostedOpening | None


@dataclass(frozen=True)
class RoundPreview:
    result: RoundResult
    openings: Mapping[str, PostedOpening]  # by the matcher's opening id
    waiting: tuple[WaitingProposal, ...] = ()


def _index(
    uow: MatchingReader, workspace_id: str, today: date, related: Mapping[str, frozenset[str]]
) -> MatchIndex:
    return uow.matching.index(workspace_id, today=today, related_topics=related)


def my_matches(
    uow: MatchingReader,
    workspace_id: str,
    user_id: str,
    *,
    today: date,
    related: Mapping[str, frozenset[str]],
    limit: int = SUGGESTIONS,
) -> MyMatches:
    index = _index(uow, workspace_id, today, related)
    if user_id not in index.visitor_pos:  # every person with a profile is a visitor
        return MyMatches(has_profile=False)
    suggestions = suggest_openings(index, user_id, limit)
    toured_ids = [int(team_id) for team_id in toured_hosts(index, user_id)]
    names = uow.teams.names_of(workspace_id, toured_ids) if toured_ids else {}
    toured = tuple(names[team_id] for team_id in toured_ids if team_id in names)
    if not suggestions:
        return MyMatches(diagnosis=diagnose(index, user_id), toured=toured)
    openings = uow.openings.by_ids(workspace_id, [int(s.opening_id) for s in suggestions])
    return MyMatches(
        matches=tuple(
            Match(openings[int(s.opening_id)], s)
            for s in suggestions
            if int(s.opening_id) in openings
        ),
        toured=toured,
    )


def lead_candidates(
    uow: MatchingReader,
    workspace_id: str,
    user_id: str,
    *,
    is_organiser: bool,
    today: date,
    related: Mapping[str, frozenset[str]],
) -> list[OpeningCandidates]:
    """The best visitors for each open opening of the teams this person leads (organisers: all)."""
    team_ids = None if is_organiser else uow.teams.ids_led_by(workspace_id, user_id)
    openings = uow.openings.open(workspace_id, team_ids)
    if not openings:
        return []
    index = _index(uow, workspace_id, today, related)
    return [
        OpeningCandidates(opening, suggest_visitors(index, str(opening.id), SUGGESTIONS))
        for opening in openings
    ]


@dataclass(frozen=True)
class InviteOutcome:
    opening: PostedOpening | None = None
    already: bool = False  # invited before: nothing is sent again
    refusal: str | None = None


def invite(
    uow: Inviting, ctx: Context, opening_id: int, visitor_id: str, *, is_organiser: bool
) -> InviteOutcome:
    """Records a host lead's invitation once; the caller sends it after the commit."""
    opening = uow.openings.get(ctx.workspace_id, opening_id)
    if opening is None or not (ctx.actor in opening.team_lead_ids or is_organiser):
        return InviteOutcome(
            refusal="Only a lead of the host team (or an organiser) can invite to it."
        )
    visitor = uow.people.profile(ctx.workspace_id, visitor_id)
    if visitor is None:
        return InviteOutcome(refusal="That person has no profile: they cannot be invited.")
    if paused_on(looking=visitor.looking, paused_until=visitor.snoozed_until, today=ctx.today):
        # An Invite button shown before the person paused: no nudge reaches them while paused.
        return InviteOutcome(
            refusal=f"{user_mention(visitor_id)} has paused visits: they cannot be invited now."
        )
    if not uow.proposals.invite_once(ctx.workspace_id, opening_id, visitor_id, ctx.actor, ctx.now):
        return InviteOutcome(opening=opening, already=True)
    ctx.audit(
        uow,
        action="candidate_invited",
        subject=f"opening:{opening_id}",
        detail={"visitor": visitor_id},
    )
    uow.commit()
    return InviteOutcome(opening=opening)


def forget_invitation(
    uow: ForgettingInvitations, ctx: Context, opening_id: int, visitor_id: str
) -> None:
    """The invitation could not be delivered: the lead may try again."""
    uow.proposals.forget_invitation(ctx.workspace_id, opening_id, visitor_id)
    uow.commit()


def _round_index(
    uow: MatchingReader,
    workspace_id: str,
    today: date,
    related: Mapping[str, frozenset[str]],
    waiting: list[tuple[str, int]],
) -> MatchIndex:
    """The organisation without the people a proposal is waiting for: they answer it first, and
    each unanswered proposal holds a seat of its opening."""
    organisation = uow.matching.organisation(workspace_id, today=today, related_topics=related)
    held = Counter(str(opening_id) for _, opening_id in waiting)
    left_out = {visitor for visitor, _ in waiting}
    return MatchIndex(
        replace(
            organisation,
            visitors=tuple(v for v in organisation.visitors if v.id not in left_out),
            openings=tuple(
                replace(o, seats_left=o.seats_left - held[o.id]) for o in organisation.openings
            ),
        )
    )


def preview_round(
    uow: MatchingReader,
    workspace_id: str,
    mode: RoundMode,
    *,
    today: date,
    related: Mapping[str, frozenset[str]],
) -> RoundPreview:
    waiting = uow.proposals.waiting(workspace_id)
    result = run_round(_round_index(uow, workspace_id, today, related, waiting), mode)
    openings = {str(o.id): o for o in uow.openings.open(workspace_id)}
    return RoundPreview(
        result,
        openings,
        tuple(WaitingProposal(visitor, openings.get(str(opening))) for visitor, opening in waiting),
    )


@dataclass(frozen=True)
class SentProposal:
    proposal_id: int
    visitor_id: str
    opening: PostedOpening
    starts_on: date
    ends_on: date
    explanation: str


@dataclass(frozen=True)
class SentRound:
    sent: tuple[SentProposal, ...]
    waiting: int  # people left out: a proposal still waits for their answer
    already_sent: int = 0  # placements the same round, sent at the same moment, got to first


def send_proposals(
    uow: SendingProposals, ctx: Context, mode: RoundMode, *, related: Mapping[str, frozenset[str]]
) -> SentRound:
    """Runs the round again (the data may have moved since the preview) and records a proposal
    for every placement, once per visitor and opening; the caller DMs them."""
    waiting = uow.proposals.waiting(ctx.workspace_id)
    index = _round_index(uow, ctx.workspace_id, ctx.today, related, waiting)
    result = run_round(index, mode)
    openings = {str(o.id): o for o in uow.openings.open(ctx.workspace_id)}
    sent, already_sent = [], 0
    for placement in result.placements:
        proposal = NewProposal(
            visitor_id=placement.visitor_id,
            opening_id=int(placement.opening_id),
            starts_on=placement.start,
            ends_on=placement.end,
            mode=mode,
            explanation=explanation_of(index, placement.visitor_id, placement.opening_id),
            sent_by=ctx.actor,
            created_at=ctx.now,
        )
        proposal_id = uow.proposals.create_once(ctx.workspace_id, proposal)
        if proposal_id is None:  # the same round, sent at the same moment, got there first
            already_sent += 1
            continue
        sent.append(
            SentProposal(
                proposal_id,
                placement.visitor_id,
                openings[placement.opening_id],
                placement.start,
                placement.end,
                proposal.explanation,
            )
        )
    ctx.audit(
        uow,
        action="round_proposals_sent",
        detail={"mode": mode.value, "proposals": len(sent)},
    )
    uow.commit()
    return SentRound(tuple(sent), len({visitor for visitor, _ in waiting}), already_sent)


def fit_explanation(
    uow: MatchingReader,
    workspace_id: str,
    user_id: str,
    opening_id: int,
    *,
    today: date,
    related: Mapping[str, frozenset[str]],
    requested: date | None = None,
) -> str:
    """Why this person and this opening fit, in the matcher's words ("" when they do not), next
    to the `requested` start when they ask for one."""
    index = _index(uow, workspace_id, today, related)
    try:
        return explanation_of(index, user_id, str(opening_id), requested)
    except KeyError:  # not a visitor (no profile) or not an open opening
        return ""


def _why_not_answer(proposal: Proposal, actor: str, *, accept: bool) -> str | None:
    refusals = (
        (proposal.visitor_id != actor, "Only the person it was made to can answer it."),
        (
            proposal.status != ProposalStatus.SENT,
            f"Nothing changed: you have already {proposal.status} it.",
        ),
        (
            accept and proposal.opening_gone,
            "This opening has filled up or closed since it was proposed.",
        ),
        (accept and proposal.applied, "You have already applied to this opening."),
    )
    return next((reason for refused_, reason in refusals if refused_), None)


def explanation_of(
    index: MatchIndex, visitor_id: str, opening_id: str, requested: date | None = None
) -> str:
    """The matcher's words for why this visitor and this opening fit."""
    visitor, opening = index.visitor(visitor_id), index.opening(opening_id)
    pairs = index.pairs_of_visitor(visitor)
    rows = (pairs.opening == opening).nonzero()[0]
    if not len(rows):
        return ""
    return explain(index, visitor, opening, int(pairs.starts[rows[0]]), requested).text


PROPOSED = (
    "I accepted the organisers' matching-round proposal: the opening was posted for visitors "
    "like me, and the round put us together."
)


def answer_proposal(
    uow: AnsweringProposals, ctx: Context, proposal_id: int, *, accept: bool
) -> Outcome:
    """Only the visitor answers. Accepting applies like anyone else: the host lead is asked to
    accept or decline (and reminded), then the home lead."""
    proposal = uow.proposals.get(ctx.workspace_id, proposal_id)
    if proposal is None:
        return refused("That proposal no longer exists.")
    reason = _why_not_answer(proposal, ctx.actor, accept=accept)
    if reason is not None:
        return refused(reason)
    answer = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    if not uow.proposals.answer(ctx.workspace_id, proposal.id, answer):
        # Another click answered it between our read and this write.
        return refused("Nothing changed: you have already answered it.")
    if not accept:
        ctx.audit(
            uow,
            action="proposal_declined",
            subject=f"proposal:{proposal.id}",
        )
        uow.commit()
        return Outcome(actor=ctx.actor)
    new = NewApplication(
        workspace_id=ctx.workspace_id,
        opening_id=proposal.opening_id,
        person_id=proposal.person_id,
        motivation=PROPOSED,
        learning_goal=proposal.learning_goal,
        visit=Period(proposal.starts_on, proposal.ends_on),
    )
    application = uow.applications.submit(new, ctx.now)
    ctx.audit(
        uow,
        action="proposal_accepted",
        subject=f"application:{application.id}",
    )
    uow.commit()
    view = replace(snapshot(uow, application, ctx.organisers), fit=proposal.explanation)
    notices = [(Notice.APPLIED, view.visitor_id)]
    notices += [(Notice.HOST_REQUEST, decider) for decider in view.host_deciders]
    return Outcome(visit=view, notices=tuple(notices), actor=ctx.actor)
