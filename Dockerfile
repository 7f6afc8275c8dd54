# syntax=docker/dockerfile:1
# probono: the API served by uvicorn, PostgreSQL given by PROBONO_DATABASE_URL.

FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# hnswlib ships no wheel for this Python: it is compiled here, and only its result is copied.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends g++=4:12.2.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
# Dependencies only (the project itself runs from /app): a code change keeps this layer cached.
# torch from the CPU wheel index first: the default Linux wheel pulls gigabytes of CUDA libraries.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
RUN python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt

FROM python:3.11-slim-bookworm
RUN groupadd --gid 10001 probono \
    && useradd --create-home --uid 10001 --gid 10001 probono \
    && mkdir -p /var/lib/probono \
    && chown probono:probono /var/lib/probono
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=probono:probono alembic.ini pyproject.toml ./
COPY --chown=probono:probono api ./api
COPY --chown=probono:probono badges ./badges
COPY --chown=probono:probono cli ./cli
COPY --chown=probono:probono config ./config
COPY --chown=probono:probono errors ./errors
COPY --chown=probono:probono matching ./matching
COPY --chown=probono:probono services ./services
COPY --chown=probono:probono models ./models
COPY --chown=probono:probono reporting ./reporting
COPY --chown=probono:probono migrations ./migrations
COPY --chown=probono:probono data ./data
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PROBONO_ENV=production \
    PROBONO_VAR_DIR=/var/lib/probono \
    PROBONO_SIGNING_KEY_DIR=/var/lib/probono/keys \
    PROBONO_MODEL_CACHE_DIR=/app/models \
    HF_HUB_OFFLINE=1
# The model and its descriptor vectors are built into the image, from the wheels already
# installed: the container never downloads anything. The secrets are only needed to serve.
RUN PROBONO_ENV=development PROBONO_VAR_DIR=/tmp/build python -m cli model build \
    && rm -rf /tmp/build
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health')"]
# Migrations and reference data are applied by `python -m cli migrate` and
# `python -m cli reference load` (a release step), not by every worker at start. The same
# image runs the email worker beside it: `python -m cli worker` (as many as wanted on
# PostgreSQL).
CMD ["python", "-m", "cli", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
