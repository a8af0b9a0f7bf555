# The bot as one image for every process: `tourism serve` (default), `tourism web`, `tourism worker`.
# Build: docker build -t team-tourism .   Run: see compose.yaml and README "Deploying".

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE app.py cli.py ./
COPY bot bot
COPY handlers handlers
COPY infra infra
COPY storage storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 tourism
USER tourism
# A SQLite database (the default DATABASE_URL) lands here: mount a volume, or use PostgreSQL.
WORKDIR /home/tourism
EXPOSE 3000
# HTTP processes answer /healthz on PORT; compose.yaml turns this off for the worker.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=4)" \
        "http://127.0.0.1:${PORT}/healthz"
# Exec form: tourism is PID 1 and gets Docker's SIGTERM itself, so it drains and exits 0.
CMD ["tourism", "serve"]
