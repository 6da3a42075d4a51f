FROM python:3.12-slim
RUN useradd --uid 10001 --create-home app
WORKDIR /srv
COPY . .
USER 10001
CMD ["python", "app.py"]
