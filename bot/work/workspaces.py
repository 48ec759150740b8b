"""A workspace that uninstalls wiift or revokes its token.

`app_uninstalled`: every row of the workspace's data is deleted (deals, notes, questions, calls, nudges,
digests, settings, jobs) with its installation, in one transaction; later events from it are acknowledged
and ignored. `tokens_revoked`: the revoked bot token is removed from every stored installation, so no job
or request uses it again; the data stays until the workspace uninstalls.
"""

from __future__ import annotations

import logging

from bot.core.services import Services
from storage.db import unit_of_work
from storage.teams import forget_team

log = logging.getLogger(__name__)


def forget_workspace(services: Services, *, team_id: str, enterprise_id: str | None) -> None:
    with unit_of_work(services.engine) as session:
        deleted = forget_team(session=session, team_id=team_id)
    if services.installations is not None:
        services.installations.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    log.info("workspace uninstalled: team=%s rows deleted=%s", team_id, sum(deleted.values()))


def revoke_tokens(services: Services, *, team_id: str, enterprise_id: str | None, bot: bool, users: list[str]) -> None:
    store = services.installations
    if store is None:
        return
    if bot:  # installation rows carry the bot token too: remove them all, not just the bot row
        store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    else:
        for user_id in users:
            store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
    log.info("tokens revoked: team=%s bot=%s users=%s", team_id, bot, len(users))
