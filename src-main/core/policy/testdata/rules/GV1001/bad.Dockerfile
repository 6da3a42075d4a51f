FROM node:latest
WORKDIR /app
COPY . .
USER node
CMD ["node", "server.js"]
