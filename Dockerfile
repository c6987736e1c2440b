# The image the Kubernetes manifests name (deploy/kubernetes/): the Rasa servers and the action
# server run from it with different commands. Built from the same locked requirements as
# `make venv`, with the model trained at build time and baked in (/app/models).
#   docker build -t metastases-assistant:1.0.0 .
# Python 3.10: Rasa 3.6 needs < 3.11.
# Kubernetes probes check the containers (deploy/kubernetes/base/), not a Docker HEALTHCHECK:
# checkov:skip=CKV_DOCKER_2:the Deployments' readiness and liveness probes do this job

FROM python:3.10.13-slim-bookworm AS build
# A compiler for any locked package without a wheel for this platform; build stage only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
RUN pip install --no-cache-dir "pip==24.2" "setuptools==70.3.0" "wheel==0.45.1" \
 && pip install --no-cache-dir -r requirements.lock \
 && pip check
COPY pyproject.toml README.md config.yml ./
COPY actions actions
COPY assistant assistant
COPY content content
COPY data data
COPY deploy deploy
COPY tools tools
COPY web web
# The project's packages (not editable): its code and reviewed content in site-packages.
RUN pip install --no-cache-dir --no-deps --no-build-isolation .
# The model, trained as tools/make/train_if_needed.sh trains it, quiet and offline.
RUN set -a && . deploy/rasa.env && set +a \
 && rasa train --domain content/domain --fixed-model-name model --out /opt/models

FROM python:3.10.13-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp
RUN groupadd --gid 10001 assistant \
 && useradd --uid 10001 --gid assistant --no-create-home --shell /usr/sbin/nologin assistant
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=root:root /opt/models /app/models
WORKDIR /app
USER 10001
EXPOSE 5005 5055 9100
# The Deployments set the command: metastases-rasa run ... (Rasa) or rasa run actions (actions).
CMD ["metastases-rasa", "run", "--model", "/app/models", "--enable-api", "--port", "5005"]
