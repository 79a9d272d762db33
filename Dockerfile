# One image for all four services; the command picks the service.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY zhibiao ./zhibiao
COPY services ./services
RUN pip install --no-cache-dir .
RUN useradd --create-home --uid 10001 zhibiao && mkdir -p /data/bucket && chown -R zhibiao /data
USER zhibiao
EXPOSE 8000
CMD ["python", "-m", "services.gateway"]
