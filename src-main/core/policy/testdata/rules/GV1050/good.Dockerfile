FROM node:20-slim
RUN npm install -g typescript@5.4.5 pnpm@9.1.0 @nestjs/cli@10.3.2
