ARG BASE=python:3.12-slim
FROM $BASE AS build
RUN python -m compileall /usr/lib
FROM debian:12.5-slim
COPY --from=build /usr/lib /usr/lib
