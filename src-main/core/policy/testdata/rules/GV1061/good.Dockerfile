FROM python:3.12-slim
ENTRYPOINT ["python", "-m", "app"]
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:wsgi"]
