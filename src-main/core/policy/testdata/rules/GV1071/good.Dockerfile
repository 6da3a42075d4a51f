FROM alpine:3.20
ENV APP_VERSION=1.4.2
ARG COMMIT=3f5c0f4c6a8a0e1b2d3c4b5a6978879
LABEL org.opencontainers.image.source=https://github.com/example/app
