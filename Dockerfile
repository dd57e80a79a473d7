# The platform's image: web, worker and beat all run from it (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CSE_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml ./
COPY platform ./platform
COPY tenants ./tenants
COPY safeguarding ./safeguarding
COPY notifications ./notifications
COPY scu_portal ./scu_portal
COPY manage.py ./
RUN pip install --no-cache-dir -e . && useradd --create-home cse && mkdir -p /data && chown cse /data
COPY --from=assets /app/platform/static/dist ./platform/static/dist
USER cse
EXPOSE 8000
CMD ["python", "-m", "cse_platform.devstack", "process", "web"]
