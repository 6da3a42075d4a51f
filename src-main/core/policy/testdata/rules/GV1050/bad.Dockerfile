FROM node:20-slim
RUN npm install -g typescript pnpm@latest @nestjs/cli
