FROM alpine:3.20
COPY --chmod=0755 app /app
RUN echo hello
