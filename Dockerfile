# The platform's image: web, worker and beat all run from it (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN npm run build

FROM python:3.11-slim-bookworm
# WEB_BIND: in a container the web server listens on every interface, reached through the published port.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CSE_DATA_DIR=/data WEB_BIND=0.0.0.0:8000
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
# The production profile serves the hashed, compressed files collectstatic makes; nothing here connects to a
# database or uses the key, which exist only for the settings to load.
RUN DATABASE_URL=postgres://collectstatic.invalid/none CSE_PROFILE=production SECRET_KEY=collectstatic-only \
    python manage.py collectstatic --noinput --verbosity 0
USER cse
EXPOSE 8000
CMD ["python", "-m", "cse_platform.devstack", "process", "web"]
