FROM node:20.11-bookworm-slim
WORKDIR /app
COPY . .
USER node
CMD ["node", "server.js"]
