FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r0
RUN --mount=type=cache,target=/var/cache/apk apk add jq=1.7.1-r0
