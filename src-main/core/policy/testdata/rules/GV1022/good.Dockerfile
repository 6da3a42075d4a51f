FROM golang:1.22 AS builder
RUN go build -o /bin/app .
FROM alpine:3.20
COPY --from=builder /bin/app /bin/app
COPY --from=0 /etc/passwd /etc/passwd
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/busybox
