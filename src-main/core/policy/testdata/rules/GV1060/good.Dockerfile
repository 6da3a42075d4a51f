FROM node:20-slim
WORKDIR /app
WORKDIR $HOME/src
