FROM python:3.12-slim
WORKDIR /srv
COPY . .
USER root
CMD ["python", "app.py"]
