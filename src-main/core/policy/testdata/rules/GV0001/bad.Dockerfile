FROM alpine:3.20
COPY --chmod=banana app /app
RUN echo hello
