# chibo — one image for web, worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production \
    CHIBO_VAR_DIR=/data
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key at build time only; the real one comes from .env at run time.
RUN SECRET_KEY=collectstatic-only-key-not-used-at-run-time-0123456789abcdef \
    python manage.py collectstatic --noinput
RUN useradd --system --home /app chibo && mkdir -p /data && chown chibo /data
USER chibo
EXPOSE 8000
CMD ["gunicorn", "chibo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--logger-class", "chibo.ratelimit.RedactingGunicornLogger"]
