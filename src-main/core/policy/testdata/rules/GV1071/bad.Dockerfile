FROM alpine:3.20
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
ARG BUILD_REF=Zx9Qm2Lp8Rt4Vb7Nc1Kd5Wf3Hj6Gs0Ya
RUN curl -H "Authorization: token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" https://api.github.com/user
