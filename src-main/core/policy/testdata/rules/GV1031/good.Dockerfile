FROM debian:12-slim
RUN curl -fsSLo /tmp/install.sh https://get.example.com/install.sh \
 && echo "3f5c0f4c6a8a0e1b2d3c4b5a69788796a5b4c3d2e1f00112233445566778899  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh --yes
