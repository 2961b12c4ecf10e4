# One image for every process of the Audit Tracker: `serve` (default), `worker`, `migrate`, ...
#   docker build -t audit-tracker .
#   docker run --rm -e DATABASE_URL=postgresql://... audit-tracker migrate   # schema first, once per release
#   docker run -d -p 3978:3978 -e DATABASE_URL=postgresql://... audit-tracker
# The operator's guide (docs/operations.md) lists every environment variable.
# The Tracker tab's page (web/page/), built as `make tab` builds it: npm ci from package-lock.json,
# then esbuild. Only the built files (build/tab/) go into the image; Node does not.
FROM node:20-slim AS tab
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/page web/page
RUN node web/page/build.mjs

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=3978 \
    LOG_FORMAT=json

WORKDIR /app
# Dependencies first, so a code change does not reinstall them (wheels exist for every pin).
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt -c constraints.txt

COPY . .
COPY --from=tab /src/build/tab build/tab
# Never root: the app needs to write nothing but its SQLite file (var/), if SQLite is used at all.
RUN useradd --create-home --uid 10001 tracker && mkdir -p /app/var && chown tracker /app/var
USER tracker

EXPOSE 3978
# /healthz answers 200 when the database answers (slim has no curl: the standard library asks).
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3978'), timeout=5)"]

# The command picks the process: serve (default), worker, migrate, import FILE, report ...
ENTRYPOINT ["python", "app.py"]
CMD ["serve"]
