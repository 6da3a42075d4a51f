FROM python:3.12-slim
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0 -r requirements.txt
