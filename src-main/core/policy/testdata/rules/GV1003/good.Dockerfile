FROM golang:1.22@sha256:0f7a81c0c7e2a9d28c3e1fa5a5c5e3f1b2d4e6a8c0b2d4f6a8c0e2f4a6b8d0c2 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12@sha256:9e2a6ed5b3b0c5f2e4a1d7c8b6e5f4a3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7
COPY --from=build /out/app /app
