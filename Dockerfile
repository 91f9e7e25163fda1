# Aisle in one image: the front ends built with Node, served by the Python service.
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts ./scripts
COPY cobrowse_js ./cobrowse_js
COPY agent_web ./agent_web
RUN node scripts/build_js.mjs

FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md ./
COPY signaling ./signaling
COPY media ./media
COPY --from=web /src/signaling/static ./signaling/static
RUN pip install --no-cache-dir . && useradd --system --home /data aisle \
    && mkdir -p /data && chown aisle /data
USER aisle
ENV AISLE_DATA_DIR=/data AISLE_HOST=0.0.0.0 AISLE_PORT=8080
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz')"
CMD ["aisle", "serve"]
