ARG BASE=python
FROM $BASE AS build
RUN python -m compileall /usr/lib
FROM debian
COPY --from=build /usr/lib /usr/lib
