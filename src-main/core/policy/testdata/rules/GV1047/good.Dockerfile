FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
FROM python:3.12-slim AS second
ENV PIP_NO_CACHE_DIR=1
RUN pip install -r requirements.txt
