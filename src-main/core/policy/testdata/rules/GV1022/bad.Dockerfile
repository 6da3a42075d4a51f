FROM golang:1.22 AS builder
RUN go build -o /bin/app .
FROM alpine:3.20
COPY --from=bulider /bin/app /bin/app
COPY --from=3 /etc/passwd /etc/passwd
