"""Where OAuth installations and OAuth states live: slack_sdk's own SQLAlchemy stores, on wiift's engine.

Their tables are declared by slack_sdk; wiift's migrations create them (Alembic owns every table in the
database), so the stores are built without `create_tables()`.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData

STATE_EXPIRY_S = 600

METADATA = MetaData()  # the stores' tables, for migrations and the schema test
SQLAlchemyInstallationStore.build_bots_table(METADATA, SQLAlchemyInstallationStore.default_bots_table_name)
SQLAlchemyInstallationStore.build_installations_table(
    METADATA, SQLAlchemyInstallationStore.default_installations_table_name
)
SQLAlchemyOAuthStateStore.build_oauth_states_table(METADATA, SQLAlchemyOAuthStateStore.default_table_name)


def installation_store(*, engine: Engine, client_id: str) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)


def state_store(*, engine: Engine) -> SQLAlchemyOAuthStateStore:
    return SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRY_S, engine=engine)
