FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends telnet=0.17-44 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir pycrypto==2.6.1
