FROM ubuntu:22.04
USER root
RUN apt-get update
