FROM node:20-alpine AS build
RUN npm ci
FROM ubuntu:22.04
COPY --from=build /app /app
