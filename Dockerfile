# syntax=docker/dockerfile:1
# wiift: the Slack app, its scheduler and its coaching worker, in one container. See README, "Deploy with Docker".
# The Python here is the one constraints.txt was tested with.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/wiift \
    PATH=/opt/wiift/bin:$PATH
RUN python -m venv /opt/wiift
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# The same install line as the README's "Install without Docker".
RUN pip install --constraint constraints.txt .

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/wiift/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/wiift.db \
    WIIFT_LOG_FORMAT=json
RUN groupadd --system --gid 10001 wiift \
    && useradd --system --uid 10001 --gid wiift --home-dir /app --no-create-home --shell /usr/sbin/nologin wiift \
    && mkdir -p /app /data \
    && chown wiift:wiift /data
COPY --from=build /opt/wiift /opt/wiift
# `wiift doctor` compares the token's scopes with the manifest's.
COPY manifest.json /app/manifest.json
WORKDIR /app
USER wiift
EXPOSE 3000
# Alive: the HTTP server answers. (Socket Mode serves no HTTP: compose.socket-mode.yaml turns this off.)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
CMD ["wiift", "run"]
