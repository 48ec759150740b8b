"""Logging for a process: wiift's own loggers at `WIIFT_LOG_LEVEL`, libraries at WARNING, as text or JSON.

wiift logs ids, lenses and the names of events (`nudge sent: nudge=12 deal=3`), never message text. The
libraries stay at WARNING whatever the level: slack_sdk and Bolt log whole request bodies at DEBUG, and
Alembic and APScheduler would otherwise say a dozen things at every start.

With `json`, each record is one JSON object on one line: `time`, `level`, `logger`, `event` (the line up
to its first colon), one field per `name=value` in the line, `message` (the whole line), and `error` and
`traceback` when an exception is logged.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

OWN_LOGGERS = ("wiift", "bot", "handlers", "storage")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgxXeEc%]")
_NAMED = re.compile(r"(\w+)=$")
# Bolt warns that it ignores SLACK_BOT_TOKEN from the environment when handed a client: wiift always hands
# it one, built from the same setting, so the warning says nothing.
_BOLT_CLIENT_NOTICE = "As you gave `client` as well, `token` will be unused."


def configure_logging(level: str = "INFO", fmt: str = "text", *, stream: TextIO | None = None) -> None:
    """Replace the root handlers with one writing to `stream` (stderr) at the chosen level and format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    chosen = logging.getLevelName(level)
    root.setLevel(max(chosen, logging.WARNING))
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(chosen)
    bolt = logging.getLogger("slack_bolt.App")
    if not any(isinstance(f, _DropBoltClientNotice) for f in bolt.filters):
        bolt.addFilter(_DropBoltClientNotice())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": message.split(": ", 1)[0],
        }
        for name, value in _fields(record).items():
            entry.setdefault(name, value)
        entry["message"] = message
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """`deal=%s lens=%s` in the line's template, with the values logged for them."""
    template = str(record.msg)
    args = record.args if isinstance(record.args, tuple) else ()
    fields: dict[str, Any] = {}
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.group(0) == "%%":
            continue
        named = _NAMED.search(template, 0, match.start())
        if position < len(args) and named is not None:
            fields[named.group(1)] = args[position]
        position += 1
    return fields


class _DropBoltClientNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _BOLT_CLIENT_NOTICE
