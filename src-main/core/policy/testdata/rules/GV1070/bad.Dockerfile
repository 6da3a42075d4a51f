FROM node:20-slim
ARG NPM_TOKEN
ENV DB_PASSWORD=changeme
LABEL api_key=placeholder
