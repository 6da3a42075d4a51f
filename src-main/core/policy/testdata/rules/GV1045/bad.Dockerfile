FROM alpine:3.20
RUN apk add --no-cache bash curl~8.9
