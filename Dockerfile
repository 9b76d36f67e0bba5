# One image for the four services; docker-compose.yml picks the module.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY services ./services
RUN pip install --no-cache-dir .

COPY deploy/config ./deploy/config
ENV LEADPOOL_CONFIG_PATH=/app/deploy/config/leadpool.yaml \
    LEADPOOL_WEB_HOST=0.0.0.0 \
    LEADPOOL_DATA_DIR=/tmp/leadpool

USER nobody
ENTRYPOINT ["python", "-m"]
