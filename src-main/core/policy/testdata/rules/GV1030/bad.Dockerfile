FROM ubuntu:22.04
RUN sudo apt-get update
