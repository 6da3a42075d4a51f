FROM rockylinux:9
RUN dnf install httpd && dnf clean all
FROM debian:12-slim
RUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
