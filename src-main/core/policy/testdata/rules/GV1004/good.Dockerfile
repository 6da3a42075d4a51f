FROM node:20-alpine AS build
RUN npm ci
FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build /app /app
